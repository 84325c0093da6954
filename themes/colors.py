"""Colour arithmetic: hex sRGB, WCAG relative luminance and contrast, OKLCH.

Contrast follows WCAG 2.2 exactly (sRGB linearisation threshold 0.04045, ratio
(L1 + 0.05) / (L2 + 0.05), no rounding: 4.499:1 fails 4.5:1). Lightness changes
happen in OKLCH, where a lightness step keeps the hue and looks like the same
colour made lighter or darker, unlike HSL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class Rgb(NamedTuple):
    """An 8-bit sRGB colour, the only precision CSS hex colours have."""

    r: int
    g: int
    b: int

    @property
    def hex(self) -> str:
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}"


class Oklch(NamedTuple):
    l: float  # noqa: E741 - the name the CSS Color 4 spec uses
    c: float
    h: float  # degrees, 0 <= h < 360


BLACK = Rgb(0, 0, 0)
WHITE = Rgb(255, 255, 255)


def parse_hex(text: str) -> Rgb:
    """'#1A2b3c', '1a2b3c' or '#abc' -> Rgb. Raises ValueError otherwise."""
    match = _HEX.match(text.strip())
    if not match:
        raise ValueError("must be a hex colour like #1a73e8")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return Rgb(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def normalize_hex(text: str) -> str:
    return parse_hex(text).hex


def _to_linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _from_linear(value: float) -> float:
    v = min(max(value, 0.0), 1.0)
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def relative_luminance(color: Rgb) -> float:
    r, g, b = (_to_linear(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Rgb, b: Rgb) -> float:
    la, lb = relative_luminance(a), relative_luminance(b)
    lighter, darker = max(la, lb), min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)


def min_contrast(color: Rgb, against: Sequence[Rgb]) -> float:
    return min(contrast_ratio(color, other) for other in against)


def _lab_from_linear(r: float, g: float, b: float) -> tuple[float, float, float]:
    lms = (
        0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b,
        0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b,
        0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b,
    )
    l_, m_, s_ = (math.copysign(abs(v) ** (1 / 3), v) for v in lms)
    return (
        0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
        1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
        0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
    )


def _linear_from_lab(lightness: float, a: float, b: float) -> tuple[float, float, float]:
    l_ = lightness + 0.3963377774 * a + 0.2158037573 * b
    m_ = lightness - 0.1055613458 * a - 0.0638541728 * b
    s_ = lightness - 0.0894841775 * a - 1.2914855480 * b
    lc, mc, sc = l_**3, m_**3, s_**3
    return (
        4.0767416621 * lc - 3.3077115913 * mc + 0.2309699292 * sc,
        -1.2684380046 * lc + 2.6097574011 * mc - 0.3413193965 * sc,
        -0.0041960863 * lc - 0.7034186147 * mc + 1.7076147010 * sc,
    )


def to_oklab(color: Rgb) -> tuple[float, float, float]:
    return _lab_from_linear(*(_to_linear(c) for c in color))


def to_oklch(color: Rgb) -> Oklch:
    lightness, a, b = to_oklab(color)
    chroma = math.hypot(a, b)
    hue = math.degrees(math.atan2(b, a)) % 360 if chroma > 1e-6 else 0.0
    return Oklch(lightness, chroma, hue)


def _in_gamut(linear: tuple[float, float, float], tolerance: float = 1e-4) -> bool:
    return all(-tolerance <= v <= 1 + tolerance for v in linear)


def from_oklch(color: Oklch) -> Rgb:
    """The sRGB colour nearest `color`: out-of-gamut colours keep their
    lightness and hue and lose chroma until they fit."""
    lightness = min(max(color.l, 0.0), 1.0)
    radians = math.radians(color.h)

    def linear(chroma: float) -> tuple[float, float, float]:
        return _linear_from_lab(lightness, chroma * math.cos(radians), chroma * math.sin(radians))

    rgb = linear(color.c)
    if not _in_gamut(rgb):
        low, high = 0.0, max(color.c, 0.0)
        for _ in range(16):
            middle = (low + high) / 2
            if _in_gamut(linear(middle)):
                low = middle
            else:
                high = middle
        rgb = linear(low)
    r, g, b = (round(_from_linear(v) * 255) for v in rgb)
    return Rgb(r, g, b)


def with_lightness(color: Rgb, lightness: float) -> Rgb:
    lch = to_oklch(color)
    return from_oklch(Oklch(lightness, lch.c, lch.h))


def shift_lightness(color: Rgb, delta: float) -> Rgb:
    return with_lightness(color, to_oklch(color).l + delta)


def delta_e(a: Rgb, b: Rgb) -> float:
    """Euclidean distance in OKLab: about 0.02 is just noticeable side by side."""
    return math.dist(to_oklab(a), to_oklab(b))


def hue_distance(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def _ratio(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def ensure_contrast(color: Rgb, against: Sequence[Rgb], minimum: float) -> Rgb:
    """`color` itself if it has at least `minimum` contrast with every colour of
    `against`; else the colour of the same hue whose OKLCH lightness is the
    nearest to it that does (black or white as a last resort).

    Raises ValueError when no lightness works (backgrounds on both sides of
    the colour with a demand too high for any single one)."""
    luminances = [relative_luminance(other) for other in against]

    def passes(candidate: Rgb) -> bool:
        own = relative_luminance(candidate)
        return all(_ratio(own, other) >= minimum for other in luminances)

    if passes(color):
        return color
    lch = to_oklch(color)
    found: list[tuple[float, Rgb]] = []
    for extreme in (0.0, 1.0):
        end = from_oklch(Oklch(extreme, lch.c, lch.h))
        if not passes(end):
            continue
        # Invariant: `passing` meets the demand; the search only moves it closer.
        passing_l, failing_l, passing = extreme, lch.l, end
        for _ in range(14):
            middle_l = (passing_l + failing_l) / 2
            candidate = from_oklch(Oklch(middle_l, lch.c, lch.h))
            if passes(candidate):
                passing_l, passing = middle_l, candidate
            else:
                failing_l = middle_l
        found.append((abs(passing_l - lch.l), passing))
    if found:
        return min(found)[1]
    for fallback in (BLACK, WHITE):
        if passes(fallback):
            return fallback
    raise ValueError(f"no colour reaches {minimum}:1 against all of {[c.hex for c in against]}")
