"""The editor's side of issue 12's flows on the service's database: payments, the
balance and what is left to credit, duplicates and deletion (the domain is in
server/documents/: payments, credit_notes, derived)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from editor.backend import Draft, EditorSession, InvoiceBalance, NewPayment
from invoicing.totals import compute_totals
from server.db.base import utcnow
from server.documents import derived
from server.documents.content import load_content
from server.documents.credit_notes import credited, remaining_quantities
from server.documents.payments import record_payment
from server.documents.settlement import settlement_of
from server.documents.status import Status
from server.editor_documents import _opened, current_draft, document_of
from server.webhooks.events import document_event


async def pay(
    db: AsyncSession, session: EditorSession, document_id: int, payment: NewPayment
) -> Draft:
    row = await document_of(db, session, document_id, lock=True)
    await record_payment(
        db,
        row,
        amount=payment.amount,
        paid_on=payment.paid_on,
        means_code=payment.means_code,
        reference=payment.reference,
        now=utcnow(),
    )
    await document_event(db, row, "document.payment_recorded")
    if row.status == Status.PAID:
        await document_event(db, row, "document.paid")
    return await current_draft(db, row)


async def balance(db: AsyncSession, session: EditorSession, document_id: int) -> InvoiceBalance:
    row = await document_of(db, session, document_id)
    document = load_content(row)
    settlement = settlement_of(row, compute_totals(document))
    taken = await credited(db, row, document)
    return InvoiceBalance(
        amount_due=settlement.amount_due,
        paid=settlement.paid,
        credited=settlement.credited,
        balance=settlement.balance,
        remaining=tuple(remaining_quantities(document, taken)),
    )


async def duplicate(db: AsyncSession, session: EditorSession, document_id: int) -> Draft:
    source = await document_of(db, session, document_id)
    return await _opened(db, await derived.duplicate(db, source))


async def delete(db: AsyncSession, session: EditorSession, document_id: int) -> None:
    row = await document_of(db, session, document_id, lock=True)
    await derived.delete(db, row)
