from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from invoicing.model import AllowanceCharge, Document, Line, VatCategory
from invoicing.money import round_amount
from invoicing.rules.engine import overlaps
from invoicing.totals import READS, compute_totals
from tests.strategies import documents

D = Decimal


def test_cen_example_3_subscription_with_freight_charge() -> None:
    # CEN CII_example3: one 800.00 line at 25 %, a 100.00 freight charge.
    document = Document(
        currency="DKK",
        lines=[Line(name="Paper subscription", quantity=D(1), net_price=D(800), vat_rate=D(25))],
        allowances_charges=[
            AllowanceCharge(
                is_charge=True,
                amount=D(100),
                reason="Freight charge",
                vat_category=VatCategory.STANDARD,
                vat_rate=D(25),
            )
        ],
    )
    totals = compute_totals(document)
    assert totals.line_total == D("800.00")
    assert totals.charge_total == D("100.00")
    assert totals.tax_exclusive_total == D("900.00")
    assert totals.vat_total == D("225.00")
    assert totals.tax_inclusive_total == D("1125.00")
    assert totals.amount_due == D("1125.00")
    [breakdown] = totals.vat_breakdown
    assert (breakdown.taxable_amount, breakdown.tax_amount) == (D("900.00"), D("225.00"))


def test_line_net_amount_rounds_half_up_and_applies_percent_discount() -> None:
    line = Line(
        quantity=D("3.3333"),
        net_price=D("10.005"),
        vat_rate=D(20),
        allowances_charges=[AllowanceCharge(percent=D(10), reason="Remise")],
    )
    totals = compute_totals(Document(lines=[line]))
    # 3.3333 x 10.005 = 33.3496665 -> 33.35; 10 % of 33.35 = 3.335 -> 3.34 (half-up)
    assert totals.lines[0].gross_amount == D("33.35")
    assert totals.lines[0].allowance_charge_amounts == (D("3.34"),)
    assert totals.lines[0].net_amount == D("30.01")


def test_base_quantity_divides_the_price() -> None:
    line = Line(quantity=D(250), net_price=D("12.00"), base_quantity=D(100), vat_rate=D("5.5"))
    totals = compute_totals(Document(lines=[line]))
    assert totals.lines[0].net_amount == D("30.00")
    assert totals.vat_total == D("1.65")


def test_vat_is_rounded_per_category_and_rate_not_per_line() -> None:
    lines = [Line(quantity=D(1), net_price=D("0.05"), vat_rate=D(10)) for _ in range(3)]
    totals = compute_totals(Document(lines=lines))
    # per line 0.005 would round to 0.01 each (0.03); per breakdown 0.15 x 10 % = 0.015 -> 0.02
    assert totals.vat_total == D("0.02")
    assert len(totals.vat_breakdown) == 1


def test_rates_20_and_20_00_share_one_breakdown() -> None:
    lines = [
        Line(quantity=D(1), net_price=D(10), vat_rate=D("20")),
        Line(quantity=D(1), net_price=D(10), vat_rate=D("20.00")),
    ]
    assert len(compute_totals(Document(lines=lines)).vat_breakdown) == 1


def test_document_percent_allowance_defaults_to_its_category_base() -> None:
    document = Document(
        lines=[
            Line(quantity=D(1), net_price=D(100), vat_rate=D(20)),
            Line(quantity=D(1), net_price=D(50), vat_rate=D("5.5")),
        ],
        allowances_charges=[
            AllowanceCharge(
                percent=D(10), reason="Remise", vat_category=VatCategory.STANDARD, vat_rate=D(20)
            )
        ],
    )
    totals = compute_totals(document)
    assert totals.allowance_charge_bases == (D(100),)
    assert totals.allowance_total == D("10.00")
    assert {b.rate: b.taxable_amount for b in totals.vat_breakdown} == {
        D(20): D("90.00"),
        D("5.5"): D("50.00"),
    }
    assert totals.vat_total == D("18.00") + D("2.75")


def test_prepaid_and_rounding_change_only_the_amount_due() -> None:
    document = Document(
        lines=[Line(quantity=D(1), net_price=D("99.99"), vat_rate=D(20))],
        prepaid_amount=D("50.00"),
        rounding_amount=D("0.01"),
    )
    totals = compute_totals(document)
    assert totals.tax_inclusive_total == D("119.99")
    assert totals.amount_due == D("70.00")


def test_negative_zero_never_appears() -> None:
    document = Document(
        lines=[Line(quantity=D(-3), net_price=D(0), vat_category=VatCategory.ZERO, vat_rate=D(0))]
    )
    totals = compute_totals(document)
    assert str(totals.vat_total) == "0.00"
    assert str(totals.lines[0].net_amount) == "0.00"


