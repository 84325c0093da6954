"""A theme as CSS custom properties, at a content-hashed, immutable URL.

The CSS is a pure function of the theme (colours and font), so its SHA-256
names it: `/themes/<partner>/<first 16 hex digits>.css` never changes content
and is cached for a year; the ETag is derived from the same digest.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from themes.model import DEFAULT_THEME, Theme
from themes.palette import Palette, derive_palette

CSS_MEDIA_TYPE = "text/css; charset=utf-8"
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
URL_DIGEST_LENGTH = 16
DEFAULT_PARTNER_SLUG = "default"

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def theme_css(palette: Palette, font_stack: str) -> str:
    lines = [":root {", "  color-scheme: light;"]
    lines += [f"  --bl-{token}: {value};" for token, value in palette.tokens.items()]
    lines.append(f"  --bl-font-family: {font_stack};")
    lines.append("}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class ThemeCss:
    text: str
    sha256: str  # hex digest of `body`

    @classmethod
    def from_text(cls, text: str) -> ThemeCss:
        """For CSS kept in storage at publish time."""
        return cls(text, hashlib.sha256(text.encode()).hexdigest())

    @property
    def body(self) -> bytes:
        return self.text.encode()

    @property
    def etag(self) -> str:
        """A strong ETag, quoted as the header wants it."""
        return f'"{self.sha256[:32]}"'

    @property
    def file_name(self) -> str:
        return f"{self.sha256[:URL_DIGEST_LENGTH]}.css"

    def path(self, partner: str) -> str:
        return f"/themes/{check_partner_slug(partner)}/{self.file_name}"


def render_css(theme: Theme, palette: Palette | None = None) -> ThemeCss:
    palette = palette or derive_palette(theme.primary, theme.secondary, theme.accent)
    return ThemeCss.from_text(theme_css(palette, theme.font_stack))


def check_partner_slug(partner: str) -> str:
    """The partner part of a theme URL: a public id, never a name."""
    if not _SLUG.match(partner):
        raise ValueError(f"not a usable partner slug in a URL: {partner!r}")
    return partner


def parse_css_file_name(name: str) -> str | None:
    """'0123456789abcdef.css' -> '0123456789abcdef' (what `ThemeCss.file_name`
    makes), else None: lets a route refuse anything else before a lookup."""
    match = re.fullmatch(rf"([0-9a-f]{{{URL_DIGEST_LENGTH}}})\.css", name)
    return match.group(1) if match else None


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """True when an If-None-Match header value (RFC 9110: weak comparison, a
    list, or '*') matches `etag`, i.e. when the answer is 304."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


@functools.cache
def default_css() -> ThemeCss:
    """The neutral theme served to partners without a published one."""
    return render_css(DEFAULT_THEME)
