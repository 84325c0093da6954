"""Every colour token the editor uses, derived from a partner's three colours.

The partner's colours fill their buttons unchanged. Everything a reader must
be able to read or find is held to WCAG 2.2 AA whatever the input: body text
4.5:1, large text and UI components (control borders, the focus ring, button
outlines) 3:1, on every surface it can appear on (`CONTRAST_RULES`). When a
colour fails, its OKLCH lightness moves the least that passes, and the move is
reported as an `Adjustment`.

Surfaces are light and tinted with the primary hue, so text is always dark on
them; text on the partner's fills is white or near-black, whichever reads
better (one of the two always reaches 4.5:1). Error, warning and success keep
their meaning (red, amber, green hue bands) but move within their band, in
lightness or chroma, when a partner colour sits too close to them (and the
editor must never signal state by colour alone: an icon and words go with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from themes.colors import (
    BLACK,
    WHITE,
    Oklch,
    Rgb,
    contrast_ratio,
    delta_e,
    ensure_contrast,
    from_oklch,
    min_contrast,
    parse_hex,
    shift_lightness,
    to_oklch,
)

BODY_TEXT = 4.5
LARGE_TEXT = 3.0
UI_COMPONENT = 3.0

BRANDS = ("primary", "secondary", "accent")
NOTICES = ("error", "warning", "success")

BASE_SURFACES = ("page-bg", "surface-bg", "raised-bg", "subtle-bg", "selected-bg")
NOTICE_SURFACES = tuple(f"{notice}-surface" for notice in NOTICES)
ALL_SURFACES = BASE_SURFACES + NOTICE_SURFACES
TEXT_TOKENS = ("text", "text-muted", "link", "link-hover", "secondary-text", "accent-text")

# A semantic colour this far (OKLab distance) from every partner colour reads
# as a different colour side by side; below it, it moves within its hue band.
DISTINCT_TARGET = 0.12
# What the derivation guarantees whatever the input (measured over random
# triples by the property test): hue bands are narrow, so a partner using
# three colours inside one band can push the best choice down to this.
DISTINCT_GUARANTEED = 0.05


@dataclass(frozen=True, slots=True)
class ContrastRule:
    foreground: str
    background: str
    minimum: float
    purpose: str


def _rules() -> tuple[ContrastRule, ...]:
    rules: list[ContrastRule] = []

    def add(
        foregrounds: Iterable[str], backgrounds: Iterable[str], minimum: float, purpose: str
    ) -> None:
        backgrounds = tuple(backgrounds)
        rules.extend(ContrastRule(f, b, minimum, purpose) for f in foregrounds for b in backgrounds)

    add(TEXT_TOKENS, ALL_SURFACES, BODY_TEXT, "body text")
    add(["heading-brand"], ALL_SURFACES, LARGE_TEXT, "large text (>= 24px, or 18.66px bold)")
    add(["text-disabled"], (*BASE_SURFACES, "disabled-bg"), LARGE_TEXT, "disabled text")
    add(["control-border", "focus-ring"], (*BASE_SURFACES, "disabled-bg"), UI_COMPONENT, "UI")
    add(["focus-ring"], NOTICE_SURFACES, UI_COMPONENT, "focus ring")
    for brand in BRANDS:
        add([f"{brand}-border"], BASE_SURFACES, UI_COMPONENT, f"{brand} button outline")
        add(
            [f"on-{brand}"],
            [brand, f"{brand}-hover", f"{brand}-active"],
            BODY_TEXT,
            f"text on {brand} buttons",
        )
    for notice in NOTICES:
        add([f"{notice}-text"], ALL_SURFACES, BODY_TEXT, f"{notice} message text")
        add([notice], BASE_SURFACES, UI_COMPONENT, f"{notice} icon and field border")
        add([f"on-{notice}"], [notice], BODY_TEXT, f"text on {notice} badges")
    return tuple(rules)


CONTRAST_RULES = _rules()


def _token_names() -> tuple[str, ...]:
    names = [
        *BASE_SURFACES,
        "disabled-bg",
        "border",
        "control-border",
        "disabled-border",
        "text",
        "text-muted",
        "text-disabled",
        "heading-brand",
        "link",
        "link-hover",
        "secondary-text",
        "accent-text",
        "focus-ring",
    ]
    for brand in BRANDS:
        names += [brand, f"{brand}-hover", f"{brand}-active", f"on-{brand}", f"{brand}-border"]
    for notice in NOTICES:
        names += [notice, f"{notice}-text", f"{notice}-surface", f"on-{notice}"]
    return tuple(names)


TOKENS = _token_names()
"""Every token, in the order the CSS lists them (as `--bl-<token>`)."""


@dataclass(frozen=True, slots=True)
class Adjustment:
    token: str
    from_color: str
    to_color: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {
            "token": self.token,
            "from": self.from_color,
            "to": self.to_color,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Palette:
    tokens: Mapping[str, str]  # token -> "#rrggbb", in `TOKENS` order
    adjustments: tuple[Adjustment, ...]

    def rgb(self, token: str) -> Rgb:
        return parse_hex(self.tokens[token])

    def contrast(self, rule: ContrastRule) -> float:
        return contrast_ratio(self.rgb(rule.foreground), self.rgb(rule.background))

    def contrast_report(self) -> list[dict[str, Any]]:
        """Each rule with its measured ratio, for the studio's table."""
        return [
            {
                "foreground": rule.foreground,
                "background": rule.background,
                "minimum": rule.minimum,
                "ratio": round(self.contrast(rule), 2),
                "purpose": rule.purpose,
            }
            for rule in CONTRAST_RULES
        ]


