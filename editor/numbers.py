"""Numbers and dates as people type them: "1,5" and "1 234,56" in French, "1,234.56"
in English; dates day first, "07/12/2026", in both languages (the editor's choice:
the documents are French, and a browser's date input would follow its own locale,
showing mm/dd/yyyy to a French user of an English browser).

The draft keeps the text as typed; before parsing, each decimal or date field's text
is read in the editor's locale and written the way the model reads it ("1.5",
"2026-12-07"). Text that cannot be read is left alone, for the rules to report.
"""

from __future__ import annotations

import datetime as dt
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
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


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


def normalize_date(text: str) -> str | None:
    """'7/12/2026' or '07.12.2026' -> '2026-12-07' (day first); an ISO date stays;
    None when `text` is not a date of the calendar written so."""
    compact = text.strip()
    if _ISO_DATE.fullmatch(compact):
        return compact
    found = _DAY_FIRST.fullmatch(compact)
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def display_date(text: str) -> str:
    """How a stored date shows in an input: '2026-12-07' -> '07/12/2026'. Text that
    is not an ISO date is shown as typed."""
    found = _ISO_DATE.fullmatch(text)
    if found is None:
        return text
    year, month, day = found.groups()
    return f"{day}/{month}/{year}"


@dataclass(frozen=True, slots=True)
class _Plan:
    """For one model: its decimal and date fields, and the fields holding models or
    lists."""

    decimals: frozenset[str]
    dates: frozenset[str]
    nested: tuple[tuple[str, Shape], ...]


@cache
def _plan(model: type[BaseModel]) -> _Plan:
    decimals, dates, nested = set(), set(), []
    shape = Shape("model", model=model)
    for name in model.model_fields:
        child = child_shape(shape, name)
        if child is None:
            continue
        if child.is_decimal:
            decimals.add(name)
        elif child.is_date:
            dates.add(name)
        elif child.kind != "leaf":
            nested.append((name, child))
    return _Plan(frozenset(decimals), frozenset(dates), tuple(nested))


Memo = dict[int, tuple[Any, Any]]  # id(raw container) -> (raw container, its reading)


def _walk(value: Any, shape: Shape, locale: str, memo: Memo | None, seen: Memo | None) -> Any:
    if memo is not None and seen is not None and isinstance(value, dict | list):
        hit = memo.get(id(value))
        if hit is None or hit[0] is not value:
            hit = (value, _walk_new(value, shape, locale, memo, seen))
        seen[id(value)] = hit
        return hit[1]
    return _walk_new(value, shape, locale, memo, seen)


def _walk_new(value: Any, shape: Shape, locale: str, memo: Memo | None, seen: Memo | None) -> Any:
    if shape.kind == "list":
        item = shape.item
        if not isinstance(value, list) or item is None or item.kind == "leaf":
            return value
        return [_walk(element, item, locale, memo, seen) for element in value]
    if shape.kind != "model" or shape.model is None or not isinstance(value, dict | Mapping):
        return value
    plan = _plan(shape.model)
    result = dict(value)
    for name in plan.decimals.intersection(result):
        text = result[name]
        if isinstance(text, str):
            result[name] = normalize_number(text, locale) or text
    for name in plan.dates.intersection(result):
        text = result[name]
        if isinstance(text, str):
            result[name] = normalize_date(text) or text
    for name, child in plan.nested:
        if name in result:
            result[name] = _walk(result[name], child, locale, memo, seen)
    return result


def with_numbers_read(content: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """A copy of `content` whose decimal fields are written as the model reads them."""
    walked = _walk(content, DOCUMENT, locale, None, None)
    return walked if isinstance(walked, dict) else {}


class NumberReading:
    """`with_numbers_read` for the successive versions of one draft, in one locale.

    A patch copies only the containers on its path (`editor.patches`): the others
    are the very objects of the version before, and their reading is reused. The
    readings are never modified by their users (`parse_draft` copies before repairs).
    """

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._memo: Memo = {}  # what the last read met, holding the raw containers alive

    def read(self, content: Mapping[str, Any]) -> dict[str, Any]:
        seen: Memo = {}
        walked = _walk(content, DOCUMENT, self.locale, self._memo, seen)
        self._memo = seen
        return walked if isinstance(walked, dict) else {}

    def read_part(self, shape: Shape, raw: Any) -> Any:
        """One field of the document (`lines`, `seller`...: its `shape`) read as `read`
        would, with what the last `read` kept; this keeps nothing."""
        return _walk(raw, shape, self.locale, self._memo, {})