def test_not_subject_category_has_no_rate_and_no_tax() -> None:
    document = Document(
        lines=[
            Line(
                quantity=D(2), net_price=D(10), vat_category=VatCategory.NOT_SUBJECT, vat_rate=None
            )
        ]
    )
    [breakdown] = compute_totals(document).vat_breakdown
    assert breakdown.rate is None
    assert breakdown.tax_amount == D("0.00")


@settings(max_examples=300, deadline=None)
@given(documents())
def test_totals_satisfy_the_en16931_calculation_rules(document: Document) -> None:
    totals = compute_totals(document)
    # BR-CO-10: sum of line net amounts
    assert totals.line_total == sum((line.net_amount for line in totals.lines), D(0))
    # BR-CO-11 / BR-CO-12: sums of document-level allowances and charges
    allowances = [
        amount
        for item, amount in zip(
            document.allowances_charges, totals.allowance_charge_amounts, strict=True
        )
        if not item.is_charge
    ]
    assert totals.allowance_total == sum(allowances, D(0))
    # BR-CO-13
    assert totals.tax_exclusive_total == (
        totals.line_total - totals.allowance_total + totals.charge_total
    )
    # BR-CO-14 and BR-CO-17: VAT per breakdown, rounded; total is their sum
    for breakdown in totals.vat_breakdown:
        rate = breakdown.rate or D(0)
        assert breakdown.tax_amount == round_amount(breakdown.taxable_amount * rate / 100)
    assert totals.vat_total == sum((b.tax_amount for b in totals.vat_breakdown), D(0))
    # BR-CO-15, BR-CO-16
    assert totals.tax_inclusive_total == totals.tax_exclusive_total + totals.vat_total
    assert totals.amount_due == (
        totals.tax_inclusive_total - totals.prepaid_amount + totals.rounding_amount
    )
    # The breakdown's taxable amounts add up to the tax exclusive total.
    assert sum((b.taxable_amount for b in totals.vat_breakdown), D(0)) == (
        totals.tax_exclusive_total
    )
    for amount in (totals.line_total, totals.vat_total, totals.amount_due):
        assert amount == amount.quantize(D("0.01"))


class _Watched:
    """A model that notes which of its fields are read (as editor field patterns)."""

    def __init__(self, model: BaseModel, path: str, read: set[str]) -> None:
        self._model, self._path, self._read = model, path, read

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._model, name)
        path = f"{self._path}.{name}" if self._path else name
        self._read.add(path)
        if isinstance(value, BaseModel):
            return _Watched(value, path, self._read)
        if isinstance(value, list):
            return [_Watched(v, path, self._read) if isinstance(v, BaseModel) else v for v in value]
        return value


@settings(max_examples=200, deadline=None)
@given(documents())
def test_totals_read_only_the_fields_they_declare(document: Document) -> None:
    # The editor computes the totals again only after an edit of a field in READS.
    document = document.model_copy(
        update={
            "vat_accounting_currency": "USD",
            "prepaid_amount": Decimal("1.00"),
            "rounding_amount": Decimal("0.01"),
        }
    )
    read: set[str] = set()
    watched = _Watched(document, "", read)
    assert compute_totals(watched) == compute_totals(document)  # type: ignore[arg-type]
    undeclared = {path for path in read if not any(overlaps(path, r) for r in READS)}
    assert not undeclared, undeclared


# --- Against exact arithmetic --------------------------------------------------------------
# The computation again in fractions, written from the definitions (not from the code):
# every amount compute_totals gives, with its value and its two decimals.

_cents = st.decimals(min_value=D("-9999.99"), max_value=D("9999.99"), places=2)
_rates = st.sampled_from(["20", "20.0", "20.00", "5.5", "5.50", "0", "0.00", "-0", "10"]).map(D)


def _half_up(value: Fraction) -> Fraction:
    cents = math.floor(abs(value) * 100 + Fraction(1, 2))
    return Fraction(cents if value >= 0 else -cents, 100)


def _charge(draw: st.DrawFn, document_level: bool) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=draw(st.booleans()),
        amount=draw(st.none() | _cents),
        base_amount=draw(st.none() | _cents),
        percent=draw(st.none() | st.decimals(min_value=-100, max_value=100, places=4)),
        vat_category=draw(st.sampled_from(VatCategory)) if document_level else None,
        vat_rate=draw(st.none() | _rates) if document_level else None,
    )


