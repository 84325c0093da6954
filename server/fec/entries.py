"""Sales journal entries for finalized documents: one balanced entry per
document — the customer (411) on one side, revenue (706 services, 707 goods,
4191 deposits) and collected VAT (44571) per rate on the other; credit notes
the other way round. Amounts come from `invoicing.totals`; nothing is summed here.

A final invoice that deducts deposits (BT-113) books the customer for its amount
due only, and takes the deposits back on the customer's side: 4191 for their
net amounts and 44571 for their VAT, per rate, as the deposit invoices booked
them (or 4191 for the prepaid amount as a whole when the deposits are not at
hand). A rounding amount (BT-114) goes to 758 (658 when negative)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from invoicing.model import Document
from invoicing.totals import compute_totals
from server.fec.columns import fec_text

JOURNAL_CODE: Final = "VE"
JOURNAL_LABEL: Final = "Ventes"
PARIS: Final = ZoneInfo("Europe/Paris")
ACCOUNTS: Final = {
    "411": "Clients",
    "706": "Prestations de services",
    "707": "Ventes de marchandises",
    "4191": "Clients - avances et acomptes reçus",
    "44571": "TVA collectée",
    "658": "Charges diverses de gestion courante (arrondis)",
    "758": "Produits divers de gestion courante (arrondis)",
}
KIND_LABELS: Final = {
    "invoice": "Facture",
    "deposit_invoice": "Facture d'acompte",
    "credit_note": "Avoir",
}


@dataclass(frozen=True, slots=True)
class FecLine:
    entry_number: int
    entry_date: dt.date
    account: str
    account_label: str
    aux_account: str
    aux_label: str
    piece_ref: str
    piece_date: dt.date
    label: str
    debit: Decimal
    credit: Decimal
    valid_date: dt.date


@dataclass(frozen=True, slots=True)
class Finalized:
    """What the export needs of one finalized document."""

    document: Document
    number: str
    kind: str
    issue_date: dt.date
    finalized_at: dt.datetime
    contact_id: int | None
    deposits: tuple[Document, ...] = ()  # the deposit invoices a final invoice deducts


def _revenue_account(item: Finalized) -> str:
    if item.kind == "deposit_invoice":
        return "4191"
    return "707" if item.document.operation_category == "goods" else "706"


def _aux_account(item: Finalized) -> str:
    if item.contact_id is not None:
        return f"C{item.contact_id:06d}"
    siren = item.document.buyer.siren
    return f"S{siren}" if siren else "DIVERS"


def _rate_text(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f" {rate.normalize():f}".replace(".", ",") + " %"


def entry_lines(item: Finalized, entry_number: int) -> list[FecLine]:
    """The lines of one document's entry (zero amounts left out)."""
    totals = compute_totals(item.document)
    buyer = item.document.buyer.name or ""
    label = fec_text(f"{KIND_LABELS[item.kind]} {item.number} {buyer}")
    valid = max(item.issue_date, item.finalized_at.astimezone(PARIS).date())
    customer_debits = item.kind != "credit_note"

    def line(account: str, account_label: str, amount: Decimal, debit_side: bool) -> FecLine:
        if amount < 0:  # a negative amount is booked on the other side
            amount, debit_side = -amount, not debit_side
        zero = Decimal("0.00")
        is_customer = account == "411"
        return FecLine(
            entry_number=entry_number,
            entry_date=item.issue_date,
            account=account,
            account_label=account_label,
            aux_account=_aux_account(item) if is_customer else "",
            aux_label=fec_text(buyer) if is_customer else "",
            piece_ref=fec_text(item.number),
            piece_date=item.issue_date,
            label=label,
            debit=amount if debit_side else zero,
            credit=zero if debit_side else amount,
            valid_date=valid,
        )

    lines = [line("411", ACCOUNTS["411"], totals.amount_due, customer_debits)]
    lines += _deducted_deposits(item, totals.prepaid_amount, line, customer_debits)
    if totals.rounding_amount:
        account = "758" if totals.rounding_amount > 0 else "658"
        lines.append(line(account, ACCOUNTS[account], totals.rounding_amount, not customer_debits))
    revenue = _revenue_account(item)
    for vat in totals.vat_breakdown:
        suffix = _rate_text(vat.rate)
        lines.append(
            line(revenue, ACCOUNTS[revenue] + suffix, vat.taxable_amount, not customer_debits)
        )
        lines.append(line("44571", ACCOUNTS["44571"] + suffix, vat.tax_amount, not customer_debits))
    return [entry for entry in lines if entry.debit or entry.credit]


def _deducted_deposits(
    item: Finalized,
    prepaid: Decimal,
    line: Callable[[str, str, Decimal, bool], FecLine],
    customer_debits: bool,
) -> list[FecLine]:
    """The deposits a final invoice deducts, taken back on the customer's side."""
    if not prepaid:
        return []
    deposits = [compute_totals(deposit) for deposit in item.deposits]
    if sum((d.amount_due for d in deposits), Decimal(0)) != prepaid:
        return [line("4191", ACCOUNTS["4191"], prepaid, customer_debits)]
    lines = []
    for deposit in deposits:
        for vat in deposit.vat_breakdown:
            suffix = _rate_text(vat.rate)
            lines.append(
                line("4191", ACCOUNTS["4191"] + suffix, vat.taxable_amount, customer_debits)
            )
            lines.append(line("44571", ACCOUNTS["44571"] + suffix, vat.tax_amount, customer_debits))
    return lines


def journal_lines(items: list[Finalized]) -> list[FecLine]:
    """The entries of `items`, in order, numbered 1, 2, 3... without a gap (a
    document whose amounts are all zero books nothing and takes no number)."""
    lines: list[FecLine] = []
    number = 1
    for item in items:
        entry = entry_lines(item, number)
        if entry:
            lines += entry
            number += 1
    return lines
