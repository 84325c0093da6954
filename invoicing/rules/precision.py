"""Totals rules that fail only for very large amounts.

`invoicing.totals` computes every amount exactly, so BR-CO-10 .. BR-CO-16
hold by construction. But several official tests sum or compare the amounts
as XPath doubles (untyped values in arithmetic are cast to xs:double), which
hold about 15 significant digits: above roughly 10^13 the official check
reports errors on correct totals. These rules reproduce that arithmetic so
that the fast layer says the same, with a message that says what to do.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from decimal import Decimal

from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule

_HUNDRED = Decimal(100)


def double_sum(values: Iterable[Decimal]) -> float:
    """fn:sum over untyped values: each cast to xs:double, added in order."""
    total = 0.0
    for value in values:
        total += float(value)
    return total


def double_round(value: float) -> float:
    """fn:round on xs:double (halves towards positive infinity)."""
    if not math.isfinite(value) or abs(value) >= 2.0**52:
        return value
    floor = math.floor(value)
    return float(floor + 1 if value - floor >= 0.5 else floor)


def cents_as_double(value: float) -> float:
    """round($x * 10 * 10) div 100, in doubles (two products round twice)."""
    return double_round(value * 10 * 10) / 100


def cents_as_double_once(value: float) -> float:
    """round($x * 100) div 100, in doubles."""
    return double_round(value * 100) / 100


_FR = (
    "Montants trop grands pour être vérifiés de façon fiable par les validateurs officiels "
    "(au-delà de 10 000 milliards) : scindez la facture."
)
_EN = (
    "Amounts too large for the official validators to check reliably (beyond 10 trillion): "
    "split the invoice."
)
_WHY = (
    "The official test computes in xs:double; our totals are exact. The rule reproduces "
    "the double arithmetic, so it fires only for amounts beyond about 10^13."
)


@rule(
    "BR-CO-10",
    refs=("BR-CO-10",),
    reads=TOTALS_READS,
    fr=_FR,
    en=_EN,
    why=_WHY,
)
def line_total_sum(ctx: Context) -> Iterator[Hit]:
    totals = ctx.totals
    summed = Decimal(double_sum(t.net_amount for t in totals.lines))
    if _xround_cents(summed) != totals.line_total:
        yield Hit(("lines",))


def _xround_cents(value: Decimal) -> Decimal:
    """round($x * 100) div 100 on xs:decimal."""
    return (value * _HUNDRED + Decimal("0.5")).to_integral_value("ROUND_FLOOR") / _HUNDRED


@rule(
    "BR-CO-11",
    refs=("BR-CO-11", "BR-CO-12"),
    reads=TOTALS_READS,
    fr=_FR,
    en=_EN,
    why=_WHY,
)
def allowance_charge_totals(ctx: Context) -> Iterator[Hit]:
    doc, totals = ctx.doc, ctx.totals
    if not doc.allowances_charges:
        return
    allowances = [
        a
        for item, a in zip(doc.allowances_charges, totals.allowance_charge_amounts, strict=True)
        if not item.is_charge
    ]
    charges = [
        a
        for item, a in zip(doc.allowances_charges, totals.allowance_charge_amounts, strict=True)
        if item.is_charge
    ]
    refs = []
    if float(totals.allowance_total) != cents_as_double(double_sum(allowances)):
        refs.append("BR-CO-11")
    charge_side = cents_as_double(cents_as_double(double_sum(charges)) + 0.0)
    if cents_as_double(float(totals.charge_total)) != charge_side:
        refs.append("BR-CO-12")
    if refs:
        yield Hit(("allowances_charges",), tuple(refs))


@rule(
    "BR-CO-14",
    refs=("BR-CO-14",),
    reads=TOTALS_READS,
    fr=_FR,
    en=_EN,
    why=_WHY,
)
def vat_total_sum(ctx: Context) -> Iterator[Hit]:
    totals = ctx.totals
    summed = cents_as_double(double_sum(b.tax_amount for b in totals.vat_breakdown))
    if float(totals.vat_total) != summed:
        yield Hit(("lines",))


def _accounting_total_written(ctx: Context) -> bool:
    doc = ctx.doc
    return bool(
        doc.vat_accounting_currency
        and doc.vat_accounting_currency != doc.currency
        and ctx.totals.vat_total_accounting_currency is not None
    )


def _cents_exact_as_double(value: Decimal) -> bool:
    """. = round(. * 100) div 100, with . an untyped amount (so a double)."""
    as_double = float(value)
    return as_double == cents_as_double_once(as_double)


@rule(
    "BR-DEC-13",
    refs=("BR-DEC-13",),
    reads=TOTALS_READS,
    fr=_FR,
    en=_EN,
    why=_WHY,
)
def vat_total_cents(ctx: Context) -> Iterator[Hit]:
    if _accounting_total_written(ctx):
        return  # the other TaxTotalAmount satisfies the predicate
    if not _cents_exact_as_double(ctx.totals.vat_total):
        yield Hit(("lines",))


@rule(
    "BR-DEC-15",
    refs=("BR-DEC-15",),
    reads=TOTALS_READS,
    fr="Indiquez le montant de TVA dans la devise de comptabilité.",
    en="Enter the VAT total in the VAT accounting currency.",
    why="Also fails when the VAT accounting currency has no VAT total (the official "
    "test then finds no amount in that currency).",
)
def accounting_vat_total(ctx: Context) -> Iterator[Hit]:
    doc, totals = ctx.doc, ctx.totals
    if not doc.vat_accounting_currency:
        return
    if _accounting_total_written(ctx):
        amount = totals.vat_total_accounting_currency
    elif doc.vat_accounting_currency == doc.currency:
        amount = totals.vat_total
    else:
        yield Hit(("vat_total_accounting_currency",))
        return
    if amount is not None and not _cents_exact_as_double(amount):
        yield Hit(("vat_total_accounting_currency",))
