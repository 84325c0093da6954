"""Uploaded raster images decoded and written again with Pillow: what is stored is
what Pillow drew from the pixels, so metadata (EXIF, text chunks, ICC comments) and
anything appended after the image are gone, and a file that only looks like an image
by its header is refused (Pillow decodes the whole of it)."""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, UnidentifiedImageError

# The largest image decoded: 4096 x 4096 (themes.logo's limit on each side).
MAX_PIXELS = 4096 * 4096
_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


_STRICT = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow's LOAD_TRUNCATED_IMAGES is process-wide and another library may set it
    (WeasyPrint does, in the bench's process); an upload must decode whole: off while
    we decode."""
    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


class ReencodeError(ValueError):
    """Not an image Pillow can decode as the type it claims."""


@dataclass(frozen=True, slots=True)
class Reencoded:
    content: bytes
    width: int
    height: int


def reencode(data: bytes, media_type: str) -> Reencoded:
    expected = _FORMATS.get(media_type)
    if expected is None:
        raise ReencodeError("is not a PNG, JPEG or WebP image")
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ReencodeError("has too many pixels")
                image.load()
                picture = image.copy()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ReencodeError("could not be read as an image (damaged or not an image)") from error
    if picture.mode not in ("RGB", "RGBA", "L", "LA"):
        picture = picture.convert(
            "RGBA" if "transparency" in picture.info or picture.mode in ("P", "PA") else "RGB"
        )
    if expected == "JPEG" and picture.mode in ("RGBA", "LA"):
        picture = picture.convert("RGB")
    out = io.BytesIO()
    options: dict[str, object] = {}
    if expected == "JPEG":
        options = {"quality": 90, "optimize": True}
    elif expected == "WEBP":
        options = {"quality": 90, "method": 4}
    else:
        options = {"optimize": True}
    picture.info.clear()
    picture.save(out, format=expected, **options)
    return Reencoded(out.getvalue(), picture.width, picture.height)
