"""What finalization checks and updates beyond the document itself: the
credit-note bounds, the deposits a final invoice deducts, the invoice a
credit note corrects and the quote an invoice was made from."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import Document, DocumentKind
from server.db.documents import DocumentRow
from server.documents import deposits
from server.documents.credit_notes import issue as credit_notes_issue
from server.documents.journal import append_event
from server.documents.status import Status
from server.webhooks.events import document_event


async def before_issue(session: AsyncSession, row: DocumentRow, document: Document) -> None:
    """Refuse (a Problem) before the number is taken."""
    if row.kind == DocumentKind.CREDIT_NOTE.value:
        await credit_notes_issue.check_before_issue(session, row, document)
    elif row.kind == DocumentKind.INVOICE.value:
        await deposits.check_before_issue(session, row, document)


async def after_issue(session: AsyncSession, row: DocumentRow) -> None:
    """`row` was just finalized (and its own event emitted)."""
    credited = await credit_notes_issue.after_issue(session, row)
    if credited is not None:
        invoice, before = credited
        await document_event(session, invoice, "document.credited")
        if invoice.status != before and invoice.status == Status.CANCELLED:
            await append_event(session, invoice.id, "cancelled", {"credit_note": row.number})
            await document_event(session, invoice, "document.cancelled")
        elif invoice.status != before and invoice.status == Status.PAID:
            await document_event(session, invoice, "document.paid")
    if row.kind == DocumentKind.INVOICE.value and row.source_document_id is not None:
        quote = await session.get(DocumentRow, row.source_document_id)
        if quote is not None and quote.converted_into_id == row.id:
            quote.converted_into_number = row.number
            quote.updated_at = row.updated_at
            await session.flush()
