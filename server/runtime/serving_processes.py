"""`blanche serve --workers N`: N service processes on one address, each listening
on a socket of its own.

uvicorn's own supervisor shares one listening socket among its processes. Under a
burst of new connections, the process that wakes first accepts until the queue is
empty (uvloop accepts in a loop), so it took all 50 of the bench's keep-alive
connections while the other process idled. Here every process binds the address
with SO_REUSEPORT and the kernel hashes each new connection to one of the
listening sockets: the processes get an even share, and a process that is gone
(crashed, or still warming up) is out of the group, so it is given none.

The supervisor holds the address bound (SO_REUSEPORT, never listening: the kernel
routes no connection to it) for as long as it runs, so an address taken by another
program fails at start instead of in a loop of restarts, and no other user's
process can join the group. A process that exits on its own is started again,
after a pause that grows while it keeps failing. SIGTERM or SIGINT stops the
processes gracefully (uvicorn finishes the requests in flight), SIGKILL after
`STOP_SECONDS`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

from server.runtime.lifetime import die_with_parent
from server.runtime.worker_child import RESTART_PAUSES

logger = logging.getLogger("blanche.serve")
STOP_SECONDS = 30.0
# A process that served this long before it exited failed on its own, not at start:
# its restart pause starts over from the shortest.
HEALTHY_SECONDS = 60.0


def address_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) with SO_REUSEPORT, not yet listening."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, protocol)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def serve_one(host: str, port: int, parent_pid: int, options: dict[str, Any]) -> None:
    """A service process (the target of each spawned process): prepared to serve
    first, then listening, so that no connection waits on its warm-up."""
    import uvicorn

    from server.app import app_from_env

    die_with_parent(parent_pid)
    app = app_from_env()
    sock = address_socket(host, port)
    config = uvicorn.Config(app, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


@dataclass
class _Slot:
    """One of the N places: its current process, its failures in a row."""

    process: BaseProcess | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None


class ServingProcesses:
    def __init__(self, count: int, host: str, port: int, options: dict[str, Any]) -> None:
        self.count = count
        self.host = host
        self.port = port
        self.options = options  # uvicorn.Config's keyword arguments (picklable)
        self._context = multiprocessing.get_context("spawn")
        self._slots = [_Slot() for _ in range(count)]
        self._wake_read, self._wake_write = socket.socketpair()
        self._stopping = False

    def run(self) -> None:
        """Serve until SIGTERM or SIGINT; from the main thread (the kernel's
        parent-death signal follows the thread that started each process)."""
        reserved = address_socket(self.host, self.port)
        self.port = reserved.getsockname()[1]  # --port 0: the one the kernel chose, for all
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            for slot in self._slots:
                self._start(slot)
            logger.info("serving on %s:%d with %d processes", self.host, self.port, self.count)
            while not self._stopping:
                self._watch()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self._stop_all()
            reserved.close()
            self._wake_read.close()
            self._wake_write.close()

    def _stop(self, number: int, frame: FrameType | None) -> None:
        self._stopping = True
        self._wake_write.send(b"x")

    def _start(self, slot: _Slot) -> None:
        process = self._context.Process(
            target=serve_one,
            args=(self.host, self.port, os.getpid(), self.options),
            name="blanche-serve",
        )
        process.start()
        slot.process, slot.started_at, slot.restart_at = process, time.monotonic(), None

    def _watch(self) -> None:
        """Wait for a process to exit, a restart to fall due, or a stop signal."""
        now = time.monotonic()
        due = [s.restart_at for s in self._slots if s.restart_at is not None]
        timeout = max(0.0, min(due) - now) if due else None
        sentinels = [s.process.sentinel for s in self._slots if s.process is not None]
        wait([*sentinels, self._wake_read], timeout)
        if self._stopping:
            return
        now = time.monotonic()
        for slot in self._slots:
            if slot.process is not None and not slot.process.is_alive():
                self._schedule_restart(slot, now)
            elif slot.restart_at is not None and slot.restart_at <= now:
                self._start(slot)

    def _schedule_restart(self, slot: _Slot, now: float) -> None:
        assert slot.process is not None
        code = slot.process.exitcode
        slot.process.close()
        slot.process = None
        if now - slot.started_at >= HEALTHY_SECONDS:
            slot.failures = 0
        pause = RESTART_PAUSES[min(slot.failures, len(RESTART_PAUSES) - 1)]
        slot.failures += 1
        slot.restart_at = now + pause
        logger.error("a service process exited with %s; starting one again in %g s", code, pause)

    def _stop_all(self) -> None:
        running = [s.process for s in self._slots if s.process is not None]
        for process in running:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
