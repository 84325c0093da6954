"""The parent origin in the editor URL: `/editor?p=<signed origin>#t=<token>`.

The token travels in the fragment, which the server never sees, yet the page's
`Content-Security-Policy: frame-ancestors` must name the partner page that may
frame it when the page is served. So the session URL also carries the parent
origin in the query, signed (not secret: the partner knows its own origin;
signed so that only origins the service issued end up in our headers). The page
is frameable by that origin only; without `p` it is frameable by itself only
(the standalone page). Over the WebSocket, the session's `parent_origin` must
equal the page's, so a token cannot be used in a page framed by another origin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "blanche.editor-parent-origin.v1"
_ORIGIN = re.compile(r"https?://[a-z0-9.-]{1,253}(?::\d{1,5})?")


def is_origin(text: str) -> bool:
    """`scheme://host[:port]`, lower case, nothing else (what goes in a CSP header)."""
    return bool(_ORIGIN.fullmatch(text))


def origin_of(url: str) -> str:
    """`https://host:port` of a URL (lower case, no path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class ParentOrigins:
    """Signs and reads `p`; the first key signs, every key verifies (rotation)."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one signing key")
        self._serializer = URLSafeSerializer(list(keys), salt=SALT)

    def sign(self, origin: str) -> str:
        if not is_origin(origin):
            raise ValueError(f"not an origin: {origin!r}")
        return self._serializer.dumps(origin)

    def read(self, signed: str) -> str | None:
        if len(signed) > 600:
            return None
        try:
            origin = self._serializer.loads(signed)
        except BadSignature:
            return None
        return origin if isinstance(origin, str) and is_origin(origin) else None

    def editor_url(self, public_url: str, parent_origin: str, token: str) -> str:
        """What `POST /api/v1/editor-sessions` returns as `url`."""
        return f"{public_url.rstrip('/')}/editor?p={quote(self.sign(parent_origin))}#t={token}"
