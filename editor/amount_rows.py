"""The totals, VAT rows and line amounts the form shows, as fragments the live
channel sends again when they change."""

from __future__ import annotations

from dataclasses import dataclass

from editor.analysis import Analysis
from editor.i18n import words
from invoicing.html import Formatter
from invoicing.model import VatCategory
from invoicing.totals import Totals


@dataclass(frozen=True, slots=True)
class TotalRow:
    label: str
    value: str
    strong: bool = False


def total_rows(
    totals: Totals, fmt: Formatter, locale: str, *, already_paid: bool = False
) -> list[TotalRow]:
    """`already_paid`: the prepaid amount is a payment (billing mode B2/S2/M2), not
    the deposits a final invoice deducts."""
    w = words(locale)
    rows = [TotalRow(w["total_lines"], fmt.money(totals.line_total))]
    if totals.allowance_total:
        rows.append(TotalRow(w["total_allowances"], fmt.money(-totals.allowance_total)))
    if totals.charge_total:
        rows.append(TotalRow(w["total_charges"], fmt.money(totals.charge_total)))
    rows.append(TotalRow(w["total_excl"], fmt.money(totals.tax_exclusive_total)))
    rows.append(TotalRow(w["total_vat"], fmt.money(totals.vat_total)))
    rows.append(TotalRow(w["total_incl"], fmt.money(totals.tax_inclusive_total), strong=True))
    if totals.prepaid_amount:
        rows.append(
            TotalRow(
                w["paid_in_advance" if already_paid else "prepaid"],
                fmt.money(-totals.prepaid_amount),
            )
        )
    if totals.rounding_amount:
        rows.append(TotalRow(w["rounding"], fmt.money(totals.rounding_amount)))
    if totals.prepaid_amount or totals.rounding_amount:
        rows.append(TotalRow(w["amount_due"], fmt.money(totals.amount_due), strong=True))
    return rows


@dataclass(frozen=True, slots=True)
class VatRow:
    label: str
    base: str
    amount: str


def vat_rows(totals: Totals, fmt: Formatter, locale: str) -> list[VatRow]:
    w = words(locale)
    rows = []
    for row in totals.vat_breakdown:
        label = fmt.percent(row.rate) if row.rate is not None else ""
        if row.category is not VatCategory.STANDARD:
            label = f"{label} {w['vat_' + row.category.value]}".strip()
        rows.append(VatRow(label, fmt.money(row.taxable_amount), fmt.money(row.tax_amount)))
    return rows


def line_amounts(analysis: Analysis, locale: str) -> list[str]:
    fmt = Formatter(locale, analysis.document.currency)
    return [fmt.money(line.net_amount) for line in analysis.totals.lines]
