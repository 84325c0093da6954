"""The VAT rules of another shape than the families': what cannot share an invoice
with a supply not subject to VAT (O), what an intra-community supply (K) must say,
and the rate of each breakdown."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule

FAMILY = "vat"


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
