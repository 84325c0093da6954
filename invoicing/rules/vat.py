"""The VAT category rules: BR-S, BR-Z, BR-E, BR-AE, BR-IC (K), BR-G, BR-O,
BR-AF (L, Canary Islands) and BR-AG (M, Ceuta and Melilla).

Each family has the same shape in EN 16931: -01 one breakdown, -02..04 the
seller (and buyer) VAT identifiers a line / allowance / charge of the
category needs, -05..07 the rate they may carry, -08 the breakdown's taxable
amount, -09 its tax amount, -10 its exemption reason. They are declared from
one table, so that each rule keeps its official id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule
from invoicing.rules.precision import double_round

_PARTIES = (
    "seller.vat_id",
    "seller.tax_registration",
    "buyer.vat_id",
    "buyer.siren",
    "buyer.legal_registration",
    "tax_representative.vat_id",
)

RateTest = Callable[[Decimal | None], bool]

# Factur-X EXTENDED recomputes each standard-rated breakdown per rate; with no
# rate, both of its tests fail along with BR-S-09.
_EXTENDED_NO_RATE = ("BR-FXEXT-S08b", "BR-FXEXT-S-09b")


def _positive(rate: Decimal | None) -> bool:
    return rate is not None and rate > 0


def _zero(rate: Decimal | None) -> bool:
    return rate is not None and rate == 0


def _not_negative(rate: Decimal | None) -> bool:
    return rate is not None and rate >= 0


def _absent(rate: Decimal | None) -> bool:
    return rate is None


def _seller_registered(ctx: Context) -> bool:
    return ctx.seller_va or ctx.seller_fc or ctx.representative_va


def _seller_va(ctx: Context) -> bool:
    return ctx.seller_va or ctx.representative_va


def _reverse_charge(ctx: Context) -> bool:
    return _seller_registered(ctx) and (ctx.buyer_va or ctx.buyer_legal_id)


def _intra_community(ctx: Context) -> bool:
    return _seller_va(ctx) and ctx.buyer_va


def _not_subject(ctx: Context) -> bool:
    return not ctx.seller_va and not ctx.representative_va and not ctx.buyer_va


@dataclass(frozen=True)
class Family:
    prefix: str  # "BR-S"
    category: str  # "S"
    name_fr: str
    name_en: str
    parties: Callable[[Context], bool]
    parties_fr: str
    parties_en: str
    rate: RateTest
    rate_fr: str
    rate_en: str
    exactly_one_breakdown: bool  # -01 in its Z/E/AE/K/G/O form
    basis: str  # -08: "computed" (cannot fail), "tolerance" (±1) or "exact"
    tax_zero: bool  # -09 requires a zero tax amount (S: rate × basis)
    needs_reason: bool | None  # -10: True needs one, False forbids one, None: no rule
    has_09: bool = True


_REGISTERED_FR = "un numéro de TVA (ou un identifiant fiscal) du vendeur ou de son représentant"
_REGISTERED_EN = "a VAT number (or tax registration) of the seller or its tax representative"

FAMILIES = (
    Family(
        "BR-S", "S", "TVA au taux normal", "standard-rated VAT",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _positive, "un taux supérieur à 0", "a rate above 0",
        exactly_one_breakdown=False, basis="computed", tax_zero=False, needs_reason=False,
    ),
    Family(
        "BR-Z", "Z", "taux zéro", "zero-rated VAT",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=False,
    ),
    Family(
        "BR-E", "E", "exonération de TVA", "VAT exemption",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-AE", "AE", "autoliquidation", "reverse charge",
        _reverse_charge,
        "un numéro de TVA du vendeur et un numéro de TVA ou SIREN du client",
        "a VAT number of the seller and a VAT number or SIREN of the customer",
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-IC", "K", "livraison intracommunautaire", "intra-community supply",
        _intra_community,
        "les numéros de TVA du vendeur et du client",
        "the VAT numbers of the seller and of the customer",
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-G", "G", "exportation hors UE", "export outside the EU",
        _seller_va,
        "un numéro de TVA du vendeur ou de son représentant",
        "a VAT number of the seller or its tax representative",
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-O", "O", "opération hors champ de la TVA", "supply not subject to VAT",
        _not_subject,
        "qu'aucun numéro de TVA (vendeur, représentant, client) ne soit indiqué",
        "that no VAT number (seller, representative, customer) is given",
        _absent, "aucun taux", "no rate",
        exactly_one_breakdown=True, basis="exact", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-AF", "L", "IGIC (îles Canaries)", "IGIC (Canary Islands)",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _positive, "un taux supérieur à 0", "a rate above 0",
        exactly_one_breakdown=False, basis="computed", tax_zero=False, needs_reason=False,
        has_09=False,
    ),
    Family(
        "BR-AG", "M", "IPSI (Ceuta et Melilla)", "IPSI (Ceuta and Melilla)",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _not_negative, "un taux positif ou nul", "a rate of 0 or more",
        exactly_one_breakdown=False, basis="computed", tax_zero=False, needs_reason=False,
        has_09=False,
    ),
)  # fmt: skip


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
        reads=("lines.vat_category", *_PARTIES),
        fr=f"Ligne {{line}} : la {family.name_fr} suppose {family.parties_fr}.",
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
            reads=("allowances_charges", *_PARTIES),
            fr=f"{what_fr} {{number}} : la {family.name_fr} suppose {family.parties_fr}.",
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
        fr=f"Ligne {{line}} : la {family.name_fr} demande {family.rate_fr}.",
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
            fr=f"{what_fr} {{number}} : la {family.name_fr} demande {family.rate_fr}.",
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
                        refs += _EXTENDED_NO_RATE
                    yield Hit(group.fields("vat_rate", "vat_rate"), refs)

        rule(
            f"{p}-09",
            refs=(f"{p}-09", *(_EXTENDED_NO_RATE if code == "S" else ())),
            reads=TOTALS_READS,
            fr=f"La {family.name_fr} demande {family.rate_fr} : corrigez le taux.",
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
                f"La {family.name_fr} doit être justifiée : indiquez sur la ligne le motif "
                "d'exonération (texte ou code VATEX), par exemple la mention légale."
            )
            en = (
                f"{family.name_en.capitalize()} must be justified: give the exemption reason "
                "on the line (text or VATEX code), e.g. the legal mention."
            )
        else:
            fr = f"La {family.name_fr} ne prend pas de motif d'exonération : retirez-le."
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


@rule(
    "BR-O-11",
    refs=("BR-O-11", "BR-O-12"),
    reads=("lines.vat_category", *TOTALS_READS),
    fr="Une facture hors champ de la TVA (catégorie O) ne peut pas contenir de ligne "
    "d'une autre catégorie : faites deux factures.",
    en="An invoice not subject to VAT (category O) cannot hold lines of another "
    "category: issue two invoices.",
)
def not_subject_lines(ctx: Context) -> Iterator[Hit]:
    groups = ctx.vat_groups
    if not any(g.category == "O" for g in groups):
        return
    fields = tuple(
        f"lines[{i}].vat_category"
        for i, line in enumerate(ctx.doc.lines)
        if line.vat_category.value != "O"
    )
    others = any(g.category != "O" for g in groups)
    if fields or others:
        yield Hit(
            fields
            or tuple(
                f"allowances_charges[{i}].vat_category"
                for g in groups
                if g.category != "O"
                for i in g.allowances
            )
        )


@rule(
    "BR-O-13",
    refs=("BR-O-13", "BR-O-14"),
    reads=TOTALS_READS,
    fr="Une facture hors champ de la TVA (catégorie O) ne peut pas contenir de remise "
    "ou de frais d'une autre catégorie.",
    en="An invoice not subject to VAT (category O) cannot hold allowances or charges of "
    "another category.",
)
def not_subject_allowances(ctx: Context) -> Iterator[Hit]:
    if "O" not in ctx.groups_by_category:
        return
    fields = tuple(
        f"allowances_charges[{i}].vat_category"
        for i, item in enumerate(ctx.doc.allowances_charges)
        if (item.vat_category or "S") != "O"
    )
    if fields:
        yield Hit(fields)


@rule(
    "BR-IC-11",
    refs=("BR-IC-11",),
    reads=("delivery.date", "invoicing_period", *TOTALS_READS),
    fr="Livraison intracommunautaire : indiquez la date de livraison ou la période de facturation.",
    en="Intra-community supply: give the delivery date or the invoicing period.",
)
def intra_community_date(ctx: Context) -> Iterator[Hit]:
    if "K" not in ctx.groups_by_category:
        return
    doc = ctx.doc
    period = doc.invoicing_period
    if (doc.delivery and doc.delivery.date) or (period and (period.start or period.end)):
        return
    yield Hit(("delivery.date", "invoicing_period.start"))


@rule(
    "BR-IC-12",
    refs=("BR-IC-12",),
    reads=("delivery", *TOTALS_READS),
    fr="Livraison intracommunautaire : indiquez l'adresse de livraison (au moins le pays).",
    en="Intra-community supply: give the delivery address (at least the country).",
)
def intra_community_country(ctx: Context) -> Iterator[Hit]:
    if "K" not in ctx.groups_by_category:
        return
    delivery = ctx.doc.delivery
    if delivery is None or delivery.address is None:
        yield Hit(("delivery.address.country",))


@rule(
    "BR-48",
    refs=("BR-48",),
    reads=TOTALS_READS,
    fr="Indiquez le taux de TVA.",
    en="Enter the VAT rate.",
    quotes=True,
)
def breakdown_rate(ctx: Context) -> Iterator[Hit]:
    for group in ctx.vat_groups:
        if group.breakdown.rate is None and group.category != "O":
            yield Hit(group.fields("vat_rate", "vat_rate"))
