"""An allowlist CSS filter for SVG logos (`style` attributes and `<style>`).

Only plain rules `selector { property: value }` survive, rebuilt from what was
kept: at-rules go (`@import`, `@font-face`...), properties outside a list of
painting and text properties go, values calling anything but colour and
transform functions go, and `url()` may only point into the document
(`url(#gradient)`). Backslash escapes could spell any of these in disguise:
CSS holding one is refused, as is CSS that does not parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


PROPERTIES = _names(
    """
    fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity color
    stop-color stop-opacity clip-path clip-rule mask display visibility transform
    transform-origin transform-box font-family font-size font-weight font-style
    font-variant font-stretch letter-spacing word-spacing text-anchor text-decoration
    dominant-baseline alignment-baseline baseline-shift white-space isolation
    mix-blend-mode paint-order vector-effect shape-rendering text-rendering
    color-interpolation color-interpolation-filters flood-color flood-opacity
    lighting-color marker marker-start marker-mid marker-end overflow enable-background
    """
)

FUNCTIONS = _names(
    """
    url rgb rgba hsl hsla hwb lab lch oklab oklch color translate translatex translatey
    rotate scale scalex scaley matrix skew skewx skewy calc var
    """
)

_LOCAL_URL = re.compile(r"""url\(\s*(['"]?)#[A-Za-z_][\w.:-]*\1\s*\)""", re.IGNORECASE)
_FUNCTION = re.compile(r"([A-Za-z_-][\w-]*)\s*\(")
_SAFE_SELECTOR = re.compile(r"""^[\w\s.#,>+~*:()\[\]="'|^$-]+$""")
_PROPERTY_NAME = re.compile(r"^-?[a-z][a-z-]*$")


class CssRefused(ValueError):
    """CSS that cannot be made safe by dropping parts of it."""


@dataclass(slots=True)
class CssResult:
    css: str
    removed: list[str] = field(default_factory=list)


def _check_characters(css: str) -> None:
    if "\\" in css:
        raise CssRefused("CSS escapes (backslashes) are not accepted in SVG logos")
    if "<" in css:
        raise CssRefused("'<' is not accepted in SVG logo CSS")


def _strip_comments(css: str) -> str:
    without = re.sub(r"/\*.*?\*/", " ", css, flags=re.DOTALL)
    if "/*" in without:
        raise CssRefused("the CSS has an unterminated comment")
    return without


def _find(css: str, targets: str, start: int) -> int:
    """Index of the first character of `targets` at or after `start` outside a
    quoted string, or -1."""
    quote = ""
    for index in range(start, len(css)):
        char = css[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in targets:
            return index
    if quote:
        raise CssRefused("the CSS has an unterminated string")
    return -1


def _split_declarations(block: str) -> list[str]:
    parts: list[str] = []
    start = 0
    while True:
        end = _find(block, ";", start)
        if end < 0:
            parts.append(block[start:])
            return parts
        parts.append(block[start:end])
        start = end + 1


def unsafe_value_reason(prop: str, value: str) -> str | None:
    """Why the value is unsafe, or None when it is fine."""
    for name in _FUNCTION.findall(value):
        if name.lower() not in FUNCTIONS:
            return f"function {name}()"
    without_local = _LOCAL_URL.sub("", value)
    if re.search(r"url\s*\(", without_local, re.IGNORECASE):
        return "url() to an external resource"
    if ("'" in without_local or '"' in without_local) and prop != "font-family":
        return "a quoted string"
    if re.search(r"[@{}<>]|javascript:|expression", value, re.IGNORECASE):
        return "a forbidden character or keyword"
    return None


def sanitize_declarations(block: str, where: str, removed: list[str]) -> str:
    """`fill: red; behavior: url(x.htc)` -> `fill:red` (the rest reported)."""
    kept: list[str] = []
    for declaration in _split_declarations(block):
        if not declaration.strip():
            continue
        name, colon, value = declaration.partition(":")
        prop = name.strip().lower()
        value = value.strip()
        if not colon or not _PROPERTY_NAME.match(prop) or not value:
            removed.append(f"malformed CSS declaration in {where}")
            continue
        if prop not in PROPERTIES:
            removed.append(f"CSS property {prop} in {where}")
            continue
        problem = unsafe_value_reason(prop, value)
        if problem:
            removed.append(f"{problem} in CSS property {prop} in {where}")
            continue
        kept.append(f"{prop}:{value}")
    return ";".join(kept)


def sanitize_style_attribute(css: str, where: str) -> CssResult:
    _check_characters(css)
    result = CssResult("")
    result.css = sanitize_declarations(_strip_comments(css), where, result.removed)
    return result


def sanitize_stylesheet(css: str) -> CssResult:
    _check_characters(css)
    css = _strip_comments(css)
    result = CssResult("")
    rules: list[str] = []
    position = 0
    while True:
        while position < len(css) and css[position].isspace():
            position += 1
        if position >= len(css):
            break
        if css[position] == "@":
            end = _find(css, ";{", position)
            name = re.match(r"@[\w-]*", css[position:])
            result.removed.append(f"CSS at-rule {name.group() if name else '@'}")
            if end < 0:
                break
            position = _skip_block(css, end) if css[end] == "{" else end + 1
            continue
        opening = _find(css, "{}", position)
        if opening < 0 or css[opening] == "}":
            raise CssRefused("the <style> element does not parse as CSS rules")
        closing = _find(css, "{}", opening + 1)
        if closing < 0 or css[closing] == "{":
            raise CssRefused("the <style> element has nested or unbalanced braces")
        selector = " ".join(css[position:opening].split())
        if not selector or not _SAFE_SELECTOR.match(selector):
            result.removed.append("a CSS rule with an unusual selector")
        else:
            block = sanitize_declarations(css[opening + 1 : closing], "<style>", result.removed)
            if block:
                rules.append(f"{selector}{{{block}}}")
        position = closing + 1
    result.css = "\n".join(rules)
    return result


def _skip_block(css: str, opening: int) -> int:
    depth = 0
    position = opening
    while True:
        found = _find(css, "{}", position)
        if found < 0:
            raise CssRefused("the <style> element has unbalanced braces")
        depth += 1 if css[found] == "{" else -1
        position = found + 1
        if depth == 0:
            return position
