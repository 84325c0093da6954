"""The studio's compiled frontend (`reflex export`), served by us with our headers.

- The build names its backend with a placeholder origin (rxconfig.BUILD_ORIGIN);
  the files that carry it are rewritten once, at start, to the studio's public
  URL (http -> ws, https -> wss for the event socket).
- HTML pages get a Content-Security-Policy: nobody may frame the studio
  (`frame-ancestors 'none'`), scripts are this origin's plus the page's own
  inline scripts by hash, the editor frame and images come from the service.
- Hashed assets are immutable; pre-compressed `.gz` files are sent to clients
  that accept gzip.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

BUILD_ORIGIN = "http://studio-build.invalid"
BUILD_WS_ORIGIN = "ws://studio-build.invalid"
PREFIX = "/studio"
IMMUTABLE = "public, max-age=31536000, immutable"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)
_SAFE_PATH = re.compile(r"[A-Za-z0-9_.\-/]*")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def websocket_origin(origin: str) -> str:
    return ("wss://" if origin.startswith("https://") else "ws://") + origin.split("://", 1)[1]


@dataclass(frozen=True, slots=True)
class StaticFile:
    body: bytes
    gzip: bytes | None  # None: serve `body` only (absent, or the file was rewritten)
    media_type: str


@dataclass
class Frontend:
    """Every file of the build, read once (the build is a few MB)."""

    root: Path  # .web/build/client/studio
    studio_url: str  # the studio's public URL, e.g. http://127.0.0.1:8001
    service_url: str  # Blanche's public URL: the editor frame, embed.js, logos
    files: dict[str, StaticFile] = field(default_factory=dict)
    script_hashes: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not (self.root / "index.html").is_file():
            raise FileNotFoundError(
                f"no studio build in {self.root}: run scripts/build-studio.sh first"
            )
        studio = origin_of(self.studio_url)
        replacements = (
            (BUILD_WS_ORIGIN.encode(), websocket_origin(studio).encode()),
            (BUILD_ORIGIN.encode(), studio.encode()),
        )
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.suffix == ".gz":
                continue
            body = path.read_bytes()
            rewritten = body
            for old, new in replacements:
                rewritten = rewritten.replace(old, new)
            compressed = path.with_name(path.name + ".gz")
            gzip = compressed.read_bytes() if compressed.exists() and rewritten == body else None
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if media_type.startswith("text/") or media_type.endswith("javascript"):
                media_type += "; charset=utf-8"
            self.files[path.relative_to(self.root).as_posix()] = StaticFile(
                rewritten, gzip, media_type
            )
            if path.suffix == ".html":
                for script in _INLINE_SCRIPT.findall(rewritten):
                    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
                    self.script_hashes.add(f"'sha256-{digest}'")

    def content_security_policy(self) -> str:
        studio = origin_of(self.studio_url)
        service = origin_of(self.service_url)
        scripts = " ".join(sorted(self.script_hashes))
        return "; ".join(
            (
                "default-src 'self'",
                # Reflex runs `call_script` snippets with eval.
                f"script-src 'self' 'unsafe-eval' {scripts} {service}",
                "style-src 'self' 'unsafe-inline'",
                f"img-src 'self' data: blob: {service}",
                "font-src 'self' data:",
                f"connect-src 'self' {websocket_origin(studio)}",
                f"frame-src {service}",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'none'",
                "frame-ancestors 'none'",
            )
        )

    def _find(self, relative: str) -> tuple[str, StaticFile] | None:
        relative = relative.strip("/") or "index.html"
        for candidate in (relative, f"{relative}.html", f"{relative}/index.html"):
            if candidate in self.files:
                return candidate, self.files[candidate]
        return None

    async def serve(self, request: Request) -> Response:
        path = request.url.path
        if path == PREFIX:
            return RedirectResponse(PREFIX + "/", 308)
        relative = path.removeprefix(PREFIX + "/")
        if not _SAFE_PATH.fullmatch(relative) or ".." in relative:
            return self._not_found()
        found = self._find(relative)
        if found is None:
            return self._not_found()
        name, static = found
        headers = {"X-Content-Type-Options": "nosniff"}
        if name.endswith(".html"):
            headers.update(self.page_headers())
        else:
            headers["Cache-Control"] = IMMUTABLE if name.startswith("assets/") else "no-cache"
        body = static.body
        if static.gzip is not None:
            headers["Vary"] = "Accept-Encoding"
            if "gzip" in request.headers.get("accept-encoding", ""):
                body = static.gzip
                headers["Content-Encoding"] = "gzip"
        return Response(body, 200, headers, media_type=static.media_type)

    def page_headers(self) -> dict[str, str]:
        return {
            "Content-Security-Policy": self.content_security_policy(),
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",  # login links carry their token in the query
            "Cache-Control": "no-cache",
        }

    def _not_found(self) -> Response:
        page = self.files.get("404.html")
        headers = {"X-Content-Type-Options": "nosniff", **self.page_headers()}
        if page is None:
            return Response("Not found", 404, headers, media_type="text/plain")
        return Response(page.body, 404, headers, media_type=page.media_type)
