"""Payment terms as data, the due date (BT-9) they give and their text (BT-20).

    PaymentTerm(kind="days", days=30)               Paiement à 30 jours
    PaymentTerm(kind="days_end_of_month", days=45)  Paiement à 45 jours fin de mois
    PaymentTerm(kind="on_receipt")                  Paiement à réception
    PaymentTerm(kind="fixed_date", date=...)        Paiement au 15/01/2027

"N days end of month" counts N days from the issue date, then goes to the end of
that month (the first of the two readings the DGCCRF accepts, and the common one).
A due date typed on the document (`due_date`) wins over the computed one.

The printed text never contradicts the due date: in a text given with the document
(typed, or the company's default), the words that state a term ("Paiement à 30
jours", "payment on receipt"...) follow the document's term: "Paiement à 30 jours par
virement." on a document whose term is 45 days end of month prints "Paiement à 45
jours fin de mois par virement.". Words of the user's own ("Comptant") are printed as
typed; a document without a term as data (an import, a due date typed by hand) prints
its text as it is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from invoicing.model import Document, PaymentTerm, PaymentTermKind

__all__ = [
    "PaymentTerm",
    "PaymentTermKind",
    "due_date_for",
    "due_date_of",
    "due_term",
    "due_words",
    "payment_terms_text",
    "term_text",
    "text_following",
]

# The words that state a term in a text, as Blanche writes them and as people commonly
# type them; only after a word saying what they are about ("Paiement", "Règlement",
# "Payable"), so that a period "du 01/01 au 31/01/2027" is never taken for a term.
_TERM_WORDS = {
    "fr": re.compile(
        r"\b(?P<lead>paiement|règlement|reglement|payable)\s+"
        r"(?P<words>à\s+\d{1,3}\s+jours(?:\s+fin\s+de\s+mois)?(?:\s+net)?"
        r"|à\s+réception(?:\s+de\s+(?:la\s+)?facture)?"
        r"|comptant"
        r"|au\s+\d{1,2}/\d{1,2}/\d{4})"
        r"(?!\w)",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?P<lead>payment|payable)\s+"
        r"(?P<words>(?:within\s+|in\s+)?\d{1,3}\s+days(?:\s+net|\s+end\s+of\s+month)?"
        r"|on\s+receipt(?:\s+of\s+(?:the\s+)?invoice)?"
        r"|on\s+\d{4}-\d{2}-\d{2})"
        r"(?!\w)",
        re.IGNORECASE,
    ),
}


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


def _term_words(term: PaymentTerm, french: bool) -> str:
    """What follows "Paiement" / "Payment" for `term`."""
    if term.kind is PaymentTermKind.ON_RECEIPT:
        return "à réception" if french else "on receipt"
    if term.kind is PaymentTermKind.FIXED_DATE:
        assert term.date is not None
        return f"au {term.date:%d/%m/%Y}" if french else f"on {term.date.isoformat()}"
    if term.kind is PaymentTermKind.DAYS_END_OF_MONTH:
        return f"à {term.days} jours fin de mois" if french else f"{term.days} days end of month"
    return f"à {term.days} jours" if french else f"{term.days} days net"


def term_text(term: PaymentTerm, language: str = "fr") -> str:
    """The words printed for a term (BT-20 when no other text is given)."""
    french = language == "fr"
    return f"{'Paiement' if french else 'Payment'} {_term_words(term, french)}"


def due_term(document: Document) -> PaymentTerm | None:
    """The term that gives BT-9: the document's, unless a due date typed on it says
    another day (then that day is the term)."""
    term, typed, issued = document.payment_term, document.due_date, document.issue_date
    if term is None:
        return None
    if typed is not None and issued is not None and due_date_for(term, issued) != typed:
        return PaymentTerm(kind=PaymentTermKind.FIXED_DATE, date=typed)
    return term


def due_words(document: Document, language: str = "fr") -> str | None:
    """The words of the term that gives the document's due date, if it has a term."""
    term = due_term(document)
    return None if term is None else term_text(term, language)


def payment_terms_text(document: Document, language: str = "fr") -> str | None:
    """BT-20: the text given with the document, its words of a term following the
    document's term (see the module's docstring); else its term's words."""
    text, term = document.payment_terms, due_term(document)
    if not text:
        return None if term is None else term_text(term, language)
    return text if term is None else text_following(text, term)


def text_following(text: str, term: PaymentTerm) -> str:
    """`text` with its words of a term, if any, saying `term` (in the text's language)."""
    for words_language, pattern in _TERM_WORDS.items():
        found = pattern.search(text)
        if found is not None:
            words = _term_words(term, words_language == "fr")
            start, end = found.span("words")
            return text[:start] + words + text[end:]
    return text
