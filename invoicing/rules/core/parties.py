"""EN 16931 core rules on the document's header and its parties: number, date,
names, addresses, at least one line, the tax representative."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.model import Address, Party
from invoicing.rules.engine import LINE_COUNT, Context, Hit, rule
from invoicing.rules.findings import Severity
from invoicing.rules.xpath import normalize_space

_AGREEMENT = "ApplicableHeaderTradeAgreement"

FAMILY = "core"


def _address_written(address: Address) -> bool:
    """The writer writes a party's PostalTradeAddress only when a field is set."""
    return any(
        (
            address.line1,
            address.line2,
            address.line3,
            address.city,
            address.postcode,
            address.country_subdivision,
            address.country,
        )
    )


@rule(
    "BR-02",
    refs=("BR-02",),
    reads=("number",),
    fr="Donnez un numéro à la facture.",
    en="Give the invoice a number.",
)
def invoice_number(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.number:
        yield Hit(("number",))


@rule(
    "BL-ISSUE-DATE",
    reads=("issue_date",),
    severity=Severity.WARNING,
    fr="Pas de date d'émission : la date du jour sera utilisée.",
    en="No issue date: today's date will be used.",
    why="The writer puts today's date, so BR-03 never fails.",
)
def issue_date(ctx: Context) -> Iterator[Hit]:
    if ctx.doc.issue_date is None:
        yield Hit(("issue_date",))


@rule(
    "BR-06",
    refs=("BR-06",),
    reads=("seller.name",),
    fr="Indiquez la raison sociale du vendeur (votre entreprise).",
    en="Enter the seller's (your business's) legal name.",
    quotes=True,
)
def seller_name(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.seller.name:
        yield Hit(("seller.name",))


@rule(
    "BR-07",
    refs=("BR-07",),
    reads=("buyer.name",),
    fr="Indiquez le nom du client.",
    en="Enter the customer's name.",
    quotes=True,
)
def buyer_name(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.buyer.name:
        yield Hit(("buyer.name",))


def _missing_address(party: Party, side: str) -> Iterator[Hit]:
    if not _address_written(party.address):
        yield Hit((f"{side}.address",))


@rule(
    "BR-08",
    refs=("BR-08", f"fx:{_AGREEMENT}/SellerTradeParty|count(ram:PostalTradeAddress)=1"),
    reads=("seller.address",),
    fr="Indiquez l'adresse du vendeur.",
    en="Enter the seller's address.",
)
def seller_address(ctx: Context) -> Iterator[Hit]:
    yield from _missing_address(ctx.doc.seller, "seller")


@rule(
    "BR-09",
    refs=("BR-09",),
    reads=("seller.address",),
    fr="Indiquez le pays du vendeur.",
    en="Enter the seller's country.",
)
def seller_country(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.seller.address.country:
        yield Hit(("seller.address.country",))


@rule(
    "BR-10",
    refs=("BR-10", f"fx:{_AGREEMENT}/BuyerTradeParty|count(ram:PostalTradeAddress)=1"),
    reads=("buyer.address",),
    fr="Indiquez l'adresse du client.",
    en="Enter the customer's address.",
)
def buyer_address(ctx: Context) -> Iterator[Hit]:
    yield from _missing_address(ctx.doc.buyer, "buyer")


@rule(
    "BR-11",
    refs=("BR-11",),
    reads=("buyer.address",),
    fr="Indiquez le pays du client.",
    en="Enter the customer's country.",
)
def buyer_country(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.buyer.address.country:
        yield Hit(("buyer.address.country",))


@rule(
    "BR-16",
    refs=(
        "BR-16",
        "fx:CrossIndustryInvoice/SupplyChainTradeTransaction|"
        "count(ram:IncludedSupplyChainTradeLineItem)>=1",
        "XSD",
    ),
    reads=(LINE_COUNT,),
    fr="Ajoutez au moins une ligne.",
    en="Add at least one line.",
    quotes=True,
)
def has_lines(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.lines:
        yield Hit(("lines",))


@rule(
    "BR-18",
    refs=("BR-18",),
    reads=("tax_representative.name",),
    fr="Indiquez le nom du représentant fiscal.",
    en="Enter the tax representative's name.",
)
def representative_name(ctx: Context) -> Iterator[Hit]:
    representative = ctx.doc.tax_representative
    if representative is not None and not normalize_space(representative.name):
        yield Hit(("tax_representative.name",))


@rule(
    "BR-20",
    refs=("BR-20",),
    reads=("tax_representative.address",),
    fr="Indiquez le pays du représentant fiscal.",
    en="Enter the tax representative's country.",
)
def representative_country(ctx: Context) -> Iterator[Hit]:
    representative = ctx.doc.tax_representative
    if representative is not None and not representative.address.country:
        yield Hit(("tax_representative.address.country",))


@rule(
    "BR-56",
    refs=(
        "BR-56",
        f"fx:{_AGREEMENT}/SellerTaxRepresentativeTradeParty|count(ram:SpecifiedTaxRegistration)=1",
    ),
    reads=("tax_representative.vat_id",),
    fr="Indiquez le numéro de TVA du représentant fiscal.",
    en="Enter the tax representative's VAT number.",
)
def representative_vat_id(ctx: Context) -> Iterator[Hit]:
    representative = ctx.doc.tax_representative
    if representative is not None and not representative.vat_id:
        yield Hit(("tax_representative.vat_id",))
