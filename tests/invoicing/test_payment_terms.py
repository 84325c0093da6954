"""Payment terms as data: the due date they give and the words printed for them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from invoicing.cii.reader import read_cii
from invoicing.cii.writer import to_xml_bytes
from invoicing.document_view import document_view
from invoicing.model import Document, PaymentTerm, PaymentTermKind
from invoicing.payment_terms import due_date_for, due_date_of, payment_terms_text, term_text
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals

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


# --- the printed text follows the term (BT-20 never contradicts BT-9) ----------------------

END_OF_MONTH_45 = PaymentTerm(kind=PaymentTermKind.DAYS_END_OF_MONTH, days=45)


def _with(text: str | None, term: PaymentTerm | None, **more: object) -> Document:
    return demo_invoice().model_copy(
        update={"payment_terms": text, "payment_term": term, "due_date": None, **more}
    )


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        # the company's default text: the term's words and what else it says
        ("Paiement à 30 jours par virement.", "Paiement à 45 jours fin de mois par virement."),
        ("Paiement à 30 jours", "Paiement à 45 jours fin de mois"),
        ("Paiement à réception", "Paiement à 45 jours fin de mois"),
        ("Règlement à 60 jours fin de mois net.", "Règlement à 45 jours fin de mois."),
        (
            "Conditions : paiement à réception de facture.",
            "Conditions : paiement à 45 jours fin de mois.",
        ),
        ("Paiement au 15/02/2027 par chèque", "Paiement à 45 jours fin de mois par chèque"),
        ("Payment 30 days net, by transfer", "Payment 45 days end of month, by transfer"),
        # a period's dates are no term
        (
            "Travaux du 01/01/2027 au 31/01/2027. Paiement à 30 jours.",
            "Travaux du 01/01/2027 au 31/01/2027. Paiement à 45 jours fin de mois.",
        ),
        # the user's own words stay as typed
        ("Comptant", "Comptant"),
        ("Voir le contrat cadre n° 12", "Voir le contrat cadre n° 12"),
    ],
)
def test_the_words_of_a_term_in_the_text_follow_the_documents_term(
    given: str, printed: str
) -> None:
    assert payment_terms_text(_with(given, END_OF_MONTH_45)) == printed


def test_without_a_term_as_data_the_text_is_printed_as_it_is() -> None:
    """An imported invoice, or a due date typed by hand: nothing to follow."""
    document = _with("Paiement à 30 jours par virement.", None, due_date=dt.date(2027, 5, 3))
    assert payment_terms_text(document) == "Paiement à 30 jours par virement."
    assert payment_terms_text(_with(None, None)) is None


def test_a_typed_due_date_other_than_the_terms_is_the_term_the_text_says() -> None:
    issued = dt.date(2027, 1, 31)
    term = PaymentTerm(kind=PaymentTermKind.DAYS, days=30)
    agreeing = _with("Paiement à 30 jours.", term, issue_date=issued, due_date=dt.date(2027, 3, 2))
    assert payment_terms_text(agreeing) == "Paiement à 30 jours."
    other = agreeing.model_copy(update={"due_date": dt.date(2027, 3, 15)})
    assert payment_terms_text(other) == "Paiement au 15/03/2027."
    assert payment_terms_text(other.model_copy(update={"payment_terms": None})) == (
        "Paiement au 15/03/2027"
    )


def test_no_text_prints_the_terms_words_in_the_documents_language() -> None:
    assert payment_terms_text(_with(None, END_OF_MONTH_45), "en") == (
        "Payment 45 days end of month"
    )
    # a text given in French stays French in an English PDF
    french = _with("Paiement à 30 jours par virement.", END_OF_MONTH_45)
    assert payment_terms_text(french, "en") == "Paiement à 45 jours fin de mois par virement."


def test_the_xml_and_the_pdf_say_the_same_terms_as_the_due_date() -> None:
    document = _with("Paiement à 30 jours par virement.", END_OF_MONTH_45)
    assert document.issue_date is not None
    read = read_cii(to_xml_bytes(document, Profile.EN16931)).document
    assert read.due_date == due_date_for(END_OF_MONTH_45, document.issue_date)
    assert read.payment_terms == "Paiement à 45 jours fin de mois par virement."
    view = document_view(document, locale="fr", totals=compute_totals(document))
    assert view.payment.terms == read.payment_terms
