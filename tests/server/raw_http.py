"""HTTP/1.1 by hand over a socket, for what an HTTP client library will not do:
send part of a body and hold the connection open."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@contextmanager
def partial_body(
    base_url: str,
    path: str,
    api_key: str,
    declared: int = 1000,
    sent: bytes = b'{"name": ',
    accept_language: str = "en",
) -> Iterator[socket.socket]:
    """A POST that announces `declared` bytes of body, sends `sent` and keeps the
    socket open until the block ends.

    It asks `Expect: 100-continue` and sends its bytes once the service answers
    `100 Continue`, which it does when it starts reading the body: when the block
    starts, the request has passed authentication and the partner's limits."""
    url = urlsplit(base_url)
    sock = socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=60)
    try:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
            f"Authorization: Bearer {api_key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {declared}\r\nAccept-Language: {accept_language}\r\n"
            f"Expect: 100-continue\r\n\r\n"
        )
        sock.sendall(head.encode())
        interim = _read_head(sock)
        if not interim.startswith(b"HTTP/1.1 100"):
            raise ConnectionError(f"refused instead of read: {interim[:300]!r}")
        sock.sendall(sent)
        yield sock
    finally:
        sock.close()


def _read_head(sock: socket.socket) -> bytes:
    """Bytes up to the end of one response head (byte by byte: nothing after it
    is consumed)."""
    data = b""
    while not data.endswith(b"\r\n\r\n"):
        byte = sock.recv(1)
        if not byte:
            raise ConnectionError(f"closed mid-head: {data[:200]!r}")
        data += byte
    return data


def read_response(sock: socket.socket) -> RawResponse:
    """The next response on `sock` (a body with Content-Length, or up to EOF)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before the headers: {data[:200]!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "-1"))
    while length < 0 or len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return RawResponse(status, headers, body)
