from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from themes.colors import Oklch, Rgb, delta_e, from_oklch, hue_distance, to_oklch
from themes.palette import (
    BRANDS,
    CONTRAST_RULES,
    DISTINCT_GUARANTEED,
    NOTICES,
    TOKENS,
    Palette,
    derive_palette,
)

HEX = re.compile(r"^#[0-9a-f]{6}$")
hex_colors = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")

# Partner colours crowding one semantic hue band: the hard case for keeping
# error, warning and success distinguishable.
BANDS = {"error": (12.0, 40.0), "warning": (52.0, 90.0), "success": (128.0, 168.0)}
crowded = st.sampled_from(sorted(BANDS.values())).flatmap(
    lambda band: st.builds(
        lambda lightness, chroma, hue: from_oklch(Oklch(lightness, chroma, hue)).hex,
        st.floats(0.2, 0.85),
        st.floats(0.03, 0.22),
        st.floats(band[0] - 12, band[1] + 12),
    )
)


def wcag_contrast(a: str, b: str) -> float:
    """Written out again from WCAG 2.2 so the test does not trust themes.colors."""

    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def check_palette(palette: Palette, partner: tuple[str, str, str]) -> None:
    assert tuple(palette.tokens) == TOKENS
    assert all(HEX.match(value) for value in palette.tokens.values())
    # Every text/surface and UI/surface pair meets its threshold.
    for rule in CONTRAST_RULES:
        ratio = wcag_contrast(palette.tokens[rule.foreground], palette.tokens[rule.background])
        assert ratio >= rule.minimum, (rule, ratio, partner)
    # The partner's colours fill their buttons unchanged.
    for name, value in zip(BRANDS, partner, strict=True):
        assert palette.tokens[name] == value
    # Error, warning and success stay apart from the partner's colours and each other,
    # and keep their hue family.
    fills = {name: palette.rgb(name) for name in NOTICES}
    others = [Rgb(*(int(v[i : i + 2], 16) for i in (1, 3, 5))) for v in partner]
    for notice, fill in fills.items():
        assert min(delta_e(fill, other) for other in others) >= DISTINCT_GUARANTEED, notice
        lch = to_oklch(fill)
        low, high = BANDS[notice]
        if lch.c > 0.04:
            assert low - 6 <= lch.h <= high + 6 or hue_distance(lch.h, (low + high) / 2) < 30
    for a in NOTICES:
        for b in NOTICES:
            if a < b:
                assert delta_e(fills[a], fills[b]) >= DISTINCT_GUARANTEED
    # Each adjustment is real and its last step is the value published.
    last: dict[str, str] = {}
    for adjustment in palette.adjustments:
        assert adjustment.from_color != adjustment.to_color
        assert adjustment.reason
        last[adjustment.token] = adjustment.to_color
    for token, value in last.items():
        assert palette.tokens[token] == value


@settings(max_examples=400, deadline=None)
@given(hex_colors, hex_colors, hex_colors)
@example("#ffffff", "#ffffff", "#ffffff")
@example("#000000", "#000000", "#000000")
@example("#ffff00", "#777777", "#767676")
@example("#c9302d", "#b66c00", "#218a45")  # the canonical error, warning, success
@example("#d32f2f", "#e53935", "#b71c1c")
@example("#1a73e8", "#34a853", "#fbbc05")
def test_every_contrast_rule_holds_for_any_three_colours(p: str, s: str, a: str) -> None:
    check_palette(derive_palette(p, s, a), (p, s, a))


@settings(max_examples=300, deadline=None)
@given(crowded, crowded, crowded)
def test_semantic_colours_stay_distinct_when_partner_colours_crowd_them(
    p: str, s: str, a: str
) -> None:
    check_palette(derive_palette(p, s, a), (p, s, a))


def test_a_light_primary_keeps_its_fill_and_gets_readable_text_and_outline() -> None:
    palette = derive_palette("#ffd400", "#4a5568", "#7c3aed")
    assert palette.tokens["primary"] == "#ffd400"
    assert wcag_contrast(palette.tokens["on-primary"], "#ffd400") >= 4.5
    adjusted = {a.token: a for a in palette.adjustments}
    assert adjusted["link"].from_color == "#ffd400"
    assert "4.5:1" in adjusted["link"].reason and "body text" in adjusted["link"].reason
    assert adjusted["primary-border"].to_color == palette.tokens["primary-border"]
    assert "focus-ring" in adjusted


def test_a_red_primary_pushes_the_error_colour_away_and_says_so() -> None:
    palette = derive_palette("#c9302d", "#4a5568", "#7c3aed")
    moved = [a for a in palette.adjustments if a.token == "error"]
    assert moved and moved[0].from_color == "#c9302d"
    assert "partner colours" in moved[0].reason
    assert delta_e(palette.rgb("error"), palette.rgb("primary")) >= DISTINCT_GUARANTEED


def test_default_like_colours_need_no_semantic_move() -> None:
    palette = derive_palette("#3454d1", "#4a5568", "#7c3aed")
    assert not [a for a in palette.adjustments if a.token in NOTICES]


def test_derivation_is_deterministic_and_reports_every_rule() -> None:
    first = derive_palette("#123456", "#abcdef", "#fedcba")
    assert first == derive_palette("#123456", "#abcdef", "#fedcba")
    report = first.contrast_report()
    assert len(report) == len(CONTRAST_RULES)
    assert all(row["ratio"] >= row["minimum"] for row in report)
