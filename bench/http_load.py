"""A lean HTTP/1.1 keep-alive client for load generation.

httpx costs its caller 3.5-4.5 ms of CPU per request (pure-Python HTTP/1.1),
so 50 httpx clients in one process top out near 250 requests/s on one core,
whatever the service does. This client writes requests prepared once and parses
responses with httptools (the parser uvicorn uses): tens of microseconds per
request, so what the load measures is the service. It speaks only what the
benchmarks send: one request at a time per connection, bodies with a length.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httptools


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes


@dataclass(slots=True)
class _Parsing:
    chunks: list[bytes] = field(default_factory=list)
    done: bool = False

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.done = True


def prepared_request(
    method: str, host: str, path: str, headers: dict[str, str], body: bytes = b""
) -> bytes:
    """The request's bytes, built once and sent as many times as needed."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Connection:
    """One keep-alive connection to 127.0.0.1:`port`."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, request: bytes) -> Reply:
        """Send `request` (from `prepared_request`) and read the whole response."""
        self._writer.write(request)
        parsing = _Parsing()
        parser = httptools.HttpResponseParser(parsing)
        while not parsing.done:
            data = await self._reader.read(65536)
            if not data:
                raise ConnectionError("the service closed the connection mid-response")
            parser.feed_data(data)
        return Reply(parser.get_status_code(), b"".join(parsing.chunks))

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()
