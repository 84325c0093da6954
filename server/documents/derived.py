"""New drafts made from a document: a credit note, the invoice of a quote, a
deposit invoice, a duplicate; and deleting a draft or a quote.

Each runs in the caller's transaction on rows the caller has checked belong
to its tenant (and locked when it changes them); events are the caller's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposits import STANDARD_MODE, billing_mode
from invoicing.model import Document, DocumentKind
from server.api.documents.crud import default_payment_term, with_company_defaults
from server.db.catalogue import Contact
from server.db.documents import DocumentRow
from server.db.tenants import Company
from server.documents import deposits, quotes
from server.documents.content import load_content, store_content
from server.documents.credit_notes.content import bounded_content
from server.documents.credit_notes.issue import ensure_creditable
from server.documents.credit_notes.scope import CreditNoteIn, choose_scope, credited
from server.documents.journal import append_event
from server.documents.refusals import status_fr
from server.documents.status import Status, ensure_deletable
from server.problems import Refusal, field_refusal


def _derived(source: DocumentRow, document: Document, linked: bool = True) -> DocumentRow:
    row = DocumentRow(
        partner_id=source.partner_id,
        company_id=source.company_id,
        contact_id=source.contact_id,
        user_id=source.user_id,
        source_document_id=source.id if linked else None,
        status=Status.DRAFT,
    )
    store_content(row, Document.model_validate(document.model_dump()))
    return row


async def _added(session: AsyncSession, row: DocumentRow) -> DocumentRow:
    session.add(row)
    await session.flush()
    return row


async def new_credit_note(
    session: AsyncSession, invoice_row: DocumentRow, body: CreditNoteIn | None
) -> DocumentRow:
    """A draft credit note of `body`'s lines (None: all that is left) of the locked invoice."""
    ensure_creditable(invoice_row)
    invoice = load_content(invoice_row)
    taken = await credited(session, invoice_row, invoice)
    scope = choose_scope(invoice, taken, body)
    document = bounded_content(invoice_row, invoice, taken, scope)
    row = _derived(invoice_row, document)
    row.credit_scope = scope.as_json()
    return await _added(session, row)


async def convert_quote(
    session: AsyncSession, quote: DocumentRow, company: Company, now: dt.datetime
) -> DocumentRow:
    """The invoice draft of the locked `quote`, deducting the deposits asked on it."""
    quotes.ensure_convertible(quote)
    document = load_content(quote).model_copy(
        update={
            "kind": DocumentKind.INVOICE,
            "type_code": None,
            "number": None,
            "issue_date": None,
            "due_date": None,
            "payment_reference": None,
        }
    )
    if not document.notes:
        document = with_company_defaults(document, company, None)
    document = _with_default_term(document, company)
    invoice = await _added(session, _derived(quote, document))
    quotes.mark_converted(quote, invoice, now)
    open_deposits = await deposits.open_deposits_of_quote(session, quote.id, invoice)
    if open_deposits:
        await deposits.settle(session, invoice, open_deposits)
    await session.flush()
    return invoice


def _with_default_term(document: Document, company: Company) -> Document:
    """A draft made from a quote (whose BT-9 was its validity date) owes its amount on
    the company's default payment term unless it states its own."""
    term = default_payment_term(document, company)
    return document if term is None else document.model_copy(update={"payment_term": term})


async def new_deposit(
    session: AsyncSession,
    company: Company,
    body: deposits.DepositIn,
    quote: DocumentRow | None,
    contact: Contact | None,
    partner_id: int,
) -> DocumentRow:
    """A deposit invoice draft: a share of `quote` (checked to be an issued quote of
    `company`), or an amount for `contact` (or no one yet)."""
    if quote is not None:
        if quote.status in {Status.REFUSED, Status.DRAFT}:
            raise field_refusal(
                "validation_failed",
                "quote_id",
                f"this quote is {quote.status}: a deposit is asked on an issued quote",
                f"ce devis est {status_fr(quote.status)} : un acompte se demande sur un devis émis",
            )
        base = load_content(quote)
    else:
        base = with_company_defaults(Document(kind=DocumentKind.DEPOSIT_INVOICE), company, contact)
    document = await deposits.deposit_content(session, body, base, quote)
    row = DocumentRow(
        partner_id=partner_id,
        company_id=company.id,
        contact_id=quote.contact_id if quote else (contact.id if contact else None),
        user_id=quote.user_id if quote else None,
        source_document_id=quote.id if quote else None,
        status=Status.DRAFT,
    )
    store_content(row, _with_default_term(document, company))
    return await _added(session, row)


def _fresh(document: Document) -> Document:
    """A duplicate's content: no number, dates or references of the original's life."""
    updates: dict[str, Any] = {
        "number": None,
        "issue_date": None,
        "due_date": None,
        "payment_reference": None,
    }
    if document.kind is DocumentKind.INVOICE and document.prepaid_amount is not None:
        # The deposits belong to the original final invoice.
        updates |= {
            "prepaid_amount": None,
            "preceding_invoices": [],
            "business_process": billing_mode(document, STANDARD_MODE),
        }
    return document.model_copy(update=updates)


async def duplicate(session: AsyncSession, row: DocumentRow) -> DocumentRow:
    if row.credit_scope is not None:
        raise Refusal(
            409,
            "credit_note_of_invoice",
            "Make it from the invoice",
            "This credit note credits lines of an invoice: make another one from the invoice "
            f"(POST /api/v1/documents/{row.source_document_id}/credit-note), so credits "
            "never exceed what was invoiced.",
            "Cet avoir crédite des lignes d'une facture : faites-en un autre depuis la "
            "facture, pour que les avoirs ne dépassent jamais ce qui a été facturé.",
            extra={"invoice_id": row.source_document_id},
        )
    return await _added(session, _derived(row, _fresh(load_content(row)), linked=False))


async def delete(session: AsyncSession, row: DocumentRow) -> None:
    """Delete a draft or a quote (never an issued invoice), and the links to it."""
    ensure_deletable(row)
    unlinked = list(
        await session.scalars(
            select(DocumentRow.id).where(
                DocumentRow.source_document_id == row.id,
                DocumentRow.company_id == row.company_id,
            )
        )
    )
    links = (
        (DocumentRow.source_document_id, {"source_document_id": None}),
        (DocumentRow.converted_into_id, {"converted_into_id": None, "converted_into_number": None}),
        (DocumentRow.settled_by_id, {"settled_by_id": None}),
    )
    for column, values in links:
        await session.execute(
            update(DocumentRow)
            .where(column == row.id, DocumentRow.company_id == row.company_id)
            .values(**values)
            .execution_options(synchronize_session="fetch")
        )
    await session.delete(row)
    await session.flush()
    for document_id in unlinked:  # an issued document's state changed: chain it
        await append_event(session, document_id, "source_deleted", {"source_document_id": row.id})
