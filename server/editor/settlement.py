"""The editor's side of issue 12's flows on the service's database: payments, the
balance and what is left to credit, duplicates and deletion, deposits asked on a
quote and the final invoice that deducts them (the domain is in server/documents/:
payments, credit_notes, derived, deposits)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from editor.backend import (
    DepositInvoice,
    Draft,
    DraftCustomer,
    EditorSession,
    InvoiceBalance,
    NewDeposit,
    NewPayment,
)
from invoicing.model import DocumentKind
from invoicing.totals import Totals, compute_totals, prepaid_from_deposits
from server.db.base import utcnow
from server.documents import deposits, derived
from server.documents.content import load_content, store_content
from server.documents.credit_notes.content import bounded_content
from server.documents.credit_notes.scope import (
    CreditNoteIn,
    choose_scope,
    credited,
    remaining_quantities,
)
from server.documents.payments import record_payment
from server.documents.settlement import money, settlement_of
from server.documents.status import Status
from server.editor.documents import _opened, company_of, current_draft, document_of
from server.problems import Refusal
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


async def credit_total(
    db: AsyncSession, session: EditorSession, document_id: int, lines: Sequence[tuple[int, Decimal]]
) -> Totals:
    """The totals of the credit note `lines` would make now (what the dialog announces):
    the same scope and bounds as the credit note itself (server/documents/credit_notes)."""
    row = await document_of(db, session, document_id)
    invoice = load_content(row)
    taken = await credited(db, row, invoice)
    body = CreditNoteIn.model_validate(
        {"lines": [{"index": index, "quantity": quantity} for index, quantity in lines]}
    )
    return compute_totals(bounded_content(row, invoice, taken, choose_scope(invoice, taken, body)))


async def duplicate(db: AsyncSession, session: EditorSession, document_id: int) -> Draft:
    source = await document_of(db, session, document_id)
    return await _opened(db, await derived.duplicate(db, source))


async def delete(db: AsyncSession, session: EditorSession, document_id: int) -> None:
    row = await document_of(db, session, document_id, lock=True)
    await derived.delete(db, row)


async def create_deposit(db: AsyncSession, session: EditorSession, deposit: NewDeposit) -> Draft:
    quote = await document_of(db, session, deposit.quote_id, lock=True)
    company = await company_of(db, session)
    body = deposits.DepositIn.model_validate(
        {"quote_id": quote.id, "amount": deposit.amount, "percent": deposit.percent}
    )
    return await _opened(
        db, await derived.new_deposit(db, company, body, quote, None, session.partner_id)
    )


async def set_deposit_amount(
    db: AsyncSession, session: EditorSession, document_id: int, amount: Decimal, rate: Decimal
) -> Draft:
    row = await document_of(db, session, document_id, lock=True)
    if row.kind != DocumentKind.DEPOSIT_INVOICE.value or row.status != Status.DRAFT:
        raise Refusal(
            409,
            "wrong_status",
            "Not possible in this status",
            "Only a draft deposit invoice takes a deposit amount.",
            "Seule une facture d'acompte brouillon prend un montant d'acompte.",
        )
    current = load_content(row)
    body = deposits.DepositIn.model_validate({"amount": amount, "vat_rate": rate})
    document = await deposits.deposit_content(db, body, current, None)
    kept = {"issue_date": current.issue_date, "due_date": current.due_date}
    store_content(row, document.model_copy(update=kept))
    row.updated_at = utcnow()  # the document changed: every tab takes it (current_draft)
    await document_event(db, row, "document.saved")
    return await current_draft(db, row)


async def deposit_invoices(
    db: AsyncSession, session: EditorSession, document_id: int, customer: DraftCustomer | None
) -> list[DepositInvoice]:
    """The issued deposit invoices of the draft's customer it may deduct (see
    `deposits.deductible_deposits`): `customer` as the form has it, else as saved."""
    invoice = await document_of(db, session, document_id)
    content, contact_id = load_content(invoice), invoice.contact_id
    if customer is not None:
        content = content.model_copy(
            update={"buyer": customer.buyer, "currency": customer.currency}
        )
        contact_id = customer.contact_id
    found = []
    deductible = await deposits.deductible_deposits(db, invoice, content, contact_id=contact_id)
    for row, document in deductible:
        found.append(
            DepositInvoice(
                id=row.id,
                number=row.number or "",
                issue_date=document.issue_date,
                amount=prepaid_from_deposits([(document, money(row.credited_total))]),
                currency=document.currency,
                buyer_name=document.buyer.name or "",
                deducted=row.settled_by_id == invoice.id,
            )
        )
    return found


async def deduct_deposits(
    db: AsyncSession, session: EditorSession, document_id: int, deposit_ids: Sequence[int]
) -> Draft:
    row = await document_of(db, session, document_id, lock=True)
    await deposits.settle(db, row, deposit_ids)
    row.updated_at = utcnow()  # the document changed: every tab takes it (current_draft)
    await document_event(db, row, "document.saved")
    return await current_draft(db, row)
