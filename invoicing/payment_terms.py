"""Payment terms as data, the due date (BT-9) they give and their text (BT-20).

    PaymentTerm(kind="days", days=30)               Paiement à 30 jours
    PaymentTerm(kind="days_end_of_month", days=45)  Paiement à 45 jours fin de mois
    PaymentTerm(kind="on_receipt")                  Paiement à réception
    PaymentTerm(kind="fixed_date", date=...)        Paiement au 15/01/2027

"N days end of month" counts N days from the issue date, then goes to the end of
that month (the first of the two readings the DGCCRF accepts, and the common one).
A due date typed on the document (`due_date`) wins over the computed one.
"""

from __future__ import annotations

import calendar
import datetime as dt

from invoicing.model import Document, PaymentTerm, PaymentTermKind

__all__ = [
    "PaymentTerm",
    "PaymentTermKind",
    "due_date_for",
    "due_date_of",
    "payment_terms_text",
    "term_text",
]


def _end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_date_for(term: PaymentTerm, issue_date: dt.date) -> dt.date:
    if term.kind is PaymentTermKind.ON_RECEIPT:
        return issue_date
    if term.kind is PaymentTermKind.FIXED_DATE:
        assert term.date is not None
        return term.date
    assert term.days is not None
    due = issue_date + dt.timedelta(days=term.days)
    return _end_of_month(due) if term.kind is PaymentTermKind.DAYS_END_OF_MONTH else due


def due_date_of(document: Document, issue_date: dt.date | None = None) -> dt.date | None:
    """BT-9: the typed due date, else the one the payment term gives from the issue
    date (`issue_date` when the document has none yet, e.g. at finalization)."""
    if document.due_date is not None:
        return document.due_date
    day = document.issue_date or issue_date
    if document.payment_term is None or day is None:
        return None
    return due_date_for(document.payment_term, day)


def term_text(term: PaymentTerm, language: str = "fr") -> str:
    """The words printed for a term (BT-20 when no other text is given)."""
    french = language == "fr"
    if term.kind is PaymentTermKind.ON_RECEIPT:
        return "Paiement à réception" if french else "Payment on receipt"
    if term.kind is PaymentTermKind.FIXED_DATE:
        assert term.date is not None
        if french:
            return f"Paiement au {term.date:%d/%m/%Y}"
        return f"Payment on {term.date.isoformat()}"
    days = term.days
    if term.kind is PaymentTermKind.DAYS_END_OF_MONTH:
        return (
            f"Paiement à {days} jours fin de mois"
            if french
            else f"Payment {days} days end of month"
        )
    return f"Paiement à {days} jours" if french else f"Payment {days} days net"


def payment_terms_text(document: Document, language: str = "fr") -> str | None:
    """BT-20: the text typed on the document, else its term's words."""
    if document.payment_terms:
        return document.payment_terms
    if document.payment_term is None:
        return None
    return term_text(document.payment_term, language)
