"""The rules of each VAT family (-01..-10), declared from the table, so that each
keeps its official id."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule
from invoicing.rules.precision import double_round
from invoicing.rules.vat.families import EXTENDED_NO_RATE, FAMILIES, PARTIES, Family


def _declare(family: Family) -> None:
    p, code = family.prefix, family.category

    if family.exactly_one_breakdown:

        def one_breakdown(ctx: Context) -> Iterator[Hit]:
            groups = ctx.groups_by_category.get(code, [])
            if len(groups) > 1:
                yield Hit(tuple(f for g in groups for f in g.fields("vat_rate", "vat_rate")))

        rule(
            f"{p}-01",
            refs=(f"{p}-01",),
            reads=TOTALS_READS,
            fr=f"Toutes les lignes en {family.name_fr} doivent avoir le même taux.",
            en=f"All {family.name_en} lines must use the same rate.",
            family="vat",
            category=code,
        )(one_breakdown)

    def line_parties(ctx: Context) -> Iterator[Hit]:
        indices = ctx.lines_by_category.get(code)
        if not indices or family.parties(ctx):
            return
        for index in indices:
            yield Hit((f"lines[{index}].vat_category",), params={"line": index + 1})

    rule(
        f"{p}-02",
        refs=(f"{p}-02",),
        reads=("lines.vat_category", *PARTIES),
        fr=f"Ligne {{line}} : {family.the_fr()} suppose {family.parties_fr}.",
        en=f"Line {{line}}: {family.name_en} requires {family.parties_en}.",
        family="vat",
        category=code,
    )(line_parties)

    for suffix, is_charge, what_fr, what_en in (
        ("03", False, "Remise", "Allowance"),
        ("04", True, "Frais", "Charge"),
    ):

        def allowance_parties(ctx: Context, is_charge: bool = is_charge) -> Iterator[Hit]:
            indices = ctx.allowances_by_category.get(code)
            if not indices or family.parties(ctx):
                return
            for index in indices:
                if ctx.doc.allowances_charges[index].is_charge is is_charge:
                    yield Hit(
                        (f"allowances_charges[{index}].vat_category",),
                        params={"number": index + 1},
                    )

        rule(
            f"{p}-{suffix}",
            refs=(f"{p}-{suffix}",),
            reads=("allowances_charges", *PARTIES),
            fr=f"{what_fr} {{number}} : {family.the_fr()} suppose {family.parties_fr}.",
            en=f"{what_en} {{number}}: {family.name_en} requires {family.parties_en}.",
            family="vat",
            category=code,
        )(allowance_parties)

    def line_rate(ctx: Context) -> Iterator[Hit]:
        lines = ctx.doc.lines
        for index in ctx.lines_by_category.get(code, ()):
            if not family.rate(lines[index].vat_rate):
                yield Hit((f"lines[{index}].vat_rate",), params={"line": index + 1})

    rule(
        f"{p}-05",
        refs=(f"{p}-05",),
        reads=("lines.vat_category", "lines.vat_rate"),
        fr=f"Ligne {{line}} : {family.the_fr()} demande {family.rate_fr}.",
        en=f"Line {{line}}: {family.name_en} takes {family.rate_en}.",
        family="vat",
        category=code,
        quotes=True,
    )(line_rate)

    for suffix, is_charge, what_fr, what_en in (
        ("06", False, "Remise", "Allowance"),
        ("07", True, "Frais", "Charge"),
    ):

        def allowance_rate(ctx: Context, is_charge: bool = is_charge) -> Iterator[Hit]:
            items = ctx.doc.allowances_charges
            for index in ctx.allowances_by_category.get(code, ()):
                item = items[index]
                if item.is_charge is is_charge and not family.rate(item.vat_rate):
                    yield Hit(
                        (f"allowances_charges[{index}].vat_rate",), params={"number": index + 1}
                    )

        rule(
            f"{p}-{suffix}",
            refs=(f"{p}-{suffix}",),
            reads=("allowances_charges",),
            fr=f"{what_fr} {{number}} : {family.the_fr()} demande {family.rate_fr}.",
            en=f"{what_en} {{number}}: {family.name_en} takes {family.rate_en}.",
            family="vat",
            category=code,
            quotes=True,
        )(allowance_rate)

    if family.basis != "computed":

        def taxable_amount(ctx: Context) -> Iterator[Hit]:
            groups = ctx.groups_by_category.get(code, [])
            if not groups:
                return
            # The official test compares the (untyped) basis as an xs:double.
            total = float(_category_total(ctx, code))
            for group in groups:
                basis = float(group.breakdown.taxable_amount)
                if family.basis == "exact":
                    failed = basis != total
                else:
                    failed = not (basis - 1 <= total and basis + 1 > total)
                if failed:
                    yield Hit(group.fields("vat_rate", "vat_rate"))

        rule(
            f"{p}-08",
            refs=(f"{p}-08",),
            reads=TOTALS_READS,
            fr=f"Toutes les lignes en {family.name_fr} doivent avoir le même taux.",
            en=f"All {family.name_en} lines must use the same rate.",
            family="vat",
            category=code,
            why="Follows from the breakdown being computed; fails when one category is "
            "split over several rates (see -01), or beyond double precision (see BR-CO-10).",
        )(taxable_amount)

    if family.has_09:

        def tax_amount(ctx: Context) -> Iterator[Hit]:
            for group in ctx.groups_by_category.get(code, ()):
                breakdown = group.breakdown
                if family.tax_zero:
                    failed = breakdown.tax_amount != 0
                else:
                    failed = not _standard_tax_ok(
                        breakdown.rate, breakdown.tax_amount, breakdown.taxable_amount
                    )
                if failed:
                    refs: tuple[str, ...] = (f"{p}-09",)
                    if code == "S" and breakdown.rate is None:
                        refs += EXTENDED_NO_RATE
                    yield Hit(group.fields("vat_rate", "vat_rate"), refs)

        rule(
            f"{p}-09",
            refs=(f"{p}-09", *(EXTENDED_NO_RATE if code == "S" else ())),
            reads=TOTALS_READS,
            fr=f"{family.the_fr(start=True)} demande {family.rate_fr} : corrigez le taux.",
            en=f"{family.name_en.capitalize()} takes {family.rate_en}: fix the rate.",
            family="vat",
            category=code,
        )(tax_amount)

    if family.needs_reason is not None:
        needs = family.needs_reason

        def exemption_reason(ctx: Context) -> Iterator[Hit]:
            for group in ctx.groups_by_category.get(code, ()):
                breakdown = group.breakdown
                has_reason = bool(breakdown.exemption_reason or breakdown.exemption_reason_code)
                if has_reason != needs:
                    fields = group.fields("vat_exemption_reason", "vat_category")
                    yield Hit(fields or ("lines",))

        if needs:
            fr = (
                f"{family.the_fr(start=True)} doit être justifiée : indiquez sur la ligne le motif "
                "d'exonération (texte ou code VATEX), par exemple la mention légale."
            )
            en = (
                f"{family.name_en.capitalize()} must be justified: give the exemption reason "
                "on the line (text or VATEX code), e.g. the legal mention."
            )
        else:
            fr = f"{family.the_fr(start=True)} ne prend pas de motif d'exonération : retirez-le."
            en = f"{family.name_en.capitalize()} takes no exemption reason: remove it."
        rule(
            f"{p}-10",
            refs=(f"{p}-10",),
            reads=TOTALS_READS,
            fr=fr,
            en=en,
            family="vat",
            category=code,
            why="The reason is entered on lines; the writer carries the first one of each "
            "category and rate to the breakdown, where the official rule looks."
            if needs
            else "",
        )(exemption_reason)


def _category_total(ctx: Context, code: str) -> Decimal:
    """Σ line net amounts + charges − allowances of one category, all rates
    (what the -08 asserts recompute)."""
    total = sum(
        (
            amounts.net_amount
            for line, amounts in zip(ctx.source.lines, ctx.totals.lines, strict=True)
            if line.vat_category == code
        ),
        Decimal(0),
    )
    items, amounts = ctx.source.allowances_charges, ctx.totals.allowance_charge_amounts
    for item, amount in zip(items, amounts, strict=True):
        if (item.vat_category or "S") == code:
            total += amount if item.is_charge else -amount
    return total


def _standard_tax_ok(rate: Decimal | None, tax: Decimal, basis: Decimal) -> bool:
    """BR-S-09: tax within one unit of basis × rate, as the official test
    computes it (the product in xs:double, the tax side in xs:decimal)."""
    if rate is None:
        return False
    expected = double_round(abs(float(basis)) * float(rate)) / 100
    return float(abs(tax) - 1) < expected and float(abs(tax) + 1) > expected


for _family in FAMILIES:
    _declare(_family)
