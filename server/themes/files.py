"""Public files, no authentication: theme CSS, logos and the embed SDK.

GET /themes/<slug>/<digest>.css        a theme's CSS (any published version, or
                                       /themes/default/... for the default theme)
GET /themes/<slug>/logo-<digest>.<ext> a stored logo
GET /embed/embed.js | embed.global.js | embed.d.ts   the SDK
GET /embed/example.html                the example host page

CSS and logos are named by their content: immutable, cached for a year, with a
strong ETag answered by 304.
"""

from __future__ import annotations

import hashlib
from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

import embed
from server.services import Services
from server.themes.store import find_css, find_logo
from themes import CSS_MEDIA_TYPE, IMMUTABLE_CACHE_CONTROL, etag_matches, parse_css_file_name
from themes.logo import SVG_RESPONSE_HEADERS

EXAMPLE_PAGE = embed.SDK_DIR / "example" / "host.html"
_NOT_FOUND_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _not_found() -> Response:
    return Response("Not found\n", 404, _NOT_FOUND_HEADERS, media_type="text/plain")


def _immutable(
    request: Request, body: bytes, media_type: str, etag: str, extra: dict[str, str] | None = None
) -> Response:
    headers = {
        "ETag": etag,
        "Cache-Control": IMMUTABLE_CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        **(extra or {}),
    }
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, 200, headers, media_type=media_type)


def theme_file_routes(services: Services) -> list[BaseRoute]:
    async def theme_file(request: Request) -> Response:
        slug: str = request.path_params["slug"]
        name: str = request.path_params["name"]
        digest = parse_css_file_name(name)
        if digest is not None:
            async with services.sessions() as session:
                css = await find_css(session, slug, digest)
            if css is None:
                return _not_found()
            return _immutable(request, css.body, CSS_MEDIA_TYPE, css.etag)
        found = find_logo(services.storage, slug, name)
        if found is None:
            return _not_found()
        content, media_type = found
        etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        extra = SVG_RESPONSE_HEADERS if media_type == "image/svg+xml" else None
        return _immutable(request, content, media_type, etag, extra)

    return [
        Route("/themes/{slug}/{name}", theme_file, methods=["GET", "HEAD"]),
        *sdk_routes(),
    ]


@cache
def _sdk_file(name: str) -> bytes:
    return (embed.SDK_DIR / name).read_bytes()


def sdk_routes() -> list[BaseRoute]:
    async def sdk_file(request: Request) -> Response:
        name: str = request.path_params["name"]
        if name == "example.html":
            return Response(
                EXAMPLE_PAGE.read_bytes(),
                headers={
                    "Cache-Control": "no-cache",
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer",
                },
                media_type="text/html; charset=utf-8",
            )
        media_type = embed.SDK_FILES.get(name)
        if media_type is None:
            return _not_found()
        return Response(_sdk_file(name), headers=embed.SDK_RESPONSE_HEADERS, media_type=media_type)

    return [Route("/embed/{name}", sdk_file, methods=["GET", "HEAD"])]
