"""The totals panel says when the document is due: typed, computed from its term and
issue date, or the term itself until the issue date is known. Beside an invoice's
payment term, the read-only due date says the date alone."""

from __future__ import annotations

import datetime as dt

from editor.due_dates import due_field_text, due_text
from invoicing.formatting import Formatter
from invoicing.model import DocumentKind, PaymentTerm
from invoicing.samples import demo_invoice

FR, EN = Formatter("fr", "EUR"), Formatter("en", "EUR")
TERM = PaymentTerm(kind="days_end_of_month", days=45)


def test_a_typed_due_date_is_shown_as_it_is() -> None:
    document = demo_invoice(1).model_copy(update={"due_date": dt.date(2026, 12, 24)})
    assert due_text(document, FR, "fr") == "24 décembre 2026"


def test_the_term_gives_the_date_from_the_issue_date() -> None:
    document = demo_invoice(1).model_copy(
        update={"due_date": None, "payment_term": TERM, "issue_date": dt.date(2026, 11, 24)}
    )
    assert due_text(document, FR, "fr") == "31 janvier 2027 (paiement à 45 jours fin de mois)"
    assert due_text(document, EN, "en") == "January 31, 2027 (payment 45 days end of month)"


def test_without_an_issue_date_the_term_is_said() -> None:
    document = demo_invoice(1).model_copy(
        update={"due_date": None, "payment_term": TERM, "issue_date": None}
    )
    assert due_text(document, FR, "fr") == (
        "Paiement à 45 jours fin de mois (à compter de l’émission)"
    )


def test_quotes_credit_notes_and_documents_without_terms_say_nothing() -> None:
    invoice = demo_invoice(1).model_copy(update={"due_date": None, "payment_term": None})
    assert due_text(invoice, FR, "fr") is None
    quote = demo_invoice(1).model_copy(update={"kind": DocumentKind.QUOTE})
    assert due_text(quote, FR, "fr") is None
    note = demo_invoice(1).model_copy(update={"kind": DocumentKind.CREDIT_NOTE})
    assert due_text(note, FR, "fr") is None


def test_beside_the_term_the_date_alone_or_the_term_until_issued() -> None:
    issued = dict(due_date=None, payment_term=TERM, issue_date=dt.date(2026, 11, 24))
    document = demo_invoice(1).model_copy(update=issued)
    assert due_field_text(document, FR, "fr") == "31 janvier 2027"
    assert due_field_text(document, EN, "en") == "January 31, 2027"
    draft = document.model_copy(update={"issue_date": None})
    assert due_field_text(draft, EN, "en") == "Payment 45 days end of month (from the issue date)"
    nothing = document.model_copy(update={"payment_term": None})
    assert due_field_text(nothing, FR, "fr") == ""
