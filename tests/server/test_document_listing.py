"""A page of documents is written by orjson (server/api/documents/listing.py): its
bytes must be those `pydantic_core.to_json` writes, whatever the values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import to_json

from server.api.documents.listing import page_json

_UTC_OR_OFFSET = st.sampled_from(
    [dt.UTC, None, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-9))]
)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(),  # control characters, non-ASCII, lone surrogates
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(places=2, min_value=-(10**12), max_value=10**12),
    st.dates(),
    st.datetimes(timezones=_UTC_OR_OFFSET),
)
_PAGES = st.recursive(
    _VALUES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(st.dictionaries(st.text(), _PAGES, max_size=6))
def test_a_page_is_written_as_to_json_writes_it(page: dict[str, Any]) -> None:
    assert page_json(page) == to_json(page)


def test_amounts_and_times_as_a_summary_has_them() -> None:
    item = {
        "balance": Decimal("1481.40"),
        "refund_due": Decimal("0.00"),
        "issue_date": dt.date(2026, 3, 2),
        "created_at": dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
        "updated_at": dt.datetime(2026, 3, 2, 9, 30, 0, 120000, tzinfo=dt.UTC),
    }
    page = {"items": [item], "next_cursor": None}
    assert page_json(page) == to_json(page)
    assert b'"created_at":"2026-03-02T09:30:00Z"' in page_json(page)
