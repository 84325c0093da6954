"""A synchronous httpx client that calls the ASGI app in a background event
loop (an anyio blocking portal), with the app's lifespan run around it.

Starlette's TestClient warns (deprecated with httpx), and the suite turns
warnings into errors: this is the small equivalent we need."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal


class _PortalTransport(httpx.BaseTransport):
    def __init__(self, portal: BlockingPortal, app: Any, client_ip: str) -> None:
        self._portal = portal
        self._transport = httpx.ASGITransport(
            app, raise_app_exceptions=False, client=(client_ip, 50000)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            response = await self._transport.handle_async_request(request)
            body = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
            return response.status_code, response.headers.raw, body

        status, headers, body = self._portal.call(send)
        return httpx.Response(status, headers=headers, content=body, request=request)


@contextmanager
def app_client(app: Any, base_url: str, client_ip: str = "127.0.0.1") -> Iterator[httpx.Client]:
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        httpx.Client(
            transport=_PortalTransport(portal, app, client_ip), base_url=base_url
        ) as client,
    ):
        yield client
