"""Raster logos, checked against files made by a real encoder (Pillow, which
WeasyPrint already depends on)."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from themes.logo import (
    MAX_LOGO_BYTES,
    LogoError,
    logo_from_data_url,
    logo_path,
    validate_logo,
)


def encode(fmt: str, size: tuple[int, int], mode: str = "RGB", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "#e30613" if mode in ("RGB", "RGBA") else 128).save(
        buffer, fmt, **options
    )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "media_type", "size"),
    [
        (encode("PNG", (320, 96)), "image/png", (320, 96)),
        (encode("PNG", (17, 4000), "RGBA"), "image/png", (17, 4000)),
        (encode("PNG", (64, 64), "P"), "image/png", (64, 64)),
        (encode("PNG", (50, 30), "I;16"), "image/png", (50, 30)),
        (encode("PNG", (40, 30), interlace=1), "image/png", (40, 30)),
        (encode("JPEG", (300, 120)), "image/jpeg", (300, 120)),
        (encode("JPEG", (301, 121), progressive=True), "image/jpeg", (301, 121)),
        (encode("JPEG", (64, 32), "L"), "image/jpeg", (64, 32)),
        (encode("JPEG", (64, 32), "CMYK"), "image/jpeg", (64, 32)),
        (encode("WEBP", (333, 111)), "image/webp", (333, 111)),
        (encode("WEBP", (333, 111), lossless=True), "image/webp", (333, 111)),
        (encode("WEBP", (200, 80), "RGBA"), "image/webp", (200, 80)),
        (encode("WEBP", (4096, 16), lossless=True), "image/webp", (4096, 16)),
    ],
)
def test_real_images_are_recognised_with_their_dimensions(
    data: bytes, media_type: str, size: tuple[int, int]
) -> None:
    logo = validate_logo(data)
    assert (logo.media_type, (logo.width, logo.height)) == (media_type, size)
    assert logo.removed == ()
    with Image.open(io.BytesIO(logo.content)) as drawn:  # written again by Pillow
        assert (drawn.size, drawn.get_format_mimetype()) == (size, media_type)
    assert validate_logo(data, media_type) == logo
    ref = logo.ref()
    assert ref.sha256 == logo.sha256 and ref.size == len(logo.content)
    ext = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}[media_type]
    assert logo_path("acme", ref) == f"/themes/acme/logo-{logo.sha256[:16]}.{ext}"


def refused(data: bytes, declared: str | None = None) -> str:
    with pytest.raises(LogoError) as caught:
        validate_logo(data, declared)
    assert caught.value.field == "logo"
    assert caught.value.message_fr != caught.value.message_en
    return caught.value.message("en")


def with_chunk_after_iend(png: bytes) -> bytes:
    return png + b"\x00\x00\x00\x00IEND\xae\x42\x60\x82"


def png_with_size(width: int, height: int) -> bytes:
    """A structurally valid PNG claiming any size (as a decompression bomb would)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def test_refusals_say_why() -> None:
    png = encode("PNG", (100, 40))
    jpeg = encode("JPEG", (100, 40))
    webp = encode("WEBP", (100, 40))
    assert "empty" in refused(b"")
    assert "1048576 bytes (1 MB) at most" in refused(png + b"\x00" * MAX_LOGO_BYTES)
    assert "GIF" in refused(encode("GIF", (100, 40), "P"))
    assert "not a PNG, JPEG, WebP or SVG" in refused(b"%PDF-1.7 ...")
    assert "truncated PNG" in refused(png[:-20])
    damaged = bytearray(png)
    damaged[40] ^= 0xFF
    assert "checksum" in refused(bytes(damaged))
    assert "after the end" in refused(with_chunk_after_iend(png))
    assert "this one is 8 × 8" in refused(encode("PNG", (8, 8)))
    assert "must be 16 to 4096 pixels" in refused(png_with_size(100_000, 100_000))
    assert "truncated JPEG" in refused(jpeg[: len(jpeg) // 2])
    assert "RIFF size" in refused(webp[:-10])
    assert "sent as PNG but its content is JPEG" in refused(jpeg, "image/png")
    assert "This file type is not accepted" in refused(png, "image/gif")
    with pytest.raises(LogoError) as caught:
        validate_logo(png, "image/gif")
    assert caught.value.message("fr") == (
        "Ce type de fichier n'est pas accepté : envoyez une image PNG, JPEG, WebP ou SVG."
    )
    with pytest.raises(LogoError) as caught:
        validate_logo(png[:-20])
    assert caught.value.message("fr") == (
        "Ce fichier est endommagé ou n'est pas une image lisible : exportez-le de nouveau."
    )
    assert caught.value.message("en") == "The file is a truncated PNG: export it again."


def test_declared_type_aliases_and_parameters() -> None:
    jpeg = encode("JPEG", (100, 40))
    assert validate_logo(jpeg, "image/jpg").media_type == "image/jpeg"
    assert validate_logo(jpeg, "Image/JPEG; charset=binary").media_type == "image/jpeg"


def test_a_png_whose_header_alone_is_valid_is_refused() -> None:
    # Its header says 640x160 but it has no pixels: Pillow's decoding finds out.
    assert "could not be read as an image" in refused(png_with_size(640, 160))


def test_data_urls() -> None:
    png = encode("PNG", (120, 40))
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    assert logo_from_data_url(url) == validate_logo(png)
    with pytest.raises(LogoError, match="base64 data: URL"):
        logo_from_data_url("https://example.com/logo.png")
    with pytest.raises(LogoError, match="damaged"):
        logo_from_data_url("data:image/png;base64,@@@")
    with pytest.raises(LogoError, match="sent as PNG but its content is JPEG"):
        jpeg = base64.b64encode(encode("JPEG", (100, 40))).decode()
        logo_from_data_url("data:image/png;base64," + jpeg)
    with pytest.raises(LogoError, match="too large"):
        logo_from_data_url("data:image/png;base64," + "A" * (MAX_LOGO_BYTES * 2))
    with pytest.raises(LogoError) as error:
        logo_from_data_url("nope", field="theme.logo")
    assert error.value.field == "theme.logo"


def test_metadata_and_anything_appended_are_dropped_by_the_reencoding() -> None:
    image = Image.new("RGB", (40, 20), (200, 30, 60))
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"hidden comment")
    data = out.getvalue() + b"<script>appended()</script>"
    logo = validate_logo(data)
    assert b"secret description" not in logo.content and b"hidden comment" not in logo.content
    assert b"appended" not in logo.content
    with Image.open(io.BytesIO(logo.content)) as drawn:
        assert drawn.size == (40, 20) and not drawn.getexif()


def test_a_header_alone_is_not_an_image() -> None:
    header = encode("PNG", (64, 64))[:60]  # the size is readable, the pixels are not
    with pytest.raises(LogoError):
        validate_logo(header)
