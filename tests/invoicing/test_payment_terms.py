"""Payment terms as data: the due date they give and the words printed for them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from invoicing.cii.reader import read_cii
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import PaymentTerm, PaymentTermKind
from invoicing.payment_terms import due_date_for, due_date_of, payment_terms_text, term_text
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice

ISSUED = dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("term", "due", "words"),
    [
        (
            PaymentTerm(kind=PaymentTermKind.DAYS, days=30),
            dt.date(2027, 3, 2),
            "Paiement à 30 jours",
        ),
        (
            PaymentTerm(kind=PaymentTermKind.DAYS_END_OF_MONTH, days=45),
            dt.date(2027, 3, 31),
            "Paiement à 45 jours fin de mois",
        ),
        (PaymentTerm(kind=PaymentTermKind.ON_RECEIPT), ISSUED, "Paiement à réception"),
        (
            PaymentTerm(kind=PaymentTermKind.FIXED_DATE, date=dt.date(2027, 2, 15)),
            dt.date(2027, 2, 15),
            "Paiement au 15/02/2027",
        ),
    ],
)
def test_each_kind_of_term(term: PaymentTerm, due: dt.date, words: str) -> None:
    assert due_date_for(term, ISSUED) == due
    assert term_text(term, "fr") == words
    assert term_text(term, "en")


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "days"},
        {"kind": "fixed_date"},
        {"kind": "on_receipt", "days": 3},
        {"kind": "days", "days": -1},
        {"kind": "days", "days": 10_000},
        {"kind": "days", "days": 30, "date": "2027-01-01"},
    ],
)
def test_incomplete_or_contradictory_terms_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PaymentTerm.model_validate(data)


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
    st.integers(0, 366),
    st.booleans(),
)
def test_due_date_never_before_issue(issued: dt.date, days: int, end_of_month: bool) -> None:
    kind = PaymentTermKind.DAYS_END_OF_MONTH if end_of_month else PaymentTermKind.DAYS
    due = due_date_for(PaymentTerm(kind=kind, days=days), issued)
    assert due >= issued + dt.timedelta(days=days)
    if end_of_month:
        assert (due + dt.timedelta(days=1)).day == 1
        assert due - issued < dt.timedelta(days=days + 31)
    else:
        assert due == issued + dt.timedelta(days=days)


def test_typed_due_date_and_text_win_over_the_term() -> None:
    term = PaymentTerm(kind=PaymentTermKind.DAYS, days=30)
    document = demo_invoice().model_copy(
        update={"payment_term": term, "payment_terms": None, "due_date": None}
    )
    assert document.issue_date is not None
    assert due_date_of(document) == document.issue_date + dt.timedelta(days=30)
    assert payment_terms_text(document) == "Paiement à 30 jours"
    typed = document.model_copy(
        update={"due_date": dt.date(2030, 1, 1), "payment_terms": "Comptant"}
    )
    assert due_date_of(typed) == dt.date(2030, 1, 1)
    assert payment_terms_text(typed) == "Comptant"


def test_the_xml_carries_the_computed_due_date_and_the_terms_words() -> None:
    term = PaymentTerm(kind=PaymentTermKind.DAYS_END_OF_MONTH, days=30)
    document = demo_invoice().model_copy(
        update={"payment_term": term, "payment_terms": None, "due_date": None}
    )
    read = read_cii(to_xml_bytes(document, Profile.EN16931)).document
    assert read.due_date == due_date_of(document)
    assert read.payment_terms == "Paiement à 30 jours fin de mois"