# Canonical semantic colours (OKLCH) and the hue band each may move within.
_NOTICE_BASE: dict[str, tuple[Oklch, tuple[float, float]]] = {
    "error": (Oklch(0.55, 0.19, 27.0), (12.0, 40.0)),
    "warning": (Oklch(0.6, 0.14, 65.0), (52.0, 90.0)),
    "success": (Oklch(0.56, 0.14, 150.0), (128.0, 168.0)),
}


@dataclass(slots=True)
class _Builder:
    tokens: dict[str, Rgb] = field(default_factory=dict)
    adjustments: list[Adjustment] = field(default_factory=list)

    def set(self, token: str, color: Rgb) -> Rgb:
        """Store `color` for `token`, first moving it until it meets every
        contrast rule whose other side is already known."""
        demands: dict[float, list[tuple[str, str]]] = {}
        for rule in CONTRAST_RULES:
            if rule.foreground == token and rule.background in self.tokens:
                demands.setdefault(rule.minimum, []).append((rule.background, rule.purpose))
            elif rule.background == token and rule.foreground in self.tokens:
                demands.setdefault(rule.minimum, []).append((rule.foreground, rule.purpose))
        final = color
        reasons: list[str] = []
        # Highest demand first; a later, lower one cannot undo it because every
        # move goes away from the surfaces, which all sit on the same side.
        for minimum in sorted(demands, reverse=True):
            others = [self.tokens[name] for name, _ in demands[minimum]]
            if min_contrast(final, others) >= minimum:
                continue
            worst, purpose = min(
                demands[minimum], key=lambda item: contrast_ratio(final, self.tokens[item[0]])
            )
            ratio = contrast_ratio(final, self.tokens[worst])
            reasons.append(
                f"contrast {ratio:.2f}:1 with {worst} is below {minimum:g}:1 ({purpose})"
            )
            final = ensure_contrast(final, others, minimum)
        if final != color:
            self.adjustments.append(Adjustment(token, color.hex, final.hex, "; ".join(reasons)))
        self.tokens[token] = final
        return final

    def palette(self) -> Palette:
        return Palette({name: self.tokens[name].hex for name in TOKENS}, tuple(self.adjustments))


def _tint(hue_source: Oklch, lightness: float, max_chroma: float) -> Rgb:
    # Greys stay grey: a hue only means something with some chroma.
    chroma = min(hue_source.c, max_chroma) if hue_source.c >= 0.02 else 0.0
    return from_oklch(Oklch(lightness, chroma, hue_source.h))


def _on_color(fill: Rgb, dark_text: Rgb) -> Rgb:
    best = max((WHITE, dark_text), key=lambda text: contrast_ratio(text, fill))
    if contrast_ratio(best, fill) >= BODY_TEXT:
        return best
    return max((WHITE, BLACK), key=lambda text: contrast_ratio(text, fill))


def _away_from(fill: Rgb, text: Rgb, step: float) -> Rgb:
    """A hover/active shade: one step in the direction that raises the contrast
    with the text on it, or the other way when the fill is already at the end."""
    direction = -1.0 if to_oklch(text).l > to_oklch(fill).l else 1.0
    shade = shift_lightness(fill, direction * step)
    if delta_e(shade, fill) < step / 3:
        shade = shift_lightness(fill, -direction * step)
    return shade


