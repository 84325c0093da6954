"""Run the theme studio: `python -m themes.studio.serve --host 127.0.0.1 --port 8001`.

One process serves the compiled frontend (`themes.studio.frontend`, our
headers) and the Reflex backend (state events over its WebSocket, uploads)
under /studio/_backend. It uses the service's database and file storage with
the same `BLANCHE_*` settings, and links to the service at BLANCHE_PUBLIC_URL
(the editor frame, embed.js, logos). Build first: scripts/build-studio.sh.

Reflex reads its configuration (rxconfig.py) from the working directory: this
process changes into themes/studio once settings are read.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from server.extra_settings import ExtraSettings
from server.settings import Settings

STUDIO_DIR = Path(__file__).resolve().parent
REPOSITORY = STUDIO_DIR.parent.parent
BUILD_DIR = STUDIO_DIR / ".web" / "build" / "client" / "studio"
BACKEND_PREFIX = "/studio/_backend/"
UPLOAD_PATH = BACKEND_PREFIX + "_upload"
MAX_UPLOAD_BYTES = 1024 * 1024 + 64 * 1024

REFLEX_ENVIRONMENT = {
    "REFLEX_ENV_MODE": "prod",
    "REFLEX_TELEMETRY_ENABLED": "false",
    "REFLEX_CHECK_LATEST_VERSION": "false",
}


class StudioServer:
    """Reflex's backend for /studio/_backend/..., the static frontend for the rest."""

    def __init__(self, reflex: ASGIApp, pages: Starlette) -> None:
        self.reflex = reflex
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"} and scope["path"].startswith(BACKEND_PREFIX):
            if scope["path"] == UPLOAD_PATH and not _upload_size_ok(scope):
                await Response("Upload too large", 413)(scope, receive, send)
                return
            await self.reflex(scope, receive, send)
        else:
            await self.pages(scope, receive, send)


def _upload_size_ok(scope: Scope) -> bool:
    """Reflex reads whole uploads: refuse, before reading, any that could hold
    more than one logo (1 MB) plus its multipart envelope."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return value.isdigit() and int(value) <= MAX_UPLOAD_BYTES
    return False


def create_studio(settings: Settings, extra: ExtraSettings) -> StudioServer:
    """The studio's ASGI application (changes the working directory, see above)."""
    for name, value in REFLEX_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    uploads = settings.var_dir / "studio-uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("REFLEX_UPLOADED_FILES_DIR", str(uploads))
    if str(REPOSITORY) not in sys.path:
        sys.path.insert(0, str(REPOSITORY))  # Reflex looks its app module up on sys.path
    os.chdir(STUDIO_DIR)
    from reflex_base.environment import environment

    environment.REFLEX_SKIP_COMPILE.set(True)  # serve the exported build, never recompile

    from themes.studio.backend import StudioBackend
    from themes.studio.frontend import Frontend
    from themes.studio.state import configure

    backend = StudioBackend(settings, extra)
    configure(backend)
    from themes.studio.app import app as reflex_app

    reflex_asgi: Any = reflex_app()
    frontend = Frontend(BUILD_DIR, extra.studio.public_url, settings.public_url)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with reflex_asgi.router.lifespan_context(reflex_asgi):
            try:
                yield
            finally:
                await backend.aclose()

    async def home(request: Request) -> Response:
        return RedirectResponse("/studio/", 307)

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})

    pages = Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/favicon.ico", no_icon, methods=["GET"]),
            Route("/studio", frontend.serve, methods=["GET", "HEAD"]),
            Route("/studio/{path:path}", frontend.serve, methods=["GET", "HEAD"]),
        ],
        lifespan=lifespan,
    )
    return StudioServer(reflex_asgi, pages)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Blanche theme studio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--fd", type=int, help="serve on this inherited, bound socket instead")
    args = parser.parse_args(argv)
    import uvicorn

    settings = Settings.from_env()
    extra = ExtraSettings.from_env()
    studio = create_studio(settings, extra)
    config = uvicorn.Config(
        studio, host=args.host, port=args.port, log_level="info", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    if args.fd is None:
        server.run()
    else:
        server.run(sockets=[socket.socket(fileno=args.fd)])  # a bound TCP socket, any family


if __name__ == "__main__":
    main()
