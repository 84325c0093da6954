"""The editor's HTTP and WebSocket routes, to mount in the service (or run alone).

GET  /editor                 the page (?p=<signed parent origin>; token in #t=)
WS   /editor/ws              the live channel (editor.live)
GET  /editor/static/<name>   content-hashed JS/CSS, cached for a year
POST /editor/csp-report      CSP violation reports (logged, kept for tests)
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from editor.assets import Assets
from editor.backend import Branding, EditorBackend
from editor.live.connection import Channel, Clock, utcnow
from editor.live.limits import LiveLimits
from editor.live.registry import LiveDrafts
from editor.live.services import Services, Timing
from editor.parent_origin import ParentOrigins
from editor.render import page_html
from editor.work_pool import WorkPool
from themes.css import etag_matches

logger = logging.getLogger("blanche.editor")

WS_PATH = "/editor/ws"
REPORT_PATH = "/editor/csp-report"
IMMUTABLE = "public, max-age=31536000, immutable"


def content_security_policy(frame_ancestors: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {frame_ancestors}",
            f"report-uri {REPORT_PATH}",
        )
    )


def _language(request: Request) -> str:
    accepted = request.headers.get("accept-language", "").lower()
    return "fr" if accepted.startswith("fr") or not accepted else "en"


@dataclass
class Editor:
    """The editor's routes and what they share; `aclose` at shutdown."""

    backend: EditorBackend
    parent_origins: ParentOrigins
    checker: WorkPool | None = None
    timing: Timing = field(default_factory=Timing)
    clock: Clock = utcnow
    assets: Assets = field(default_factory=Assets)
    csp_reports: deque[bytes] = field(default_factory=lambda: deque(maxlen=50))
    limits: LiveLimits = field(default_factory=LiveLimits)
    # Origins the page is served from besides the one a request comes in on (the
    # service's public URL behind a proxy): a WebSocket's `Origin` must be one.
    own_origins: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        services = Services(
            self.backend,
            self.checker,
            self.stylesheets,
            self.timing,
            limits=self.limits,
            own_origins=self.own_origins,
        )
        self.drafts = LiveDrafts(services)
        self.channel = Channel(self.drafts, self.clock)

    def stylesheets(self, branding: Branding) -> list[str]:
        theme = branding.theme_css_url or self.assets.url("theme-default.css")
        return [self.assets.url("document.css"), theme, self.assets.url("preview.css")]

    @property
    def routes(self) -> list[BaseRoute]:
        return [
            Route("/editor", self.page, methods=["GET"]),
            WebSocketRoute(WS_PATH, self.channel.serve),
            Route("/editor/static/{name}", self.static, methods=["GET"]),
            Route(REPORT_PATH, self.csp_report, methods=["POST"]),
        ]

    async def page(self, request: Request) -> Response:
        signed = request.query_params.get("p")
        parent = ""
        if signed is not None:
            parent = self.parent_origins.read(signed) or ""
            if not parent:
                return PlainTextResponse("This editor link is not valid.", status_code=400)
        html = page_html(
            self.assets, lang=_language(request), parent_origin=parent, ws_path=WS_PATH
        )
        return HTMLResponse(
            html,
            headers={
                "Content-Security-Policy": content_security_policy(parent or "'self'"),
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-cache",
                "Vary": "Accept-Language",
            },
        )

    async def static(self, request: Request) -> Response:
        asset = self.assets.find(request.path_params["name"])
        if asset is None:
            return PlainTextResponse("Not found", status_code=404)
        headers = {
            "Cache-Control": IMMUTABLE,
            "ETag": asset.etag,
            "X-Content-Type-Options": "nosniff",
            "Vary": "Accept-Encoding",
        }
        if etag_matches(request.headers.get("if-none-match"), asset.etag):
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)

    async def csp_report(self, request: Request) -> Response:
        body = await request.body()
        self.csp_reports.append(body[:4096])
        logger.info("CSP report: %s", body[:1000].decode("utf-8", "replace"))
        return Response(status_code=204)

    async def aclose(self) -> None:
        await self.drafts.services.loop_lag.stop()
        if self.checker is not None:
            self.checker.close()


def create_editor_app(
    backend: EditorBackend,
    *,
    signing_keys: Sequence[str],
    checker: WorkPool | None = None,
    timing: Timing | None = None,
    clock: Clock = utcnow,
    extra_routes: Sequence[BaseRoute] = (),
    limits: LiveLimits | None = None,
) -> Starlette:
    """A Starlette app serving the editor alone (the demo, the tests)."""
    editor = Editor(
        backend,
        ParentOrigins(signing_keys),
        checker=checker,
        timing=timing or Timing(),
        clock=clock,
        limits=limits or LiveLimits(),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await editor.aclose()

    app = Starlette(routes=[*editor.routes, *extra_routes], lifespan=lifespan)
    app.state.editor = editor
    return app
