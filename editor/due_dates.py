"""When the open document is due, as the totals panel says it: the due date typed,
else the one its payment term gives from its issue date, else (no issue date yet)
the term itself, whose date is computed at finalization (server/documents/finalize)."""

from __future__ import annotations

from invoicing.formatting import Formatter
from invoicing.model import Document, DocumentKind
from invoicing.payment_terms import due_date_of, term_text


def due_text(document: Document, fmt: Formatter, locale: str) -> str | None:
    """None for a quote, a credit note, or a document stating no due date at all."""
    if document.kind is DocumentKind.QUOTE or document.is_credit_note:
        return None
    language = "fr" if locale.startswith("fr") else "en"
    due = due_date_of(document)
    term = term_text(document.payment_term, language) if document.payment_term else None
    if due is not None:
        shown = fmt.date(due)
        return f"{shown} ({term.lower()})" if term and document.due_date is None else shown
    if term is None:
        return None
    return f"{term} ({'à compter de l’émission' if language == 'fr' else 'from the issue date'})"


def due_field_text(document: Document, fmt: Formatter, locale: str) -> str:
    """What the read-only due date beside an invoice's payment term shows: the due
    date, else the term counted from the issue date to come, else nothing yet."""
    due = due_date_of(document)
    if due is not None:
        return fmt.date(due)
    return due_text(document, fmt, locale) or ""
