"""EN 16931 conditions and cross-field rules (BR-CO-*, BR-53) that a document
of our model can break. The totals rules (BR-CO-10 .. BR-CO-16) cannot
fail: `invoicing.totals` computes every amount (see docs/rules.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from invoicing.profiles import Profile
from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule
from invoicing.rules.stylesheets import profile_stylesheet
from invoicing.rules.xpath import xpath_round

_HUNDRED = Decimal(100)


@rule(
    "BR-CO-03",
    refs=("BR-CO-03",),
    reads=("tax_point_date", "vat_point_date_code", *TOTALS_READS),
    fr="Donnez soit la date d'exigibilité de la TVA, soit son code (débits, livraison, "
    "paiement), pas les deux.",
    en="Give either the VAT point date or its code (invoice, delivery, payment date), not both.",
)
def tax_point_date_or_code(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if doc.tax_point_date and doc.vat_point_date_code and ctx.written_breakdown:
        yield Hit(("tax_point_date", "vat_point_date_code"))


@cache
def _vat_prefixes(profile: Profile) -> frozenset[str] | None:
    """The country prefixes BR-CO-09 accepts, read from the assert itself."""
    test = profile_stylesheet(profile).test_of("BR-CO-09")
    if not test:
        return None
    listed = re.search(r"contains\('\s*([A-Z0-9 ]+?)\s*'", test)
    return frozenset(listed.group(1).split()) if listed else None


@rule(
    "BR-CO-09",
    refs=("BR-CO-09",),
    reads=("seller.vat_id", "buyer.vat_id", "tax_representative.vat_id"),
    fr="Le numéro de TVA doit commencer par le code du pays (par exemple FR).",
    en="The VAT number must start with its country code (e.g. FR).",
    quotes=True,
)
def vat_id_prefix(ctx: Context) -> Iterator[Hit]:
    prefixes = _vat_prefixes(ctx.profile)
    if prefixes is None:
        return
    doc = ctx.doc
    candidates = [("seller.vat_id", doc.seller.vat_id), ("buyer.vat_id", doc.buyer.vat_id)]
    if doc.tax_representative is not None:
        candidates.append(("tax_representative.vat_id", doc.tax_representative.vat_id))
    for path, vat_id in candidates:
        if vat_id and vat_id[:2] not in prefixes:
            yield Hit((path,))


def _co17_ok(rate: Decimal | None, tax: Decimal, basis: Decimal) -> bool:
    if rate is None:
        return xpath_round(tax) == 0
    if xpath_round(rate) == 0:
        return xpath_round(tax) == 0
    expected = xpath_round(abs(basis) * (rate / _HUNDRED) * 100) / _HUNDRED
    return abs(tax) - 1 <= expected and abs(tax) + 1 >= expected


@rule(
    "BR-CO-17",
    refs=("BR-CO-17",),
    reads=TOTALS_READS,
    fr="Le taux de TVA {rate} % ne convient pas : utilisez un taux positif usuel "
    "(20, 10, 5,5, 2,1...).",
    en="The VAT rate {rate}% does not work: use a usual positive rate (20, 10, 5.5, 2.1...).",
    why="Mirrors the rounding of the official test exactly: it fails for negative "
    "rates and for rates below 0.5 % with a non-zero tax.",
)
def vat_amount_matches_rate(ctx: Context) -> Iterator[Hit]:
    for group in ctx.vat_groups:
        breakdown = group.breakdown
        if not _co17_ok(breakdown.rate, breakdown.tax_amount, breakdown.taxable_amount):
            yield Hit(
                group.fields("vat_rate", "vat_rate"),
                params={"rate": breakdown.rate},
            )


@rule(
    "BR-CO-18",
    refs=(
        "BR-CO-18",
        "fx:SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement|"
        "count(ram:ApplicableTradeTax)>=1",
    ),
    reads=TOTALS_READS,
    fr="La facture doit comporter au moins une ligne pour calculer la TVA.",
    en="The invoice needs at least one line to compute VAT.",
)
def has_vat_breakdown(ctx: Context) -> Iterator[Hit]:
    if not ctx.written_breakdown:
        yield Hit(("lines",))


@rule(
    "BR-CO-26",
    refs=("BR-CO-26",),
    reads=(
        "seller.identifiers",
        "seller.siret",
        "seller.siren",
        "seller.legal_registration",
        "seller.vat_id",
    ),
    fr="Identifiez le vendeur : SIREN, SIRET ou numéro de TVA.",
    en="Identify the seller: SIREN, SIRET or VAT number.",
)
def seller_identified(ctx: Context) -> Iterator[Hit]:
    seller = ctx.doc.seller
    if not (
        seller.identifiers
        or seller.siret
        or seller.siren
        or seller.legal_registration is not None
        or seller.vat_id
    ):
        yield Hit(("seller.siren", "seller.siret", "seller.vat_id"))


@rule(
    "BR-53",
    refs=("BR-53",),
    reads=("currency", "vat_accounting_currency", "vat_total_accounting_currency"),
    fr="Devise de comptabilité TVA : choisissez une devise différente de celle de la "
    "facture et indiquez le montant de TVA dans cette devise.",
    en="VAT accounting currency: pick a currency other than the invoice's and give the "
    "VAT total in it.",
)
def vat_accounting_total(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    accounting = doc.vat_accounting_currency
    if not accounting:
        return
    if accounting == doc.currency or doc.vat_total_accounting_currency is None:
        yield Hit(("vat_accounting_currency", "vat_total_accounting_currency"))


@rule(
    "BR-CO-25",
    refs=("BR-CO-25",),
    reads=("due_date", "payment_terms", *TOTALS_READS),
    fr="Un montant reste à payer : indiquez la date d'échéance ou les conditions de paiement.",
    en="An amount is due: give the due date or the payment terms.",
    why="Checked by the EXTENDED stylesheet only (Factur-X 1.09 EN 16931 does not).",
)
def due_date_or_terms(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if ctx.totals.amount_due > 0 and not doc.due_date and not doc.payment_terms:
        yield Hit(("due_date", "payment_terms"))


@rule(
    "BR-CO-16",
    refs=("BR-CO-16",),
    reads=TOTALS_READS,
    fr="Ce profil Factur-X ne transmet pas l'arrondi ou l'acompte déjà versé : retirez-le "
    "ou choisissez un profil plus complet (EN 16931).",
    en="This Factur-X profile does not carry the rounding or the prepaid amount: remove it "
    "or choose a fuller profile (EN 16931).",
    why="The amount due is computed, so it only fails when the profile's XML drops the "
    "rounding (BT-114) or prepaid amount (BT-113) it was computed with.",
)
def amount_due_as_written(ctx: Context) -> Iterator[Hit]:
    totals, written = ctx.totals, ctx.doc
    prepaid = totals.prepaid_amount if written.prepaid_amount is not None else 0
    rounding = totals.rounding_amount if written.rounding_amount is not None else 0
    if totals.amount_due != totals.tax_inclusive_total - prepaid + rounding:
        yield Hit(("rounding_amount", "prepaid_amount"))