@st.composite
def _awkward_documents(draw: st.DrawFn) -> Document:
    """Lines with every kind of number the totals read: signs, base quantities, line
    and document allowances by amount or percent, a rate written several ways."""
    lines = [
        Line(
            quantity=draw(st.none() | st.decimals(min_value=-999, max_value=999, places=4)),
            net_price=draw(st.none() | st.decimals(min_value=-999, max_value=999, places=6)),
            base_quantity=draw(st.none() | st.decimals(min_value=0, max_value=99, places=3)),
            allowances_charges=[_charge(draw, False) for _ in range(draw(st.integers(0, 2)))],
            vat_category=draw(st.sampled_from([VatCategory.STANDARD, VatCategory.ZERO])),
            vat_rate=draw(st.none() | _rates),
            vat_exemption_reason=draw(st.sampled_from([None, "", "Exonération"])),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    charges = [_charge(draw, True) for _ in range(draw(st.integers(0, 3)))]
    return Document(
        lines=lines,
        allowances_charges=charges,
        prepaid_amount=draw(st.none() | _cents),
        rounding_amount=draw(st.none() | _cents),
    )


def _charge_amount(item: AllowanceCharge, default_base: Fraction) -> Fraction:
    if item.amount is not None:
        return Fraction(item.amount)
    if item.percent is None:
        return Fraction(0)
    base = Fraction(item.base_amount) if item.base_amount is not None else default_base
    return _half_up(base * Fraction(item.percent) / 100)


def _signed(item: AllowanceCharge, amount: Fraction) -> Fraction:
    return amount if item.is_charge else -amount


def _assert_cents(value: Decimal, expected: Fraction) -> None:
    assert value == expected
    assert value.as_tuple().exponent == -2, value


@settings(max_examples=200, deadline=None)
@given(_awkward_documents())
def test_totals_equal_exact_arithmetic_rounded_where_the_norm_rounds(document: Document) -> None:
    totals = compute_totals(document)
    groups: dict[tuple[VatCategory, Fraction | None], list[Any]] = {}  # [rate, taxable, reason]
    nets: list[Fraction] = []
    for line, computed in zip(document.lines, totals.lines, strict=True):
        product = Fraction(line.quantity or 0) * Fraction(line.net_price or 0)
        gross = _half_up(product / Fraction(line.base_quantity or 1))
        net = gross + sum(
            (_signed(item, _charge_amount(item, gross)) for item in line.allowances_charges),
            Fraction(0),
        )
        _assert_cents(computed.gross_amount, gross)
        _assert_cents(computed.net_amount, net)
        nets.append(net)
        rate = None if line.vat_rate is None else Fraction(line.vat_rate)
        group = groups.setdefault((line.vat_category, rate), [line.vat_rate, Fraction(0), None])
        group[1] += net
        if group[2] is None and line.vat_exemption_reason:
            group[2] = line.vat_exemption_reason
    line_sums = {key: group[1] for key, group in groups.items()}
    allowances = charges = Fraction(0)
    for item, computed_amount in zip(
        document.allowances_charges, totals.allowance_charge_amounts, strict=True
    ):
        rate = None if item.vat_rate is None else Fraction(item.vat_rate)
        key = (item.vat_category or VatCategory.STANDARD, rate)
        amount = _charge_amount(item, line_sums.get(key, Fraction(0)))
        assert computed_amount == amount
        allowances += 0 if item.is_charge else amount
        charges += amount if item.is_charge else 0
        groups.setdefault(key, [item.vat_rate, Fraction(0), None])[1] += _signed(item, amount)
    assert [(b.category, b.rate) for b in totals.vat_breakdown] == [
        (category, group[0]) for (category, _), group in groups.items()
    ]
    vat = Fraction(0)
    for breakdown, group in zip(totals.vat_breakdown, groups.values(), strict=True):
        _assert_cents(breakdown.taxable_amount, group[1])
        tax = Fraction(0) if group[0] is None else _half_up(group[1] * Fraction(group[0]) / 100)
        _assert_cents(breakdown.tax_amount, tax)
        assert breakdown.exemption_reason == group[2]
        vat += tax
    _assert_cents(totals.line_total, sum(nets, Fraction(0)))
    _assert_cents(totals.allowance_total, allowances)
    _assert_cents(totals.charge_total, charges)
    exclusive = sum(nets, Fraction(0)) - allowances + charges
    _assert_cents(totals.tax_exclusive_total, exclusive)
    _assert_cents(totals.vat_total, vat)
    _assert_cents(totals.tax_inclusive_total, exclusive + vat)
    due = exclusive + vat - Fraction(document.prepaid_amount or 0)
    _assert_cents(totals.amount_due, due + Fraction(document.rounding_amount or 0))
