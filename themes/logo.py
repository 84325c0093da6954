"""Partner logos: PNG, JPEG or WebP up to 1 MB, or an SVG sanitized first.

The type comes from the bytes (magic numbers), never from the file name; a
declared type (upload Content-Type, data: URL) must agree with them. Every
refusal is a `LogoError` naming the field, with a sentence a designer can act on, in
French and in English.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Final

from themes.css import check_partner_slug
from themes.messages import theme_message
from themes.model import LogoMediaType, LogoRef
from themes.raster import RasterError, read_raster, sniff_raster
from themes.reencode import ReencodeError, reencode
from themes.svg import SvgRefused, sanitize_svg

MAX_LOGO_BYTES: Final = 1024 * 1024
MIN_SIDE: Final = 16
MAX_SIDE: Final = 4096

EXTENSIONS: dict[LogoMediaType, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/svg+xml": "svg",
}
_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}
_NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP", "image/svg+xml": "SVG"}
_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+)(?:;[\w-]+=[\w.-]+)*;base64,(.*)", re.DOTALL)

SVG_RESPONSE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    "X-Content-Type-Options": "nosniff",
}
"""Headers to serve a stored SVG logo with (defence in depth after sanitizing)."""


class LogoError(ValueError):
    """A refused logo: what to do, in French and in English (themes/messages.py)."""

    def __init__(self, said: tuple[str, str], field: str = "logo") -> None:
        self.message_fr, self.message_en = said
        super().__init__(f"{field}: {self.message_en}")
        self.field = field

    def message(self, language: str) -> str:
        return self.message_fr if language == "fr" else self.message_en


@dataclass(frozen=True, slots=True)
class ValidLogo:
    media_type: LogoMediaType
    content: bytes  # what to store and serve: the sanitized document for SVG
    width: int
    height: int
    removed: tuple[str, ...] = ()  # what sanitizing took out of an SVG

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def file_name(self) -> str:
        return f"logo-{self.sha256[:16]}.{EXTENSIONS[self.media_type]}"

    def ref(self) -> LogoRef:
        return LogoRef(
            media_type=self.media_type,
            sha256=self.sha256,
            width=self.width,
            height=self.height,
            size=len(self.content),
        )


def logo_path(partner: str, logo: LogoRef) -> str:
    """The immutable URL path of a stored logo."""
    name = f"logo-{logo.sha256[:16]}.{EXTENSIONS[logo.media_type]}"
    return f"/themes/{check_partner_slug(partner)}/{name}"


def validate_logo(data: bytes, declared_type: str | None = None, field: str = "logo") -> ValidLogo:
    if not data:
        raise LogoError(theme_message("logo_empty"), field)
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(theme_message("logo_too_large", limit=MAX_LOGO_BYTES), field)
    declared = _normalize_declared(declared_type, field)
    if data.startswith((b"GIF87a", b"GIF89a")):
        raise LogoError(theme_message("logo_gif"), field)
    sniffed = sniff_raster(data)
    if sniffed is None and not _looks_like_xml(data):
        raise LogoError(theme_message("logo_not_image"), field)
    actual: LogoMediaType = sniffed or "image/svg+xml"
    if declared and declared != actual:
        names = {"declared": _NAMES[declared], "actual": _NAMES[actual]}
        raise LogoError(theme_message("logo_type_mismatch", **names), field)
    if sniffed is None:
        try:
            svg = sanitize_svg(data)
        except SvgRefused as error:
            raise LogoError((error.french, f"The SVG {error}."), field) from None
        if len(svg.content) > MAX_LOGO_BYTES:
            raise LogoError(theme_message("svg_too_large"), field)
        return ValidLogo("image/svg+xml", svg.content, svg.width, svg.height, svg.removed)
    try:
        info = read_raster(data)
    except RasterError as error:
        raise LogoError(theme_message("logo_damaged", detail=error), field) from None
    if not (MIN_SIDE <= info.width <= MAX_SIDE and MIN_SIDE <= info.height <= MAX_SIDE):
        sides = {"min": MIN_SIDE, "max": MAX_SIDE, "width": info.width, "height": info.height}
        raise LogoError(theme_message("logo_sides", **sides), field)
    try:
        drawn = reencode(data, info.media_type)
    except ReencodeError as error:
        raise LogoError(theme_message("logo_damaged", detail=error), field) from None
    return ValidLogo(info.media_type, drawn.content, drawn.width, drawn.height)


def logo_from_data_url(url: str, field: str = "logo") -> ValidLogo:
    """'data:image/png;base64,...' -> a validated logo (what a JSON body carries)."""
    if len(url) > MAX_LOGO_BYTES * 4 // 3 + 200:
        raise LogoError(theme_message("logo_too_large", limit=MAX_LOGO_BYTES), field)
    match = _DATA_URL.fullmatch(url.strip())
    if not match:
        raise LogoError(theme_message("logo_data_url"), field)
    try:
        data = base64.b64decode("".join(match.group(2).split()), validate=True)
    except binascii.Error:
        raise LogoError(theme_message("logo_base64"), field) from None
    return validate_logo(data, match.group(1), field)


def _normalize_declared(declared: str | None, field: str) -> LogoMediaType | None:
    if declared is None:
        return None
    media_type = declared.split(";")[0].strip().lower()
    media_type = _ALIASES.get(media_type, media_type)
    for known in EXTENSIONS:
        if known == media_type:
            return known
    raise LogoError(theme_message("logo_type"), field)


def _looks_like_xml(data: bytes) -> bool:
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"
