"""Amounts as a CII file states them, beside the ones `compute_totals` derives.

An imported invoice carries its own totals; they are kept apart from the model
(which holds no computed amount) so that a caller can compare the two, and so
that a document without lines (MINIMUM, BASIC WL) can be written back with
the amounts it stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from invoicing.model import StatedAmounts, StatedVatAmounts, VatCategory
from invoicing.totals import STATED_HEADER_AMOUNTS, Totals, VatBreakdown, with_stated_amounts


@dataclass(frozen=True, slots=True)
class StatedVat:
    """One VAT breakdown (BG-23) as the XML states it."""

    category: VatCategory
    rate: Decimal | None  # BT-119
    taxable_amount: Decimal | None  # BT-116
    tax_amount: Decimal | None  # BT-117
    exemption_reason: str | None  # BT-120
    exemption_reason_code: str | None  # BT-121


@dataclass(frozen=True, slots=True)
class StatedTotals:
    """The amounts as the XML states them (None where it states nothing)."""

    line_total: Decimal | None  # BT-106
    allowance_total: Decimal | None  # BT-107
    charge_total: Decimal | None  # BT-108
    tax_exclusive_total: Decimal | None  # BT-109
    vat_total: Decimal | None  # BT-110
    vat_total_accounting_currency: Decimal | None  # BT-111
    tax_inclusive_total: Decimal | None  # BT-112
    prepaid_amount: Decimal | None  # BT-113
    rounding_amount: Decimal | None  # BT-114
    amount_due: Decimal | None  # BT-115
    vat_breakdown: tuple[StatedVat, ...]  # BG-23
    line_net_amounts: tuple[Decimal | None, ...]  # BT-131, one per line

    def differences(self, computed: Totals) -> dict[str, tuple[Decimal | None, Decimal | None]]:
        """{name: (stated, computed)} for every stated amount that `computed`
        does not reproduce; the VAT breakdown is compared as a whole
        (`vat_breakdown`), and each line as `line_net_amounts[i]`."""
        found: dict[str, tuple[Decimal | None, Decimal | None]] = {}
        for name in STATED_HEADER_AMOUNTS:
            stated = getattr(self, name)
            value = getattr(computed, name)
            if stated is not None and stated != value:
                found[name] = (stated, value)
        for index, (stated, line) in enumerate(
            zip(self.line_net_amounts, computed.lines, strict=False)
        ):
            if stated is not None and stated != line.net_amount:
                found[f"line_net_amounts[{index}]"] = (stated, line.net_amount)
        if self.vat_breakdown and _vat_key(self.vat_breakdown) != _vat_key(
            tuple(_as_stated(b) for b in computed.vat_breakdown)
        ):
            found["vat_breakdown"] = (None, None)
        return found

    def apply_to(self, computed: Totals) -> Totals:
        """`computed` with every amount the XML states put in its place.

        Needed for the profiles without lines (MINIMUM, BASIC WL), whose
        document cannot compute its own totals: writing it back with these
        totals reproduces the stated amounts."""
        return with_stated_amounts(computed, self.as_model())

    def as_model(self) -> StatedAmounts:
        """The same amounts as the document model holds them (`Imported.stated`)."""
        return StatedAmounts(
            line_net_amounts=list(self.line_net_amounts),
            **{name: getattr(self, name) for name in STATED_HEADER_AMOUNTS},
            vat_breakdown=[
                StatedVatAmounts(
                    category=vat.category,
                    rate=vat.rate,
                    taxable_amount=vat.taxable_amount,
                    tax_amount=vat.tax_amount,
                    exemption_reason=vat.exemption_reason,
                    exemption_reason_code=vat.exemption_reason_code,
                )
                for vat in self.vat_breakdown
            ],
        )


def _as_stated(vat: VatBreakdown) -> StatedVat:
    return StatedVat(
        vat.category,
        vat.rate,
        vat.taxable_amount,
        vat.tax_amount,
        vat.exemption_reason,
        vat.exemption_reason_code,
    )


def _vat_key(breakdown: tuple[StatedVat, ...]) -> list[tuple[str, ...]]:
    """Order-insensitive, scale-insensitive form of a VAT breakdown."""
    return sorted(
        tuple(
            str(value.normalize()) if isinstance(value, Decimal) else str(value)
            for value in (vat.category.value, vat.rate, vat.taxable_amount, vat.tax_amount)
        )
        for vat in breakdown
    )
