"""The page's static files under content-hashed names, kept in memory (and gzipped).

`editor.js` is served as `/editor/static/editor.<hash>.js`: the name changes when
the content does, so the files are cached for a year. The document's own CSS
(`invoicing/templates/document.css`, shared with the PDF) and the neutral theme
are served the same way, for the preview and for sessions without a theme.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from invoicing.html import stylesheet
from themes.css import default_css

STATIC = Path(__file__).parent / "static"
PREFIX = "/editor/static/"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class Asset:
    name: str  # 'editor.js'
    hashed_name: str  # 'editor.0123456789ab.js'
    body: bytes
    gzipped: bytes
    media_type: str

    @property
    def etag(self) -> str:
        return f'"{self.hashed_name}"'


def _asset(name: str, body: bytes) -> Asset:
    stem, _, extension = name.rpartition(".")
    digest = hashlib.sha256(body).hexdigest()[:12]
    return Asset(
        name=name,
        hashed_name=f"{stem}.{digest}.{extension}",
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        media_type=MEDIA_TYPES["." + extension],
    )


class Assets:
    def __init__(self) -> None:
        files = {
            path.name: path.read_bytes() for path in sorted(STATIC.iterdir()) if path.is_file()
        }
        files["document.css"] = stylesheet().encode()
        files["theme-default.css"] = default_css().body
        self._by_name = {name: _asset(name, body) for name, body in files.items()}
        self._by_hashed = {asset.hashed_name: asset for asset in self._by_name.values()}

    def url(self, name: str) -> str:
        return PREFIX + self._by_name[name].hashed_name

    def find(self, hashed_name: str) -> Asset | None:
        return self._by_hashed.get(hashed_name)

    def page_weight(self, names: tuple[str, ...] = ("editor.js", "editor.css")) -> int:
        """Bytes, gzipped, of what the editor page itself loads."""
        return sum(len(self._by_name[name].gzipped) for name in names)
