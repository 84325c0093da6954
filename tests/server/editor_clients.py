"""Editor tabs for the service-process tests: a WebSocket client that reads, a raw
socket that does not (a tab that never reads, with a tiny receive buffer), and
another tenant that keeps calling the API and pinging its editor meanwhile."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import struct
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.server.editor_service import Service, Tenant


async def open_tab(
    service: Service,
    token: str,
    tab: str,
    *,
    pending: list[dict[str, Any]] | None = None,
    origin: str | None = None,
) -> ClientConnection:
    ws = await connect(
        service.ws_url,
        origin=origin or service.origin,  # type: ignore[arg-type]
        max_size=None,
        max_queue=None,  # this tab reads all it is sent
        compression=None,
        open_timeout=60,
    )
    hello = {"type": "hello", "token": token, "tab": tab, "parent": None}
    await ws.send(json.dumps({**hello, "pending": pending or []}))
    return ws


async def until(ws: ClientConnection, kind: str, seconds: float = 120) -> dict[str, Any]:
    async with asyncio.timeout(seconds):
        while True:
            message: dict[str, Any] = json.loads(await ws.recv())
            if message["type"] == kind:
                return message


async def closed_with(ws: ClientConnection, seconds: float = 60) -> tuple[int | None, list[str]]:
    """(close code, error codes received) once the server closes."""
    errors: list[str] = []
    with contextlib.suppress(ConnectionClosed):
        async with asyncio.timeout(seconds):
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "error":
                    errors.append(message["code"])
    return ws.close_code, errors


@dataclass
class Bystander:
    """Another partner going about its business: API reads and editor pings, each
    answer stamped with the loop's clock, every failure kept."""

    tenant: Tenant
    document_id: int
    ws: ClientConnection
    served_api: list[float] = field(default_factory=list)
    served_pings: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def _api(self, http: httpx.AsyncClient) -> None:
        loop = asyncio.get_running_loop()
        while not self._stop.is_set():
            try:
                response = await http.get(
                    f"/api/v1/documents/{self.document_id}", headers=self.tenant.headers
                )
            except httpx.HTTPError as error:
                self.failures.append(f"api: {error!r}")
                continue
            if response.status_code != 200:
                self.failures.append(f"api: {response.status_code} {response.text[:200]}")
            else:
                self.served_api.append(loop.time())
            await asyncio.sleep(0.01)

    async def _pings(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stop.is_set():
            try:
                await self.ws.send('{"type":"ping"}')
                await until(self.ws, "pong", seconds=300)
            except (ConnectionClosed, TimeoutError) as error:
                self.failures.append(f"ping: {error!r}")
                return
            self.served_pings.append(loop.time())
            await asyncio.sleep(0.05)  # 20 a second: under the per-socket message limit

    async def run(self, base_url: str) -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=300) as http:
            await asyncio.gather(self._api(http), self._pings())

    def stop(self) -> None:
        self._stop.set()

    def served_between(self, start: float, end: float) -> tuple[int, int]:
        """(API answers, pongs) received in [start, end]."""
        return (
            sum(1 for t in self.served_api if start <= t <= end),
            sum(1 for t in self.served_pings if start <= t <= end),
        )


async def bystander(service: Service, tenant: Tenant) -> Bystander:
    document_id = tenant.draft(lines=3)
    ws = await open_tab(service, tenant.editor_token(document_id), "bystander-tab-01")
    await until(ws, "welcome")
    return Bystander(tenant, document_id, ws)


class SilentTab:
    """A WebSocket on a raw socket with a 4 KB receive buffer, that reads only when told."""

    def __init__(self, service: Service) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        parts = urlsplit(service.url)
        self.sock.connect((parts.hostname, parts.port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            "GET /editor/ws HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {service.origin}\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.buffer = b""
        self.frames_read = 0
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head

    def send_json(self, message: dict[str, Any]) -> None:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _frames(self) -> list[tuple[int, bytes]]:
        frames = []
        while len(self.buffer) >= 2:
            opcode, length = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F
            start = 2
            if length == 126:
                if len(self.buffer) < 4:
                    break
                length, start = struct.unpack("!H", self.buffer[2:4])[0], 4
            elif length == 127:
                if len(self.buffer) < 10:
                    break
                length, start = struct.unpack("!Q", self.buffer[2:10])[0], 10
            if len(self.buffer) < start + length:
                break
            frames.append((opcode, self.buffer[start : start + length]))
            self.buffer = self.buffer[start + length :]
        return frames

    def read_until_text(self, needle: bytes) -> None:
        """Read frames until a text frame contains `needle` (then stop reading)."""
        self.sock.settimeout(120)
        while True:
            for opcode, payload in self._frames():
                if opcode == 1 and needle in payload:
                    return
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("closed before " + needle.decode())
            self.buffer += chunk

    def read_to_the_end(self, seconds: float = 120) -> int | None:
        """Read everything until the server closes: its close code, if it sent one."""
        self.sock.settimeout(seconds)
        code = None
        while True:
            for opcode, payload in self._frames():
                self.frames_read += 1
                if opcode == 8 and len(payload) >= 2:
                    code = struct.unpack("!H", payload[:2])[0]
            if code is not None:
                return code
            try:
                chunk = self.sock.recv(1 << 20)
            except (ConnectionResetError, TimeoutError):
                return code
            if not chunk:
                return code
            self.buffer += chunk

    def close(self) -> None:
        self.sock.close()
