"""The one place where money is computed.

EN 16931 defines every amount of an invoice from its lines and its
document-level allowances and charges; `compute_totals` follows those
definitions (BR-CO-10..BR-CO-17, BR-S-08 and friends), rounding half-up to the
cent at the points the norm rounds: each line net amount (BT-131), each
allowance or charge computed from a percentage, and each VAT category tax
amount (BT-117). Everything else is a sum of rounded amounts, hence exact.

The XML writer, the preview, the PDF and the editor all read a `Totals`; none
of them does arithmetic on money.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from pydantic import BaseModel

from invoicing.model import AllowanceCharge, Document, Line, StatedAmounts, VatCategory
from invoicing.money import HUNDRED, ZERO, percent_of, round_amount

# The fields `compute_totals` reads, as the editor names them ("lines.quantity" for
# every line's quantity; a whole list by its name): an edit of any other field leaves
# the totals as they were (tests/invoicing/test_totals.py checks the list).
READS = (
    *("lines.quantity", "lines.net_price", "lines.base_quantity", "lines.allowances_charges"),
    *("lines.vat_category", "lines.vat_rate"),
    *("lines.vat_exemption_reason", "lines.vat_exemption_reason_code"),
    *("allowances_charges", "prepaid_amount", "rounding_amount", "currency"),
    *("vat_accounting_currency", "vat_total_accounting_currency"),
    "imported",
)


@dataclass(frozen=True, slots=True)
class LineTotals:
    """BT-131 and the amounts of the line's allowances and charges, in the
    order of `Line.allowances_charges`."""

    gross_amount: Decimal
    allowance_charge_amounts: tuple[Decimal, ...]
    allowance_charge_bases: tuple[Decimal | None, ...]
    net_amount: Decimal


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """BG-23: one VAT category and rate."""

    category: VatCategory
    rate: Decimal | None
    taxable_amount: Decimal
    tax_amount: Decimal
    exemption_reason: str | None
    exemption_reason_code: str | None


@dataclass(frozen=True, slots=True)
class Totals:
    """BG-22 with the VAT breakdown (BG-23) and per-line amounts."""

    lines: tuple[LineTotals, ...]
    allowance_charge_amounts: tuple[Decimal, ...]
    allowance_charge_bases: tuple[Decimal | None, ...]
    vat_breakdown: tuple[VatBreakdown, ...]
    line_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_exclusive_total: Decimal  # BT-109
    vat_total: Decimal  # BT-110
    vat_total_accounting_currency: Decimal | None  # BT-111
    tax_inclusive_total: Decimal  # BT-112
    prepaid_amount: Decimal  # BT-113
    rounding_amount: Decimal  # BT-114
    amount_due: Decimal  # BT-115


def line_totals(line: Line) -> LineTotals:
    """One line's amounts, as `compute_totals` computes them."""
    return _line_totals(line)


def _line_totals(line: Line) -> LineTotals:
    quantity = line.quantity if line.quantity is not None else ZERO
    price = line.net_price if line.net_price is not None else ZERO
    # Without a base quantity the product is not divided (by one): the same value,
    # without a division at 80 digits on every line.
    gross = round_amount(
        quantity * price / line.base_quantity if line.base_quantity else quantity * price
    )
    if not line.allowances_charges:
        return LineTotals(gross, (), (), gross)
    amounts: list[Decimal] = []
    bases: list[Decimal | None] = []
    net = gross
    for item in line.allowances_charges:
        base, amount = _allowance_charge_amount(item, gross)
        amounts.append(amount)
        bases.append(base)
        net += amount if item.is_charge else -amount
    return LineTotals(gross, tuple(amounts), tuple(bases), net)


def _allowance_charge_amount(
    item: AllowanceCharge, default_base: Decimal
) -> tuple[Decimal | None, Decimal]:
    """(base, amount): an explicit amount wins; else percent of the base."""
    if item.amount is not None:
        return item.base_amount, item.amount
    if item.percent is None:
        return item.base_amount, ZERO
    base = item.base_amount if item.base_amount is not None else default_base
    return base, percent_of(base, item.percent)


