"""An ASGI app under a real uvicorn in a thread, on a socket pre-bound to 127.0.0.1.

Bind first (`loopback_socket`) when the app must know its own URL before it
is built (the service's `public_url`); `live_server` does both at once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def serving(
    app: Any, sock: socket.socket, *, ws: str = "websockets-sansio", access_log: bool = False
) -> Iterator[str]:
    """Serve `app` on `sock` until the block ends; the socket is closed then.

    `websockets-sansio`: the legacy `websockets` implementation warns, and a
    warning is an error in this suite."""
    config = uvicorn.Config(app, log_config=None, access_log=access_log, ws=ws, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    try:
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield url_of(sock)
    finally:
        server.should_exit = True
        if thread.is_alive():
            thread.join(timeout=20)
        sock.close()


@contextmanager
def live_server(
    app: Any, *, ws: str = "websockets-sansio", access_log: bool = False
) -> Iterator[str]:
    with serving(app, loopback_socket(), ws=ws, access_log=access_log) as url:
        yield url
