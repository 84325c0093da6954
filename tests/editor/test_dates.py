"""Dates typed day first in the editor (editor/numbers.py): read as the model reads
them, shown as typed back, in French and English alike."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from editor.numbers import display_date, normalize_date, with_numbers_read


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_date_shown_is_read_back_as_itself(day: dt.date) -> None:
    shown = display_date(day.isoformat())
    assert shown == day.strftime("%d/%m/%Y")
    assert normalize_date(shown) == day.isoformat()


def test_what_people_type() -> None:
    assert normalize_date("7/12/2026") == "2026-12-07"
    assert normalize_date(" 07.12.2026 ") == "2026-12-07"
    assert normalize_date("07-12-2026") == "2026-12-07"
    assert normalize_date("2026-12-07") == "2026-12-07"  # ISO stays
    for wrong in ("31/02/2026", "12/31/2026", "07/12/26", "07/12", "demain", ""):
        assert normalize_date(wrong) is None, wrong
    assert display_date("31/02/2026") == "31/02/2026"  # not a date: shown as typed


def test_a_draft_is_read_with_its_dates_and_numbers() -> None:
    raw = {
        "issue_date": "07/12/2026",
        "due_date": "31/02/2026",
        "delivery": {"date": "1/1/2027"},
        "lines": [{"quantity": "1,5"}],
    }
    for locale in ("fr", "en"):
        read = with_numbers_read(raw, locale)
        assert read["issue_date"] == "2026-12-07"
        assert read["due_date"] == "31/02/2026"  # left for the rules to report
        assert read["delivery"]["date"] == "2027-01-01"
    assert with_numbers_read(raw, "fr")["lines"][0]["quantity"] == "1.5"
