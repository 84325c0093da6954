"""Numbers as typed, and a raw draft read as a document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.analysis import analyse
from editor.numbers import display_number, normalize_number, with_numbers_read
from invoicing.samples import demo_invoice


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1,5", "fr", "1.5"),
        ("1 234,56", "fr", "1234.56"),
        ("1\u202f234,56", "fr", "1234.56"),
        ("12.5", "fr", "12.5"),
        ("-3", "fr", "-3"),
        ("1,234.56", "en", "1234.56"),
        ("1,5", "en", None),
        ("1,500", "en", "1500"),
        ("12,x", "fr", None),
        ("", "fr", None),
        ("1,2,3", "fr", None),
    ],
)
def test_numbers_are_read_in_the_editors_language(
    text: str, locale: str, expected: str | None
) -> None:
    assert normalize_number(text, locale) == expected


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
def test_a_number_shown_in_french_reads_back_as_itself(value: Decimal) -> None:
    shown = display_number(str(value), "fr")
    read = normalize_number(shown, "fr")
    assert read is not None and Decimal(read) == value


def test_only_decimal_fields_are_rewritten() -> None:
    raw: dict[str, Any] = {"subject": "1,5", "lines": [{"quantity": "1,5", "name": "2,5"}]}
    read = with_numbers_read(raw, "fr")
    assert read == {"subject": "1,5", "lines": [{"quantity": "1.5", "name": "2,5"}]}
    assert raw["lines"][0]["quantity"] == "1,5"


def test_a_half_typed_value_is_reported_on_its_field_and_left_out_of_the_totals() -> None:
    raw = {"lines": [{"name": "A", "quantity": "2", "net_price": "10,5"}]}
    french = analyse(raw, "fr")
    assert french.totals.line_total == Decimal("21.00")
    assert "lines[0].net_price" not in {f for x in french.input_findings for f in x.fields}
    english = analyse(raw, "en")
    assert english.totals.line_total == Decimal("0.00")
    assert [x.fields for x in english.input_findings] == [("lines[0].net_price",)]


def test_incremental_rules_agree_with_a_full_run() -> None:
    raw = demo_invoice(8).model_dump(mode="json")
    before = analyse(raw, "fr")
    raw["lines"][2]["quantity"] = "-"
    raw["buyer"]["name"] = None
    incremental = analyse(raw, "fr", previous=before, changed=["lines[2].quantity"])
    incremental = analyse(raw, "fr", previous=incremental, changed=["buyer.name"])
    assert incremental.findings == analyse(raw, "fr").findings
