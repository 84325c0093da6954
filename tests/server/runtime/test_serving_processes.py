"""`blanche serve --workers 2` as a real process: the kernel spreads a burst of
connections over both service processes; one that dies is started again; SIGINT
stops them all gracefully."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import httpx
import psutil
import pytest

from server.runtime.serving_processes import address_socket
from server.settings import Settings, sqlite_url
from tests.server.serve_process import service_environment, serving, wait_gone
from tests.server.service_process import listening_processes, running_service

CONNECTIONS = 50
REQUESTS_PER_CONNECTION = 3
REQUEST = b"GET /api/v1/companies HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def _answer(sock: socket.socket) -> bytes:
    """One whole answer to REQUEST (a small problem document with its length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head


def _connections_held(process: psutil.Process, port: int) -> int:
    return sum(
        1
        for s in process.net_connections(kind="tcp")
        if s.status == psutil.CONN_ESTABLISHED and s.laddr.port == port
    )


def test_the_reserved_address_keeps_others_out_and_is_given_no_connection() -> None:
    reserved = address_socket("127.0.0.1", 0)
    port = reserved.getsockname()[1]
    plain = socket.socket()
    try:
        with pytest.raises(OSError):
            plain.bind(("127.0.0.1", port))  # another program cannot take the address
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        listening = address_socket("127.0.0.1", port)  # a service process joins it
        listening.listen()
        with listening, socket.create_connection(("127.0.0.1", port), timeout=5):
            accepted, _ = listening.accept()
            accepted.close()
    finally:
        plain.close()
        reserved.close()


def test_a_burst_of_keep_alive_connections_is_shared_by_both_processes(tmp_path: Path) -> None:
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=sqlite_url(tmp_path / "var" / "blanche.db"),
        signing_keys=("test-signing-key",),
    )
    with running_service(settings, workers=2) as (base, pid):
        port = int(base.rsplit(":", 1)[1])
        processes = listening_processes(pid, port)
        assert len(processes) == 2
        # All opened at once, as the bench's clients do, then each used in turn.
        sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
        try:
            for _ in range(REQUESTS_PER_CONNECTION):
                for sock in sockets:
                    sock.sendall(REQUEST)
                for sock in sockets:
                    assert _answer(sock).startswith(b"HTTP/1.1 401 ")
            held = [_connections_held(process, port) for process in processes]
        finally:
            for sock in sockets:
                sock.close()
    assert sum(held) == CONNECTIONS
    # The kernel hashes each connection to a process: binomial, 25 +- 3.5 each.
    assert min(held) >= CONNECTIONS // 4, held


def test_a_dead_process_is_replaced_and_sigint_stops_everything(tmp_path: Path) -> None:
    env = service_environment(tmp_path / "var")
    with serving(env, tmp_path / "serve.log", "--workers", "2") as service:
        port = int(service.base_url.rsplit(":", 1)[1])
        deadline = time.monotonic() + 120
        while len(listening_processes(service.process.pid, port)) < 2:
            assert time.monotonic() < deadline, service.output()
            time.sleep(0.2)
        victim, survivor = listening_processes(service.process.pid, port)
        victim.kill()
        victim.wait(timeout=30)  # its socket closed: the kernel gives it no connection
        # The other process serves while the dead one's place is filled again.
        answer = httpx.get(f"{service.base_url}/api/v1/openapi.json", timeout=60)
        assert answer.status_code == 200
        deadline = time.monotonic() + 120
        while True:
            now = {p.pid for p in listening_processes(service.process.pid, port)}
            if len(now) == 2 and victim.pid not in now:
                break
            assert time.monotonic() < deadline, service.output()
            time.sleep(0.2)
        assert survivor.pid in now

        family = service.descendants()
        os.kill(service.process.pid, signal.SIGINT)
        assert service.process.wait(timeout=60) == 0
        assert wait_gone(family) == []
    log = service.output()
    assert "a service process exited with -9" in log, log
    assert log.count("Finished server process") == 2, log  # uvicorn's graceful end