def derive_palette(primary: Rgb | str, secondary: Rgb | str, accent: Rgb | str) -> Palette:
    brand = {
        name: parse_hex(value) if isinstance(value, str) else value
        for name, value in zip(BRANDS, (primary, secondary, accent), strict=True)
    }
    hue = to_oklch(brand["primary"])
    b = _Builder()

    b.set("page-bg", _tint(hue, 0.975, 0.010))
    b.set("surface-bg", _tint(hue, 0.99, 0.005))
    b.set("raised-bg", WHITE)
    b.set("subtle-bg", _tint(hue, 0.95, 0.012))
    b.set("selected-bg", _tint(hue, 0.93, 0.035))
    b.set("disabled-bg", _tint(hue, 0.93, 0.004))
    b.set("border", _tint(hue, 0.88, 0.012))
    b.set("disabled-border", _tint(hue, 0.84, 0.008))

    notices = _choose_notices(brand, [b.tokens[s] for s in BASE_SURFACES])
    for notice in NOTICES:
        base = to_oklch(notices[notice][0])
        b.set(f"{notice}-surface", from_oklch(Oklch(0.965, min(base.c, 0.03), base.h)))

    b.set("text", _tint(hue, 0.22, 0.02))
    b.set("text-muted", _tint(hue, 0.45, 0.02))
    b.set("text-disabled", _tint(hue, 0.6, 0.01))
    b.set("control-border", _tint(hue, 0.6, 0.02))
    b.set("heading-brand", brand["primary"])
    b.set("link", brand["primary"])
    b.set("link-hover", shift_lightness(b.tokens["link"], -0.08))
    b.set("secondary-text", brand["secondary"])
    b.set("accent-text", brand["accent"])
    b.set("focus-ring", brand["primary"])

    for name, fill in brand.items():
        b.set(name, fill)
        on = _on_color(fill, b.tokens["text"])
        b.set(f"on-{name}", on)
        b.set(f"{name}-hover", _away_from(fill, on, 0.06))
        b.set(f"{name}-active", _away_from(fill, on, 0.12))
        b.set(f"{name}-border", fill)

    base_surfaces = [b.tokens[s] for s in BASE_SURFACES]
    for notice in NOTICES:
        canonical = from_oklch(_NOTICE_BASE[notice][0])
        chosen, distance = notices[notice]
        if chosen != ensure_contrast(canonical, base_surfaces, UI_COMPONENT):
            reason = (
                f"moved within its hue band away from the partner colours"
                f" (distance {distance:.3f}, target {DISTINCT_TARGET})"
            )
            b.adjustments.append(Adjustment(notice, canonical.hex, chosen.hex, reason))
        fill = b.set(notice, chosen)
        b.set(f"{notice}-text", _text_from(fill))
        b.set(f"on-{notice}", _on_color(fill, b.tokens["text"]))
    return b.palette()


def _distance(color: Rgb, others: Mapping[str, Rgb]) -> float:
    return min(delta_e(color, other) for other in others.values())


def _text_from(fill: Rgb) -> Rgb:
    lch = to_oklch(fill)
    return from_oklch(Oklch(min(lch.l, 0.5), lch.c, lch.h))


def _choose_notices(brand: Mapping[str, Rgb], surfaces: list[Rgb]) -> dict[str, tuple[Rgb, float]]:
    """Each semantic colour with its distance to the partner's colours and the
    semantic colours chosen before it: the canonical one when it is far enough,
    else the candidate of its hue band that is the farthest."""
    taken: dict[str, Rgb] = dict(brand)
    chosen: dict[str, tuple[Rgb, float]] = {}
    for notice in NOTICES:
        base, (low, high) = _NOTICE_BASE[notice]
        best: tuple[float, Rgb] | None = None
        for candidate in _candidates(base, low, high):
            fill = ensure_contrast(candidate, surfaces, UI_COMPONENT)
            score = _distance(fill, taken)
            if best is None or score > best[0] + 1e-9:
                best = (score, fill)
            if score >= DISTINCT_TARGET:
                break
        assert best is not None
        taken[notice] = best[1]
        chosen[notice] = (best[1], best[0])
    return chosen


def _candidates(base: Oklch, low: float, high: float) -> Iterable[Rgb]:
    # The canonical colour first, then the nearest variations, so the first
    # candidate reaching the target is also the least surprising one.
    yield from_oklch(base)
    steps = 4
    hues = sorted(
        (low + (high - low) * i / steps for i in range(steps + 1)), key=lambda h: abs(h - base.h)
    )
    for dl in (-0.12, 0.1, -0.22, -0.3):
        for chroma in (base.c, base.c * 0.5):
            for h in hues:
                yield from_oklch(Oklch(base.l + dl, chroma, h))
