"""Numbers as people type them: "1,5" and "1 234,56" in French, "1,234.56" in English.

The draft keeps the text as typed; before parsing, each decimal field's text is
read in the editor's locale and written the way the model reads it ("1.5").
Text that is not a number in that locale is left alone, for the rules to report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from editor.paths import DOCUMENT, Shape, child_shape

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_EN_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_CANONICAL = re.compile(r"-?\d+(?:\.\d+)?")


def normalize_number(text: str, locale: str) -> str | None:
    """'1 234,5' (fr) -> '1234.5'; None when `text` is not a number in `locale`.
    A point is a decimal point in both languages; a comma is one in French only."""
    compact = _SPACES.sub("", text)
    if locale.startswith("fr") and compact.count(",") == 1 and "." not in compact:
        compact = compact.replace(",", ".")
    elif _EN_GROUPED.fullmatch(compact):
        compact = compact.replace(",", "")
    if not _PLAIN.fullmatch(compact):
        return None
    return compact.removeprefix("+")


def display_number(text: str, locale: str) -> str:
    """How a stored number shows in an input: '1.5' -> '1,5' in French. Text that
    is not a plain number is shown as typed."""
    if locale.startswith("fr") and _CANONICAL.fullmatch(text):
        return text.replace(".", ",")
    return text


@dataclass(frozen=True, slots=True)
class _Plan:
    """For one model: its decimal fields, and the fields holding models or lists."""

    decimals: frozenset[str]
    nested: tuple[tuple[str, Shape], ...]


@cache
def _plan(model: type[BaseModel]) -> _Plan:
    decimals, nested = set(), []
    shape = Shape("model", model=model)
    for name in model.model_fields:
        child = child_shape(shape, name)
        if child is None:
            continue
        if child.is_decimal:
            decimals.add(name)
        elif child.kind != "leaf":
            nested.append((name, child))
    return _Plan(frozenset(decimals), tuple(nested))


def _walk(value: Any, shape: Shape, locale: str) -> Any:
    if shape.kind == "list":
        item = shape.item
        if not isinstance(value, list) or item is None or item.kind == "leaf":
            return value
        return [_walk(element, item, locale) for element in value]
    if shape.kind != "model" or shape.model is None or not isinstance(value, Mapping):
        return value
    plan = _plan(shape.model)
    result = dict(value)
    for name in plan.decimals.intersection(result):
        text = result[name]
        if isinstance(text, str):
            result[name] = normalize_number(text, locale) or text
    for name, child in plan.nested:
        if name in result:
            result[name] = _walk(result[name], child, locale)
    return result


def with_numbers_read(content: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """A copy of `content` whose decimal fields are written as the model reads them."""
    walked = _walk(content, DOCUMENT, locale)
    return walked if isinstance(walked, dict) else {}
