"""EN 16931 core rules on payment (transfer accounts, payment means, cards), the
documents referred to, delivery and item identifiers."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.rules.engine import Context, Hit, rule
from invoicing.rules.xpath import normalize_space

_AGREEMENT = "ApplicableHeaderTradeAgreement"

FAMILY = "core"


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
