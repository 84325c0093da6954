"""EN 16931 core rules (BR-01 .. BR-65) and the CII syntax rules (CII-SR-*)
that can fail for a document of our model, as the CII writer writes it."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.model import Address, Party
from invoicing.rules.engine import LINE_COUNT, Context, Hit, rule
from invoicing.rules.findings import Severity
from invoicing.rules.xpath import normalize_space

_AGREEMENT = "ApplicableHeaderTradeAgreement"


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


@rule(
    "BR-25",
    refs=("BR-25",),
    reads=("lines.name",),
    fr="Ligne {line} : indiquez la désignation de l'article ou de la prestation.",
    en="Line {line}: enter the name of the item or service.",
    quotes=True,
)
def line_name(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if not line.name:
            yield Hit((f"lines[{index}].name",), params={"line": index + 1})


@rule(
    "BR-27",
    refs=("BR-27",),
    reads=("lines.net_price",),
    fr="Ligne {line} : le prix unitaire ne peut pas être négatif ; "
    "pour une remise, utilisez une remise ou une quantité négative.",
    en="Line {line}: the unit price cannot be negative; "
    "for a discount use an allowance or a negative quantity.",
    quotes=True,
)
def net_price_not_negative(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if line.net_price is not None and line.net_price < 0:
            yield Hit((f"lines[{index}].net_price",), params={"line": index + 1})


@rule(
    "BR-28",
    refs=("BR-28",),
    reads=("lines.gross_price",),
    fr="Ligne {line} : le prix brut ne peut pas être négatif.",
    en="Line {line}: the gross price cannot be negative.",
    quotes=True,
)
def gross_price_not_negative(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if line.gross_price is not None and line.gross_price < 0:
            yield Hit((f"lines[{index}].gross_price",), params={"line": index + 1})


@rule(
    "BR-29",
    refs=("BR-29",),
    reads=("invoicing_period",),
    fr="La fin de la période de facturation précède son début.",
    en="The invoicing period ends before it starts.",
)
def invoicing_period_order(ctx: Context) -> Iterator[Hit]:
    period = ctx.doc.invoicing_period
    if period and period.start and period.end and period.end < period.start:
        yield Hit(("invoicing_period.start", "invoicing_period.end"))


@rule(
    "BR-30",
    refs=("BR-30",),
    reads=("lines.period",),
    fr="Ligne {line} : la fin de la période précède son début.",
    en="Line {line}: the period ends before it starts.",
)
def line_period_order(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        period = line.period
        if period and period.start and period.end and period.end < period.start:
            yield Hit(
                (f"lines[{index}].period.start", f"lines[{index}].period.end"),
                params={"line": index + 1},
            )


@rule(
    "BR-33",
    refs=("BR-33", "BR-CO-21"),
    reads=("allowances_charges",),
    fr="Remise {number} : indiquez son motif (texte ou code).",
    en="Allowance {number}: give its reason (text or code).",
)
def allowance_reason(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.allowances_charges):
        if not item.is_charge and not item.reason and not item.reason_code:
            yield Hit((f"allowances_charges[{index}].reason",), params={"number": index + 1})


@rule(
    "BR-38",
    refs=("BR-38", "BR-CO-22"),
    reads=("allowances_charges",),
    fr="Frais {number} : indiquez leur motif (texte ou code).",
    en="Charge {number}: give its reason (text or code).",
)
def charge_reason(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.allowances_charges):
        if item.is_charge and not item.reason and not item.reason_code:
            yield Hit((f"allowances_charges[{index}].reason",), params={"number": index + 1})


@rule(
    "BR-42",
    refs=("BR-42", "BR-CO-23"),
    reads=("lines.allowances_charges",),
    fr="Ligne {line} : indiquez le motif de la remise (texte ou code).",
    en="Line {line}: give the reason of the allowance (text or code).",
)
def line_allowance_reason(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        for position, item in enumerate(line.allowances_charges):
            if not item.is_charge and not item.reason and not item.reason_code:
                yield Hit(
                    (f"lines[{index}].allowances_charges[{position}].reason",),
                    params={"line": index + 1},
                )


@rule(
    "BR-44",
    refs=("BR-44", "BR-CO-24"),
    reads=("lines.allowances_charges",),
    fr="Ligne {line} : indiquez le motif des frais (texte ou code).",
    en="Line {line}: give the reason of the charge (text or code).",
)
def line_charge_reason(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        for position, item in enumerate(line.allowances_charges):
            if item.is_charge and not item.reason and not item.reason_code:
                yield Hit(
                    (f"lines[{index}].allowances_charges[{position}].reason",),
                    params={"line": index + 1},
                )


_TRANSFER = ("30", "58")


@rule(
    "BR-50",
    refs=("BR-50", "BR-61"),
    reads=("payment_means",),
    fr="Virement : indiquez l'IBAN du compte à créditer.",
    en="Credit transfer: enter the IBAN of the account to be paid.",
)
def transfer_account_id(ctx: Context) -> Iterator[Hit]:
    for index, means in enumerate(ctx.doc.payment_means):
        if means.code not in _TRANSFER or not (means.iban or means.account_name):
            continue
        refs: list[str] = []
        if not normalize_space(means.iban or ""):
            refs.append("BR-50")
        if not means.iban:
            refs.append("BR-61")
        if refs:
            yield Hit((f"payment_means[{index}].iban",), tuple(refs))


@rule(
    "CII-SR-470",
    refs=("CII-SR-470", "BR-CO-27"),  # Factur-X BASIC names the same assert BR-CO-27
    reads=("payment_means",),
    fr="Virement : indiquez l'IBAN du compte à créditer.",
    en="Credit transfer: enter the IBAN of the account to be paid.",
)
def transfer_needs_account(ctx: Context) -> Iterator[Hit]:
    for index, means in enumerate(ctx.doc.payment_means):
        if normalize_space(means.code) in _TRANSFER and not means.iban:
            yield Hit((f"payment_means[{index}].iban",))


@rule(
    "CII-SR-467",
    refs=("CII-SR-467",),
    reads=("payment_means.code",),
    fr="Tous les moyens de paiement doivent avoir le même code ; gardez-en un seul type.",
    en="All payment means must use the same code; keep a single kind.",
)
def one_payment_means_code(ctx: Context) -> Iterator[Hit]:
    codes = [normalize_space(m.code) for m in ctx.doc.payment_means]
    if codes and any(code != codes[0] for code in codes):
        yield Hit(tuple(f"payment_means[{i}].code" for i in range(len(codes))))


@rule(
    "CII-SR-468",
    refs=("CII-SR-468",),
    reads=("payment_means.text",),
    fr="Les libellés des moyens de paiement doivent être identiques.",
    en="The payment means texts must be identical.",
)
def one_payment_means_text(ctx: Context) -> Iterator[Hit]:
    texts = [(i, normalize_space(m.text)) for i, m in enumerate(ctx.doc.payment_means) if m.text]
    if texts and any(text != texts[0][1] for _, text in texts):
        yield Hit(tuple(f"payment_means[{i}].text" for i, _ in texts))


@rule(
    "BR-51",
    refs=("BR-51",),
    reads=("payment_means.card_pan",),
    fr="Carte : n'indiquez que les derniers chiffres du numéro (10 caractères au plus).",
    en="Card: give only the last digits of the number (10 characters at most).",
)
def card_last_digits(ctx: Context) -> Iterator[Hit]:
    for index, means in enumerate(ctx.doc.payment_means):
        if means.card_pan and len(normalize_space(means.card_pan)) > 10:
            yield Hit((f"payment_means[{index}].card_pan",))


@rule(
    "BR-52",
    refs=("BR-52",),
    reads=(
        "supporting_documents.id",
        "invoiced_object",
        "lines.object_identifier",
        "other_references.id",
    ),
    fr="Chaque document référencé doit avoir une référence.",
    en="Every referenced document needs a reference.",
)
def referenced_document_id(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    for index, supporting in enumerate(doc.supporting_documents):
        if supporting.id == "":
            yield Hit((f"supporting_documents[{index}].id",))
    if doc.invoiced_object is not None and doc.invoiced_object.value == "":
        yield Hit(("invoiced_object.value",))
    for index, line in enumerate(doc.lines):
        if line.object_identifier is not None and line.object_identifier.value == "":
            yield Hit((f"lines[{index}].object_identifier.value",))
    for index, other in enumerate(doc.other_references):
        if other.id == "":
            yield Hit((f"other_references[{index}].id",))


@rule(
    "BR-55",
    refs=("BR-55",),
    reads=("preceding_invoices.number",),
    fr="Indiquez le numéro de la facture antérieure.",
    en="Enter the number of the preceding invoice.",
)
def preceding_invoice_number(ctx: Context) -> Iterator[Hit]:
    for index, preceding in enumerate(ctx.doc.preceding_invoices):
        if preceding.number == "":
            yield Hit((f"preceding_invoices[{index}].number",))


@rule(
    "BR-57",
    refs=("BR-57",),
    reads=("delivery",),
    fr="Indiquez le pays de l'adresse de livraison.",
    en="Enter the country of the delivery address.",
)
def delivery_country(ctx: Context) -> Iterator[Hit]:
    delivery = ctx.doc.delivery
    if delivery is not None and delivery.address is not None and not delivery.address.country:
        yield Hit(("delivery.address.country",))


@rule(
    "BR-64",
    refs=(
        "BR-64",
        "fx:SpecifiedTradeProduct/GlobalID|@schemeID",
    ),
    reads=("lines.standard_item_id",),
    fr="Ligne {line} : précisez le type d'identifiant de l'article "
    "(par exemple 0160 pour un GTIN).",
    en="Line {line}: say which kind of item identifier this is (e.g. 0160 for a GTIN).",
)
def item_id_scheme(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if line.standard_item_id is not None and not line.standard_item_id.scheme:
            yield Hit((f"lines[{index}].standard_item_id.scheme",), params={"line": index + 1})
