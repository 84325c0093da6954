"""The seller's logo as the editor's page loads it: a same-origin path naming the
image by its company and digest (`/editor/seller-logo/<signed>`), served with a
year's cache.

The preview is sent again over the live channel after every pause in typing; a
logo inlined as a `data:` URI (up to 1 MB, a third more in base64) would travel
with each one. The path is a few dozen bytes: the browser fetches the image once
and keeps it (a digest never names another image), and a new logo is a new path,
so every tab's next preview shows it.

The signature (no expiry: the path must stay the same to be cached) keeps
anyone from asking for a company's logo by its id; the logo itself is printed on
every document the company sends. Each backend serves the path from its storage
(`EditorBackend.document_logo` gives it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from itsdangerous import BadData, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

from themes.css import etag_matches

SALT = "blanche.seller-logo-image.v1"
PATH = "/editor/seller-logo/{signed}"
IMMUTABLE = "public, max-age=31536000, immutable"
_SHA256_HEX = frozenset("0123456789abcdef")
_LOGO_PATH = re.compile(r"/editor/seller-logo/[A-Za-z0-9_.-]{1,300}")


def is_logo_path(url: str) -> bool:
    """`url` has the shape of a path `LogoImageLinks.path` makes."""
    return _LOGO_PATH.fullmatch(url) is not None


class LogoImageLinks:
    def __init__(self, signing_keys: Sequence[str]) -> None:
        # The last key signs, every key is accepted (itsdangerous' rotation order).
        self._serializer = URLSafeSerializer(list(signing_keys), salt=SALT)

    def path(self, company_id: int, sha256: str) -> str:
        return PATH.format(signed=self._serializer.dumps([company_id, sha256]))

    def read(self, signed: str) -> tuple[int, str] | None:
        """(company id, sha256) of a path this service made, else None."""
        if len(signed) > 300:
            return None
        try:
            found = self._serializer.loads(signed)
        except BadData:
            return None
        match found:
            case [int() as company_id, str() as sha256] if (
                len(sha256) == 64 and set(sha256) <= _SHA256_HEX
            ):
                return company_id, sha256
        return None


def logo_image_response(
    request: Request, media_type: str | None, content: bytes | None, sha256: str
) -> Response:
    """The image (404 when `content` is None), cached for a year: its path names
    its digest. An SVG is served sanitized and may run nothing (CSP, nosniff)."""
    if content is None or media_type is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    etag = f'"{sha256}"'
    headers = {
        "Cache-Control": IMMUTABLE,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media_type, headers=headers)
