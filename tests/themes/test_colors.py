from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from themes.colors import (
    BLACK,
    WHITE,
    Rgb,
    contrast_ratio,
    delta_e,
    ensure_contrast,
    from_oklch,
    hue_distance,
    normalize_hex,
    parse_hex,
    relative_luminance,
    to_oklch,
    with_lightness,
)

colors = st.builds(Rgb, *(st.integers(0, 255) for _ in range(3)))


def test_contrast_matches_published_wcag_values() -> None:
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    # The classic limits: #767676 is the lightest grey that passes 4.5:1 on white.
    assert contrast_ratio(parse_hex("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio(parse_hex("#777777"), WHITE) < 4.5
    assert contrast_ratio(parse_hex("#949494"), WHITE) >= 3.0
    assert contrast_ratio(parse_hex("#959595"), WHITE) < 3.0


def test_relative_luminance_of_primaries() -> None:
    assert relative_luminance(parse_hex("#ff0000")) == pytest.approx(0.2126)
    assert relative_luminance(parse_hex("#00ff00")) == pytest.approx(0.7152)
    assert relative_luminance(parse_hex("#0000ff")) == pytest.approx(0.0722)


def test_oklch_of_known_colours() -> None:
    red = to_oklch(parse_hex("#ff0000"))
    assert (red.l, red.c, red.h) == pytest.approx((0.628, 0.2577, 29.234), abs=0.002)
    white = to_oklch(WHITE)
    assert white.l == pytest.approx(1.0, abs=1e-4) and white.c < 1e-4


def test_parse_hex_accepts_usual_spellings_and_refuses_the_rest() -> None:
    assert normalize_hex("#ABC") == "#aabbcc"
    assert normalize_hex("1A73E8") == "#1a73e8"
    for bad in ["red", "#12345", "#1234567", "", "#ggg000", "rgb(1,2,3)"]:
        with pytest.raises(ValueError):
            parse_hex(bad)


@given(colors)
def test_oklch_round_trip_is_exact_at_8_bits(color: Rgb) -> None:
    back = from_oklch(to_oklch(color))
    assert max(abs(a - b) for a, b in zip(color, back, strict=True)) <= 1


@given(colors, st.floats(0, 1))
def test_lightness_change_stays_in_gamut_and_keeps_hue(color: Rgb, lightness: float) -> None:
    changed = with_lightness(color, lightness)
    assert all(0 <= channel <= 255 for channel in changed)
    before, after = to_oklch(color), to_oklch(changed)
    if before.c > 0.05 and after.c > 0.05:
        assert hue_distance(before.h, after.h) < 6


@given(colors, colors, st.sampled_from([3.0, 4.5]))
def test_ensure_contrast_always_reaches_the_minimum(
    color: Rgb, background: Rgb, minimum: float
) -> None:
    result = ensure_contrast(color, [background], minimum)
    assert contrast_ratio(result, background) >= minimum
    if contrast_ratio(color, background) >= minimum:
        assert result == color


def test_ensure_contrast_moves_the_least() -> None:
    yellow = parse_hex("#ffcc00")
    darker = ensure_contrast(yellow, [WHITE], 4.5)
    assert contrast_ratio(darker, WHITE) >= 4.5
    # One lightness step less would fail: the search found the boundary.
    lighter = with_lightness(darker, to_oklch(darker).l + 0.01)
    assert contrast_ratio(lighter, WHITE) < 4.5
    assert hue_distance(to_oklch(darker).h, to_oklch(yellow).h) < 8


def test_ensure_contrast_refuses_impossible_demands() -> None:
    with pytest.raises(ValueError):
        ensure_contrast(parse_hex("#777777"), [WHITE, BLACK], 4.5)


def test_delta_e_is_a_distance() -> None:
    a, b = parse_hex("#c9302d"), parse_hex("#1a73e8")
    assert delta_e(a, a) == 0
    assert delta_e(a, b) == pytest.approx(delta_e(b, a))
    assert delta_e(BLACK, WHITE) == pytest.approx(1.0, abs=1e-3)