_GroupKey = tuple[VatCategory, str | None]


def _group_key(category: VatCategory | None, rate: Decimal | None) -> _GroupKey:
    """20, 20.0 and 20.00 fall in one group: the rate's normalized text (hashing it
    costs a fraction of hashing a Decimal with an exponent, which is a modular power;
    zero's sign aside, equal normalized decimals are equal texts)."""
    text = (str(rate.normalize()) if rate else "0") if rate is not None else None
    return category or VatCategory.STANDARD, text


# Enough digits that no product or sum of the model's largest values (19-digit
# quantities and amounts, 23-digit prices) is ever rounded before we round it.
_PRECISION = 80


def compute_totals(document: Document) -> Totals:
    """Every amount of `document`: as EN 16931 defines them, except for an
    import whose totals basis is unedited, whose amounts are the ones its file
    states (a faithful copy; `invoicing.amount_warnings` says where they differ)."""
    totals = en16931_totals(document)
    imported = document.imported
    if imported is not None and imported.basis == totals_basis(document):
        return with_stated_amounts(totals, imported.stated)
    return totals


def en16931_totals(document: Document) -> Totals:
    """Every amount of `document`, as EN 16931 defines it."""
    with localcontext() as context:
        context.prec = _PRECISION
        return _compute_totals(document)


_LINE_READS = tuple(sorted(n.split(".", 1)[1] for n in READS if n.startswith("lines.")))
_DOCUMENT_READS = tuple(sorted(n for n in READS if "." not in n and n != "imported"))


def _plain(value: object) -> object:
    """`value` with its decimals normalized (20 and 20.00 are one value)."""
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, BaseModel):
        return [_plain(getattr(value, name)) for name in type(value).model_fields]
    return value


def totals_basis(document: Document) -> str:
    """A fingerprint of what the totals are computed from (the fields of
    `READS`): an import keeps its stated amounts while it is unchanged."""
    lines = [[_plain(getattr(line, name)) for name in _LINE_READS] for line in document.lines]
    rest = [_plain(getattr(document, name)) for name in _DOCUMENT_READS]
    return hashlib.sha256(repr((lines, rest)).encode()).hexdigest()[:32]


def with_stated_amounts(computed: Totals, stated: StatedAmounts) -> Totals:
    """`computed` with every amount a file states put in its place.

    Also what a document without lines (MINIMUM, BASIC WL) needs: it cannot
    compute its own totals."""
    changes: dict[str, object] = {
        name: getattr(stated, name)
        for name in STATED_HEADER_AMOUNTS
        if getattr(stated, name) is not None
    }
    count = len(stated.line_net_amounts)
    changes["lines"] = tuple(
        LineTotals(
            line.gross_amount, line.allowance_charge_amounts, line.allowance_charge_bases, amount
        )
        if index < count and (amount := stated.line_net_amounts[index]) is not None
        else line
        for index, line in enumerate(computed.lines)
    )
    if stated.vat_breakdown:
        changes["vat_breakdown"] = tuple(
            VatBreakdown(
                category=vat.category,
                rate=vat.rate,
                taxable_amount=vat.taxable_amount if vat.taxable_amount is not None else ZERO,
                tax_amount=vat.tax_amount if vat.tax_amount is not None else ZERO,
                exemption_reason=vat.exemption_reason,
                exemption_reason_code=vat.exemption_reason_code,
            )
            for vat in stated.vat_breakdown
        )
    return dataclasses.replace(computed, **changes)  # type: ignore[arg-type]


# The header amounts a file may state (BT-106..BT-115), as named in Totals and StatedAmounts.
STATED_HEADER_AMOUNTS = (
    "line_total",
    "allowance_total",
    "charge_total",
    "tax_exclusive_total",
    "vat_total",
    "vat_total_accounting_currency",
    "tax_inclusive_total",
    "prepaid_amount",
    "rounding_amount",
    "amount_due",
)


