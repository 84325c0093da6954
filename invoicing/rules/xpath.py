"""XPath semantics the official asserts rely on, reproduced in Python so
that the fast rules decide the edge cases exactly as the stylesheets do."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal

_XML_SPACE = re.compile("[ \t\r\n]+")


def normalize_space(value: str | None) -> str:
    """fn:normalize-space: only XML whitespace (space, tab, CR, LF) counts."""
    if not value:
        return ""
    return _XML_SPACE.sub(" ", value).strip(" \t\r\n")


def xpath_round(value: Decimal) -> Decimal:
    """fn:round on xs:decimal: halves go towards positive infinity."""
    return (value + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)


def digit_count(text: str) -> int:
    """string-length(replace($x, '\\.', '')): characters other than the point."""
    return len(text.replace(".", ""))


_DECIMAL_19_2 = re.compile(r"-?[0-9]{1,19}(?:\.[0-9]{1,2})?")
_DECIMAL_19_4 = re.compile(r"-?[0-9]{1,19}(?:\.[0-9]{1,4})?")
_DECIMAL_19_6 = re.compile(r"-?[0-9]{1,19}(?:\.[0-9]{1,6})?")
_POSITIVE_19_6 = re.compile(r"[0-9]{1,19}(?:\.[0-9]{1,6})?")
_PERCENT_4_2 = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,2})?")


def valid_decimal_19_2(text: str) -> bool:
    return _DECIMAL_19_2.fullmatch(text) is not None and digit_count(text) <= 19


def valid_decimal_19_4(text: str) -> bool:
    return _DECIMAL_19_4.fullmatch(text) is not None and digit_count(text) <= 19


def valid_decimal_19_6(text: str, *, positive: bool) -> bool:
    pattern = _POSITIVE_19_6 if positive else _DECIMAL_19_6
    return pattern.fullmatch(text) is not None and digit_count(text) <= 19


def valid_percent_4_2(text: str) -> bool:
    return _PERCENT_4_2.fullmatch(text) is not None and digit_count(text) <= 4
