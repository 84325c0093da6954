"""What remains due on an issued invoice, and the status that follows from it.

balance = amount due (BT-115) - payments - credited amount (the amounts due of
its issued credit notes), never shown below zero: what was paid beyond the
balance after a credit note is `refund_due` (the seller owes it back).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from invoicing.money import ZERO
from invoicing.totals import Totals
from server.db.documents import DocumentRow
from server.documents.status import INVOICE_KINDS, Status


def money(text: str | None) -> Decimal:
    return Decimal(text) if text else ZERO


@dataclass(frozen=True, slots=True)
class Settlement:
    amount_due: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def open_amount(self) -> Decimal:
        return self.amount_due - self.paid - self.credited

    @property
    def balance(self) -> Decimal:
        return max(self.open_amount, ZERO)

    @property
    def refund_due(self) -> Decimal:
        return max(-self.open_amount, ZERO)


def settlement_of(row: DocumentRow, totals: Totals) -> Settlement:
    return settlement_for(row, totals.amount_due)


def settlement_for(row: DocumentRow, amount_due: Decimal) -> Settlement:
    return Settlement(amount_due, money(row.paid_total), money(row.credited_total))


def is_invoice(row: DocumentRow) -> bool:
    return row.kind in INVOICE_KINDS


def settled_status(row: DocumentRow, settlement: Settlement, fully_credited: bool) -> Status:
    """The status of an issued invoice after a payment or a credit note."""
    if fully_credited:
        return Status.CANCELLED
    if settlement.paid > 0:
        return Status.PAID if settlement.open_amount <= 0 else Status.PARTIALLY_PAID
    if settlement.credited > 0 and settlement.open_amount <= 0:
        return Status.CANCELLED
    return Status.SENT if row.status == Status.SENT else Status.FINALIZED