@dataclass(slots=True)
class _Group:
    """A VAT group being added up: its rate as first given, its taxable amount, and
    the exemption reason of its first line that has one."""

    rate: Decimal | None
    taxable: Decimal = ZERO
    exemption: tuple[str | None, str | None] | None = None


def _compute_totals(document: Document) -> Totals:
    line_totals = tuple(map(_line_totals, document.lines))

    # In the order the groups first appear. A line of the previous line's category
    # and rate (most lines) is in its group: no key to make nor to look up.
    groups: dict[_GroupKey, _Group] = {}
    group: _Group | None = None
    category: VatCategory | None = None
    rate: Decimal | None = None
    for line, totals in zip(document.lines, line_totals, strict=True):
        if group is None or line.vat_category is not category or line.vat_rate != rate:
            category, rate = line.vat_category, line.vat_rate
            key = _group_key(category, rate)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(rate)
        group.taxable += totals.net_amount
        if group.exemption is None and (
            line.vat_exemption_reason or line.vat_exemption_reason_code
        ):
            group.exemption = (line.vat_exemption_reason, line.vat_exemption_reason_code)

    doc_amounts: list[Decimal] = []
    doc_bases: list[Decimal | None] = []
    allowance_total = ZERO
    charge_total = ZERO
    # The lines' net amount per VAT group: the base of a percent allowance or charge.
    line_sums = {key: group.taxable for key, group in groups.items()}
    for item in document.allowances_charges:
        key = _group_key(item.vat_category, item.vat_rate)
        base, amount = _allowance_charge_amount(item, line_sums.get(key, ZERO))
        doc_amounts.append(amount)
        doc_bases.append(base)
        if item.is_charge:
            charge_total += amount
        else:
            allowance_total += amount
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(item.vat_rate)
        group.taxable += amount if item.is_charge else -amount

    breakdown: list[VatBreakdown] = []
    for (category, _), group in groups.items():
        tax = round_amount(group.taxable * group.rate / HUNDRED) if group.rate is not None else ZERO
        reason, code = group.exemption or (None, None)
        breakdown.append(VatBreakdown(category, group.rate, group.taxable, tax, reason, code))

    line_total = sum((t.net_amount for t in line_totals), ZERO)
    tax_exclusive = line_total - allowance_total + charge_total
    vat_total = sum((b.tax_amount for b in breakdown), ZERO)
    tax_inclusive = tax_exclusive + vat_total
    prepaid = document.prepaid_amount or ZERO
    rounding = document.rounding_amount or ZERO

    vat_accounting: Decimal | None = None
    if document.vat_accounting_currency:
        if document.vat_total_accounting_currency is not None:
            vat_accounting = document.vat_total_accounting_currency
        elif document.vat_accounting_currency == document.currency:
            vat_accounting = vat_total

    return Totals(
        lines=line_totals,
        allowance_charge_amounts=tuple(doc_amounts),
        allowance_charge_bases=tuple(doc_bases),
        vat_breakdown=tuple(breakdown),
        line_total=line_total,
        allowance_total=allowance_total,
        charge_total=charge_total,
        tax_exclusive_total=tax_exclusive,
        vat_total=vat_total,
        vat_total_accounting_currency=vat_accounting,
        tax_inclusive_total=tax_inclusive,
        prepaid_amount=prepaid,
        rounding_amount=rounding,
        amount_due=tax_inclusive - prepaid + rounding,
    )


def prepaid_from_deposits(deposits: Sequence[tuple[Document, Decimal]]) -> Decimal:
    """BT-113 of a final invoice: the amounts due of the deposit invoices it deducts,
    each less what credit notes already took back from it (`(deposit, credited)`)."""
    with localcontext() as context:
        context.prec = _PRECISION
        return sum(
            (compute_totals(deposit).amount_due - credited for deposit, credited in deposits), ZERO
        )
