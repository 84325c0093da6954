"""What makes an email the partner's: colours from its published theme, its
module name, its logo (inline image) and its site."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from server.db.tenants import Partner
from server.file_storage import FileStorage
from server.themes.store import current_theme, logo_storage_key
from themes import DEFAULT_THEME, BuiltTheme, build_theme

# Email clients show PNG, JPEG and mostly WebP inline; SVG is blocked by most
# of them, so an SVG logo is replaced by the module name in text.
INLINE_LOGO_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})
LOGO_CID = "partner-logo"


@dataclass(frozen=True, slots=True)
class InlineLogo:
    content: bytes
    media_type: str
    width: int
    height: int

    @property
    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.content).decode()}"


@dataclass(frozen=True, slots=True)
class EmailBranding:
    module_name: str
    tokens: dict[str, str]  # the theme's colour tokens (`themes.Palette.tokens`)
    website: str | None
    logo: InlineLogo | None

    def color(self, token: str) -> str:
        return self.tokens[token]


def branding_from(
    built: BuiltTheme, website: str | None, logo_content: bytes | None
) -> EmailBranding:
    theme = built.theme
    logo = None
    if (
        theme.logo is not None
        and logo_content is not None
        and theme.logo.media_type in INLINE_LOGO_TYPES
    ):
        logo = InlineLogo(logo_content, theme.logo.media_type, theme.logo.width, theme.logo.height)
    return EmailBranding(theme.module_name, dict(built.palette.tokens), website, logo)


async def load_branding(
    session: AsyncSession, storage: FileStorage, partner: Partner
) -> EmailBranding:
    """The partner's published branding (the default theme's colours, with the
    partner's module name, when nothing is published)."""
    current = await current_theme(session, partner)
    if current is None:
        theme = DEFAULT_THEME.model_copy(update={"module_name": partner.module_name})
        return branding_from(build_theme(theme), partner.website, None)
    logo = current.built.theme.logo
    content = (
        storage.get(logo_storage_key(partner.id, logo.media_type, logo.sha256)) if logo else None
    )
    return branding_from(current.built, partner.website, content)
