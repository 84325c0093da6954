from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.pa import cdar

printable = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=80,
).filter(lambda text: text.strip() == text and text != "")


@given(
    number=printable,
    reason=st.none() | printable,
    amount=st.none() | st.decimals(min_value=0, max_value=10**12, places=2),
    code=st.sampled_from(["200", "205", "210", "212", "213"]),
)
def test_a_status_message_reads_back_as_written(
    number: str, reason: str | None, amount: Decimal | None, code: str
) -> None:
    message = cdar.StatusMessage(
        message_id="m-1",
        issued_at=dt.datetime(2026, 12, 7, 10, 42, 5, tzinfo=dt.UTC),
        invoice_number=number,
        invoice_issue_date=dt.date(2026, 12, 1),
        code=code,
        role=cdar.ROLE_SELLER,
        reason=reason,
        amount=amount,
    )
    read = cdar.parse(cdar.build(message))
    assert read.invoice_number == number
    assert read.code == code and read.role == cdar.ROLE_SELLER
    assert read.reason == reason
    assert read.amount == amount
    assert read.issued_at == message.issued_at
    assert read.invoice_issue_date == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b"<Invoice/>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b"<x>" + b"a" * (cdar.MAX_MESSAGE_BYTES + 1) + b"</x>",
    ],
)
def test_what_is_not_a_status_message_is_refused(data: bytes) -> None:
    with pytest.raises(cdar.CdarError):
        cdar.parse(data)
