"""`blanche serve` runs its workers (webhook deliveries, the PA channel) as child
processes.

Each child is a `blanche` command an operator can also run on its own
(`blanche webhooks worker`, `blanche pa worker`), started with
BLANCHE_PARENT_PID so that it dies with the service even after a `kill -9` of
it; if it exits by itself, it is started again (with a growing pause) until
the service stops.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

from server.runtime.lifetime import PARENT_PID_VARIABLE

logger = logging.getLogger("blanche.serve")
RESTART_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)


class WorkerChild:
    def __init__(self, name: str, command: tuple[str, ...]) -> None:
        self.name = name  # for the log: "the webhook worker"
        self.command = command  # blanche's arguments, e.g. ("webhooks", "worker")
        self.process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker from a thread that lives as long as the service (the
        kernel signals the child when the thread that started it ends)."""
        started = threading.Event()
        self._thread = threading.Thread(
            target=self._keep_running, args=(started,), name=self.name, daemon=True
        )
        self._thread.start()
        started.wait(timeout=10)

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, PARENT_PID_VARIABLE: str(os.getpid())}
        return subprocess.Popen([sys.executable, "-m", "server.cli", *self.command], env=env)

    def _keep_running(self, started: threading.Event) -> None:
        failures = 0
        while not self._stopping.is_set():
            self.process = self._spawn()
            started.set()
            code = self.process.wait()
            if self._stopping.is_set():
                return
            pause = RESTART_PAUSES[min(failures, len(RESTART_PAUSES) - 1)]
            failures += 1
            logger.error("%s exited with %s; starting it again in %g s", self.name, code, pause)
            if self._stopping.wait(pause):
                return

    def stop(self, timeout: float = 20.0) -> None:
        self._stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
