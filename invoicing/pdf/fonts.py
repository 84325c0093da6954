"""The fonts the PDF's pages are set in, and the characters they can draw.

Typst is given the files of the families document.typ names, from Debian's
packages (Makefile: APT_RUN), and nothing else. PDF/A forbids drawing a character
with no glyph (an empty box): Typst refuses to write such a page, so a character
no font has is shown as U+FFFD (�) instead (the XML keeps the text as written).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_ROOT = Path("/usr/share/fonts/truetype")
FONT_FILES = (
    *(
        f"liberation/LiberationSans-{style}.ttf"
        for style in ("Regular", "Bold", "Italic", "BoldItalic")
    ),
    *(f"dejavu/DejaVuSans{style}.ttf" for style in ("", "-Bold", "-Oblique", "-BoldOblique")),
    "wqy/wqy-microhei.ttc",
    "noto/NotoColorEmoji.ttf",
)
REPLACEMENT = "\ufffd"

# Characters drawn without a glyph: line breaks and tabs, spaces (Typst sets their
# width), and Unicode's default-ignorable code points (bidi marks, joiners,
# variation selectors...), which shaping drops.
_SPACING = frozenset({"Zs", "Zl", "Zp"})
_WITHOUT_GLYPH = re.compile(
    "[\t\n\r\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_ASCII_PRINTABLE = re.compile(r"[\x20-\x7e]*")


def font_files() -> list[Path]:
    """The installed ones (a machine without the emoji font still prints)."""
    return [FONT_ROOT / name for name in FONT_FILES if (FONT_ROOT / name).is_file()]


def _characters(path: Path) -> frozenset[str]:
    # A collection's faces (WenQuanYi Micro Hei and its Mono) cover the same characters.
    font = TTFont(str(path), lazy=True, fontNumber=0 if path.suffix == ".ttc" else -1)
    try:
        return frozenset(map(chr, font.getBestCmap() or {}))
    finally:
        font.close()


@cache
def _first_font_characters() -> frozenset[str]:
    """Liberation Sans': an invoice in a Latin script needs no other font, and the
    CJK font's table takes a quarter of a second to read."""
    files = font_files()
    return _characters(files[0]) if files else frozenset()


@cache
def covered_characters() -> frozenset[str]:
    """Every character some given font has a glyph for."""
    return frozenset().union(*(_characters(path) for path in font_files()))


@cache
def _drawable(character: str) -> bool:
    return (
        character in _first_font_characters()
        or unicodedata.category(character) in _SPACING
        or _WITHOUT_GLYPH.match(character) is not None
        or character in covered_characters()
    )


def printable(text: str) -> str:
    """`text` with every character no font can draw replaced by U+FFFD."""
    if _ASCII_PRINTABLE.fullmatch(text):
        return text
    missing = {ord(char): REPLACEMENT for char in set(text) if not _drawable(char)}
    return text.translate(missing) if missing else text
