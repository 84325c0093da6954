"""Real Chromium (Debian's) and three local origins: the partner's page, the
editor, and a third party. Each origin is a small HTTP server on its own
127.0.0.1 port, bound when created."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Route = tuple[str, bytes]  # content type, body


def _handler(routes: dict[str, Route]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 5  # an idle preconnect must not hold a thread forever

        def do_GET(self) -> None:
            route = routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404)
                return
            content_type, body = route
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@dataclass
class Site:
    """One origin: routes can be added while it runs."""

    routes: dict[str, Route]
    origin: str

    def add(self, path: str, content_type: str, body: str | bytes) -> str:
        self.routes[path] = (content_type, body.encode() if isinstance(body, str) else body)
        return self.origin + path


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@pytest.fixture(scope="session")
def start_site() -> Iterator[Callable[[], Site]]:
    servers: list[tuple[_Server, threading.Thread]] = []

    def start() -> Site:
        routes: dict[str, Route] = {}
        server = _Server(("127.0.0.1", 0), _handler(routes))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        host, port = server.server_address[:2]
        return Site(routes, f"http://{host!s}:{port}")

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()
