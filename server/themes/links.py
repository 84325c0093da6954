"""What the editor shows of a partner's brand: module name, theme CSS URL, logo.

`Partner.theme_ref` is the path of the published theme's CSS
(`/themes/<partner>/<digest>.css`, served by server/themes/files.py). A partner
without a published theme gets None: the editor then links its own hashed copy
of the neutral theme (`themes.css.default_css()`). The logo of the published
theme, kept in file storage under its digest, becomes a `data:` URI (the
editor's CSP allows images from `data:` and itself only); logos never change
under a digest, so each is read once (a few are kept).
"""

from __future__ import annotations

import base64
import re
from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncSession

from editor.backend import Branding
from server.db.tenants import Partner
from server.file_storage import FileStorage
from server.themes.store import current_theme, logo_storage_key

_THEME_PATH = re.compile(r"/themes/[A-Za-z0-9][A-Za-z0-9_-]{0,63}/[0-9a-f]{16}\.css")
_CACHED_LOGOS = 64


class ThemeLinks:
    def __init__(self, storage: FileStorage) -> None:
        self._storage = storage
        self._logos: OrderedDict[str, str] = OrderedDict()

    def css_url(self, partner: Partner) -> str | None:
        ref = partner.theme_ref
        return ref if ref and _THEME_PATH.fullmatch(ref) else None

    async def branding(self, db: AsyncSession, partner: Partner) -> Branding:
        css_url = self.css_url(partner)
        logo = None
        if css_url is not None:
            current = await current_theme(db, partner)
            ref = current.built.theme.logo if current is not None else None
            if ref is not None:
                logo = self._logo(logo_storage_key(partner.id, ref.media_type, ref.sha256))
                logo = logo and f"data:{ref.media_type};base64,{logo}"
        return Branding(partner.module_name, css_url, logo)

    def _logo(self, key: str) -> str | None:
        """The stored logo as base64, or None when missing."""
        if key in self._logos:
            self._logos.move_to_end(key)
            return self._logos[key]
        content = self._storage.get(key)
        if content is None:
            return None
        encoded = base64.b64encode(content).decode()
        self._logos[key] = encoded
        if len(self._logos) > _CACHED_LOGOS:
            self._logos.popitem(last=False)
        return encoded
