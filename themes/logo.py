"""Partner logos: PNG, JPEG or WebP up to 1 MB, or an SVG sanitized first.

The type comes from the bytes (magic numbers), never from the file name; a
declared type (upload Content-Type, data: URL) must agree with them. Every
refusal is a `LogoError` naming the field, with a message a designer can act on.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Final

from themes.css import check_partner_slug
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
    def __init__(self, message: str, field: str = "logo") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


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
        raise LogoError("the file is empty", field)
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(
            f"the file is {len(data):,} bytes; the limit is {MAX_LOGO_BYTES:,} (1 MB)", field
        )
    declared = _normalize_declared(declared_type, field)
    if data.startswith((b"GIF87a", b"GIF89a")):
        raise LogoError("GIF is not accepted: export the logo as PNG, WebP or SVG", field)
    sniffed = sniff_raster(data)
    if sniffed is None and not _looks_like_xml(data):
        raise LogoError("the file is not a PNG, JPEG, WebP or SVG image", field)
    actual: LogoMediaType = sniffed or "image/svg+xml"
    if declared and declared != actual:
        raise LogoError(
            f"the file was sent as {_NAMES[declared]} but its content is {_NAMES[actual]}", field
        )
    if sniffed is None:
        try:
            svg = sanitize_svg(data)
        except SvgRefused as error:
            raise LogoError(f"the SVG {error}", field) from None
        if len(svg.content) > MAX_LOGO_BYTES:
            raise LogoError("the SVG is larger than 1 MB once sanitized", field)
        return ValidLogo("image/svg+xml", svg.content, svg.width, svg.height, svg.removed)
    try:
        info = read_raster(data)
    except RasterError as error:
        raise LogoError(f"the file {error}", field) from None
    if not (MIN_SIDE <= info.width <= MAX_SIDE and MIN_SIDE <= info.height <= MAX_SIDE):
        raise LogoError(
            f"the image is {info.width}x{info.height} pixels; each side must be between"
            f" {MIN_SIDE} and {MAX_SIDE}",
            field,
        )
    try:
        drawn = reencode(data, info.media_type)
    except ReencodeError as error:
        raise LogoError(f"the file {error}", field) from None
    return ValidLogo(info.media_type, drawn.content, drawn.width, drawn.height)


def logo_from_data_url(url: str, field: str = "logo") -> ValidLogo:
    """'data:image/png;base64,...' -> a validated logo (what a JSON body carries)."""
    if len(url) > MAX_LOGO_BYTES * 4 // 3 + 200:
        raise LogoError(f"the file is larger than {MAX_LOGO_BYTES:,} bytes (1 MB)", field)
    match = _DATA_URL.fullmatch(url.strip())
    if not match:
        raise LogoError("must be a base64 data: URL such as data:image/png;base64,...", field)
    try:
        data = base64.b64decode("".join(match.group(2).split()), validate=True)
    except binascii.Error:
        raise LogoError("the base64 data is damaged", field) from None
    return validate_logo(data, match.group(1), field)


def _normalize_declared(declared: str | None, field: str) -> LogoMediaType | None:
    if declared is None:
        return None
    media_type = declared.split(";")[0].strip().lower()
    media_type = _ALIASES.get(media_type, media_type)
    for known in EXTENSIONS:
        if known == media_type:
            return known
    raise LogoError(
        f"{media_type or 'this type'} is not accepted: use PNG, JPEG, WebP or SVG", field
    )


def _looks_like_xml(data: bytes) -> bool:
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"
