"""Payments received on issued invoices: several per invoice, never more than
the balance, never dated after today in Europe/Paris."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.money import ZERO
from invoicing.scope import scope_of
from invoicing.totals import compute_totals
from server.db.documents import DocumentRow
from server.db.payments import PaymentRow
from server.documents.content import load_content
from server.documents.journal import append_event
from server.documents.locks import lock_company
from server.documents.refusals import fr_number, kind_fr, status_fr
from server.documents.settlement import Settlement, money, settled_status, settlement_of
from server.documents.status import INVOICE_KINDS, OPEN_INVOICE, Status
from server.pa.outbox import enqueue_status
from server.pa.statuses import PAID
from server.problems import Refusal

PARIS = ZoneInfo("Europe/Paris")


def paris_today(now: dt.datetime) -> dt.date:
    return now.astimezone(PARIS).date()


def _refused(field: str, en: str, fr: str) -> Refusal:
    return Refusal(
        422,
        "payment_refused",
        "The payment cannot be recorded",
        en,
        fr,
        errors=[(field, en, fr)],
    )


def payable_settlement(row: DocumentRow) -> Settlement:
    """The invoice's settlement, or 422 when it is no issued invoice open to payments."""
    if row.kind not in INVOICE_KINDS:
        raise _refused(
            "document_id",
            f"a {row.kind} is not paid: only invoices are",
            f"{kind_fr(row.kind)} ne se paie pas : seules les factures se paient",
        )
    if row.status == Status.DRAFT:
        raise _refused(
            "status",
            "this invoice is a draft: finalize it before recording payments",
            "cette facture est un brouillon : émettez-la avant d'enregistrer un paiement",
        )
    if row.status not in OPEN_INVOICE:
        raise _refused(
            "status",
            f"this invoice is {row.status}: it takes no payment",
            f"cette facture est {status_fr(row.status, feminine=True)} : "
            "elle ne reçoit plus de paiement",
        )
    return settlement_of(row, compute_totals(load_content(row)))


async def record_payment(
    session: AsyncSession,
    row: DocumentRow,
    *,
    amount: Decimal | None,
    paid_on: dt.date,
    means_code: str,
    reference: str | None,
    now: dt.datetime,
) -> PaymentRow:
    """Record a payment of `amount` (None: the whole balance) on `row`, locked and read
    again first (concurrent payments queue on the row and see each other's)."""
    await lock_company(session, row.company_id)  # first: see server/documents/locks.py
    await session.refresh(row, with_for_update=True)
    settlement = payable_settlement(row)
    today = paris_today(now)
    if paid_on > today:
        raise _refused(
            "paid_on",
            f"a payment cannot be dated after today ({today.isoformat()})",
            f"un paiement ne peut pas être daté après aujourd'hui ({today:%d/%m/%Y})",
        )
    balance = settlement.balance
    if balance <= 0:
        raise _refused(
            "amount",
            "nothing is left to pay on this invoice",
            "il ne reste rien à payer sur cette facture",
        )
    if amount is None:
        amount = balance
    if amount <= 0:
        raise _refused("amount", "the amount must be more than 0", "le montant doit dépasser 0")
    if amount > balance:
        raise _refused(
            "amount",
            f"at most {balance} is left to pay",
            f"il reste au plus {fr_number(balance)} à payer",
        )
    payment = PaymentRow(
        partner_id=row.partner_id,
        company_id=row.company_id,
        document_id=row.id,
        amount=str(amount),
        paid_on=paid_on,
        means_code=means_code,
        reference=reference,
    )
    session.add(payment)
    row.paid_total = str(money(row.paid_total) + amount)
    row.paid_on, row.payment_means_code, row.payment_reference = paid_on, means_code, reference
    after = Settlement(settlement.amount_due, settlement.paid + amount, settlement.credited)
    row.status = settled_status(row, after, fully_credited=False)
    row.updated_at = now
    await session.flush()
    await append_event(
        session,
        row.id,
        "payment",
        {
            "payment_id": payment.id,
            "amount": amount,
            "paid_on": paid_on,
            "means_code": means_code,
            "reference": reference,
            "balance": after.balance,
        },
    )
    document = load_content(row)
    if scope_of(document).french_rules:  # 212 Encaissée, through the company's PA
        await enqueue_status(
            session,
            row,
            code=PAID,
            at=now,
            source=f"payment-{payment.id}",
            amount=amount,
            currency=document.currency,
        )
    return payment


async def payments_of(session: AsyncSession, row: DocumentRow) -> list[PaymentRow]:
    return list(
        await session.scalars(
            select(PaymentRow)
            .where(PaymentRow.document_id == row.id, PaymentRow.company_id == row.company_id)
            .order_by(PaymentRow.paid_on, PaymentRow.id)
        )
    )


def paid_sum(payments: list[PaymentRow]) -> Decimal:
    return sum((Decimal(p.amount) for p in payments), ZERO)
