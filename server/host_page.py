"""The example partner page (embed/example/host.html) on its own local origin.

`blanche serve --host-page-port 8001` serves it beside the service, so the
editor runs framed by another origin exactly as in a partner's app: its own
`frame-ancestors`, `postMessage` origin checks, the SDK loaded cross-origin.
The page loads the SDK from the service (`/embed/embed.global.js`), as a
partner's page does; this origin also serves the SDK's plain build, for
trying a local copy with `?sdk=/embed.global.js`.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from embed import SDK_DIR, SDK_FILES

HOST_PAGE = SDK_DIR / "example" / "host.html"
SDK_NAME = "embed.global.js"


def host_page_app() -> Starlette:
    page = HOST_PAGE.read_text(encoding="utf-8")
    sdk = (SDK_DIR / SDK_NAME).read_bytes()

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    async def script(request: Request) -> Response:
        return Response(
            sdk,
            media_type=SDK_FILES[SDK_NAME],
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route(f"/{SDK_NAME}", script, methods=["GET"]),
        ]
    )
