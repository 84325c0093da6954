"""PNG, JPEG and WebP: recognise by magic bytes, walk the container structure
and read the dimensions from the headers, with no image library.

Pixels are not decoded; the structure is checked end to end (PNG chunk CRCs
and IEND, JPEG marker segments up to the scan and an end marker, RIFF sizes),
so a truncated or mislabelled file is refused with a reason.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Literal

RasterType = Literal["image/png", "image/jpeg", "image/webp"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_PNG_BIT_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}


class RasterError(ValueError):
    """The file is not a well-formed image of the type it claims to be."""


@dataclass(frozen=True, slots=True)
class RasterInfo:
    media_type: RasterType
    width: int
    height: int


def sniff_raster(data: bytes) -> RasterType | None:
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def read_raster(data: bytes) -> RasterInfo:
    media_type = sniff_raster(data)
    if media_type == "image/png":
        width, height = _png_size(data)
    elif media_type == "image/jpeg":
        width, height = _jpeg_size(data)
    elif media_type == "image/webp":
        width, height = _webp_size(data)
    else:
        raise RasterError("is not a PNG, JPEG or WebP image")
    return RasterInfo(media_type, width, height)


def _png_size(data: bytes) -> tuple[int, int]:
    position = len(PNG_SIGNATURE)
    size: tuple[int, int] | None = None
    seen_data = False
    while True:
        if position + 12 > len(data):
            raise RasterError("is a truncated PNG (no IEND chunk)")
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if length > 0x7FFFFFFF or end > len(data):
            raise RasterError("is a truncated PNG")
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[position + 4 : position + 8 + length]) != crc:
            raise RasterError(f"is a damaged PNG (bad checksum in chunk {kind!r})")
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise RasterError("is a damaged PNG (IHDR must come first)")
            width, height, depth, color, compression, filtering, interlace = struct.unpack(
                ">IIBBBBB", body
            )
            if (
                depth not in _PNG_BIT_DEPTHS.get(color, set())
                or compression != 0
                or filtering != 0
                or interlace not in (0, 1)
            ):
                raise RasterError("is a damaged PNG (invalid IHDR)")
            size = (width, height)
        elif kind == b"IDAT":
            seen_data = True
        elif kind == b"IEND":
            if not seen_data:
                raise RasterError("is a PNG without image data")
            if end != len(data):
                raise RasterError("has data after the end of the PNG image")
            return size
        position = end


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    size: tuple[int, int] | None = None
    while True:
        if position >= len(data) or data[position] != 0xFF:
            raise RasterError("is a damaged JPEG (marker expected)")
        while position < len(data) and data[position] == 0xFF:
            position += 1
        if position >= len(data):
            raise RasterError("is a truncated JPEG")
        marker = data[position]
        position += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue  # markers without a segment
        if marker in (0xD8, 0xD9):
            raise RasterError("is a damaged JPEG (unexpected start or end marker)")
        if position + 2 > len(data):
            raise RasterError("is a truncated JPEG")
        (length,) = struct.unpack(">H", data[position : position + 2])
        if length < 2 or position + length > len(data):
            raise RasterError("is a truncated JPEG")
        if marker in _JPEG_SOF:
            if length < 8:
                raise RasterError("is a damaged JPEG (short frame header)")
            height, width = struct.unpack(">HH", data[position + 3 : position + 7])
            components = data[position + 7]
            if components not in (1, 3, 4):
                raise RasterError("is a damaged JPEG (unsupported component count)")
            size = (width, height)
        elif marker == 0xDA:
            if size is None:
                raise RasterError("is a damaged JPEG (scan before the frame header)")
            if data.rfind(b"\xff\xd9") < position:
                raise RasterError("is a truncated JPEG (no end marker)")
            return size
        position += length


def _webp_size(data: bytes) -> tuple[int, int]:
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 != len(data) or riff_size < 4:
        raise RasterError("is a truncated or padded WebP (RIFF size does not match)")
    chunks: dict[bytes, bytes] = {}
    position = 12
    while position < len(data):
        if position + 8 > len(data):
            raise RasterError("is a damaged WebP (chunk header)")
        kind, length = struct.unpack("<4sI", data[position : position + 8])
        end = position + 8 + length
        if end > len(data):
            raise RasterError("is a truncated WebP")
        chunks.setdefault(kind, data[position + 8 : end])
        position = end + (length & 1)
    if b"VP8X" in chunks:
        extended = chunks[b"VP8X"]
        if len(extended) < 10:
            raise RasterError("is a damaged WebP (VP8X)")
        if not ({b"VP8 ", b"VP8L", b"ANMF"} & chunks.keys()):
            raise RasterError("is a WebP without image data")
        width = 1 + int.from_bytes(extended[4:7], "little")
        height = 1 + int.from_bytes(extended[7:10], "little")
        return width, height
    if b"VP8 " in chunks:
        frame = chunks[b"VP8 "]
        if len(frame) < 10 or frame[3:6] != b"\x9d\x01\x2a" or frame[0] & 1:
            raise RasterError("is a damaged WebP (VP8 key frame)")
        width, height = struct.unpack("<HH", frame[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if b"VP8L" in chunks:
        lossless = chunks[b"VP8L"]
        if len(lossless) < 5 or lossless[0] != 0x2F:
            raise RasterError("is a damaged WebP (VP8L signature)")
        bits = int.from_bytes(lossless[1:5], "little")
        if bits >> 29:
            raise RasterError("is a damaged WebP (VP8L version)")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise RasterError("is a WebP without image data")
