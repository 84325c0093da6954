"""BR-FR rules on the parties: SIREN, SIRET, electronic addresses, private
identifiers, the BAR (business process) notes. Checked with the French option."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.rules.engine import Context, Hit, rule
from invoicing.rules.french.codes import (
    BAR_VALUES,
    FOURTEEN_DIGITS,
    NINE_DIGITS,
    SCHEME_ID_FORMAT,
    SELF_BILLED,
    bar_contents,
    global_ids,
    legal_id,
)
from invoicing.rules.xpath import (
    normalize_space,
)

FAMILY = "french"


# --- SIREN, SIRET, electronic addresses --------------------------------------------


def _siret_siren_ok(siret: str, siren: str | None) -> bool:
    return FOURTEEN_DIGITS.fullmatch(siret) is not None and siret[:9] == siren


@rule(
    "BR-FR-09",
    refs=("BR-FR-09_BT-29", "BR-FR-09_BT-46", "BR-FR-09_BT-60", "BR-FR-09_BT-71"),
    reads=(
        "seller.siret",
        "seller.siren",
        "seller.identifiers",
        "seller.legal_registration",
        "buyer.siret",
        "buyer.siren",
        "buyer.identifiers",
        "buyer.legal_registration",
        "payee",
        "delivery.location_id",
    ),
    french=True,
    fr="Le SIRET doit compter 14 chiffres et commencer par le SIREN.",
    en="The SIRET must have 14 digits and start with the SIREN.",
)
def siret_matches_siren(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    for side, official in (("seller", "BR-FR-09_BT-29"), ("buyer", "BR-FR-09_BT-46")):
        party = doc.seller if side == "seller" else doc.buyer
        sirets = [i.value for i in global_ids(party) if i.scheme == "0009"]
        if not sirets:
            continue
        legal = legal_id(party)
        siren = legal.value if legal is not None and legal.scheme == "0002" else None
        if not _siret_siren_ok(sirets[0], siren):
            yield Hit((f"{side}.siret", f"{side}.siren"), (official,))
    payee = doc.payee
    if payee and payee.identifier and payee.identifier.scheme == "0009":
        siret = payee.identifier.value
        registration = payee.legal_registration
        if registration and registration.scheme == "0002" and registration.value:
            siren = registration.value
        else:
            siren = siret[:9]
        if not _siret_siren_ok(siret, siren):
            yield Hit(("payee.identifier.value",), ("BR-FR-09_BT-60",))
    delivery = doc.delivery
    location = delivery.location_id if delivery else None
    if (
        delivery
        and location
        and location.scheme == "0009"
        and (FOURTEEN_DIGITS.fullmatch(location.value) is None)
    ):
        yield Hit(("delivery.location_id.value",), ("BR-FR-09_BT-71",))


@rule(
    "BR-FR-10_BT-30",
    refs=("BR-FR-10_BT-30",),
    reads=("seller.siren", "seller.legal_registration"),
    french=True,
    fr="Indiquez le SIREN du vendeur (9 chiffres).",
    en="Enter the seller's SIREN (9 digits).",
)
def seller_siren(ctx: Context) -> Iterator[Hit]:
    legal = legal_id(ctx.doc.seller)
    value = legal.value if legal is not None and legal.scheme == "0002" else None
    if value is None or NINE_DIGITS.fullmatch(normalize_space(value)) is None:
        yield Hit(("seller.siren",))


@rule(
    "BR-FR-11_BT-47",
    refs=("BR-FR-11_BT-47",),
    reads=("notes", "buyer.siren", "buyer.legal_registration"),
    french=True,
    fr="Facture entre entreprises (B2B) : indiquez le SIREN du client (9 chiffres).",
    en="Business-to-business invoice: enter the customer's SIREN (9 digits).",
)
def buyer_siren_b2b(ctx: Context) -> Iterator[Hit]:
    if "B2B" not in bar_contents(ctx):
        return
    legal = legal_id(ctx.doc.buyer)
    value = legal.value if legal is not None and legal.scheme == "0002" else ""
    if NINE_DIGITS.fullmatch(value) is None:
        yield Hit(("buyer.siren",))


@rule(
    "BR-FR-12_BT-49",
    refs=("BR-FR-12_BT-49",),
    reads=("buyer.electronic_address",),
    french=True,
    fr="Indiquez l'adresse électronique de facturation du client (en général son SIREN).",
    en="Enter the customer's electronic invoicing address (usually its SIREN).",
)
def buyer_electronic_address(ctx: Context) -> Iterator[Hit]:
    address = ctx.doc.buyer.electronic_address
    if address is None or not address.value:
        yield Hit(("buyer.electronic_address",))


@rule(
    "BR-FR-13_BT-34",
    refs=("BR-FR-13_BT-34",),
    reads=("seller.electronic_address",),
    french=True,
    fr="Indiquez votre adresse électronique de facturation (en général votre SIREN).",
    en="Enter your electronic invoicing address (usually your SIREN).",
)
def seller_electronic_address(ctx: Context) -> Iterator[Hit]:
    address = ctx.doc.seller.electronic_address
    if address is None or not address.value:
        yield Hit(("seller.electronic_address",))


@rule(
    "BR-FR-21",
    refs=("BR-FR-21_BT-49", "BR-FR-22_BT-34"),
    reads=(
        "notes",
        "type_code",
        "kind",
        "seller.electronic_address",
        "seller.siren",
        "seller.legal_registration",
        "buyer.electronic_address",
        "buyer.siren",
        "buyer.legal_registration",
    ),
    french=True,
    fr="Facture B2B : l'adresse électronique doit être de type 0225 et commencer par le SIREN.",
    en="B2B invoice: the electronic address must use scheme 0225 and start with the SIREN.",
)
def b2b_electronic_address(ctx: Context) -> Iterator[Hit]:
    if "B2B" not in bar_contents(ctx):
        return
    self_billed = ctx.type_code in SELF_BILLED
    side, official = ("seller", "BR-FR-22_BT-34") if self_billed else ("buyer", "BR-FR-21_BT-49")
    party = ctx.doc.seller if self_billed else ctx.doc.buyer
    legal = legal_id(party)
    siren = legal.value if legal is not None else ""
    address = party.electronic_address
    if address is None or address.scheme != "0225" or not address.value.startswith(siren):
        yield Hit((f"{side}.electronic_address",), (official,))


@rule(
    "BR-FR-20_BT-21",
    refs=("BR-FR-20_BT-21",),
    reads=("notes",),
    french=True,
    fr="Note BAR : la valeur doit être B2B, B2BINT, B2C, B2CINT, OUTOFSCOPE ou ARCHIVEONLY.",
    en="BAR note: the value must be B2B, B2BINT, B2C, B2CINT, OUTOFSCOPE or ARCHIVEONLY.",
)
def bar_value(ctx: Context) -> Iterator[Hit]:
    for index, note in enumerate(ctx.doc.notes):
        if note.subject == "BAR" and note.text not in BAR_VALUES:
            yield Hit((f"notes[{index}].text",))


@rule(
    "BR-FR-31_BT-21",
    refs=("BR-FR-31_BT-21",),
    reads=("notes",),
    french=True,
    fr="Une seule note BAR est permise.",
    en="Only one BAR note is allowed.",
)
def one_bar(ctx: Context) -> Iterator[Hit]:
    indices = [
        i
        for i, note in enumerate(ctx.doc.notes)
        if note.subject == "BAR" and normalize_space(note.text) in BAR_VALUES
    ]
    if len(indices) > 1:
        yield Hit(tuple(f"notes[{i}].text" for i in indices))


@rule(
    "BR-FR-23",
    refs=("BR-FR-23_BT-34", "BR-FR-23_BT-49", "BR-FR-25_BT-34", "BR-FR-25_BT-49"),
    reads=("seller.electronic_address", "buyer.electronic_address"),
    french=True,
    fr="L'adresse électronique ne peut contenir que lettres, chiffres et + - _ ., "
    "125 caractères au plus.",
    en="The electronic address may only hold letters, digits and + - _ ., 125 characters at most.",
)
def electronic_address_format(ctx: Context) -> Iterator[Hit]:
    for side, term in (("seller", "BT-34"), ("buyer", "BT-49")):
        address = (ctx.doc.seller if side == "seller" else ctx.doc.buyer).electronic_address
        if address is None:
            continue
        refs = []
        if address.scheme == "0225" and SCHEME_ID_FORMAT.fullmatch(address.value) is None:
            refs.append(f"BR-FR-23_{term}")
        if len(address.value) > 125:
            refs.append(f"BR-FR-25_{term}")
        if refs:
            yield Hit((f"{side}.electronic_address.value",), tuple(refs))


@rule(
    "BR-FR-24",
    refs=("BR-FR-24_BT-29", "BR-FR-24_BT-46", "BR-FR-26_BT-29", "BR-FR-26_BT-46"),
    reads=("seller.identifiers", "buyer.identifiers"),
    french=True,
    fr="L'identifiant privé (0224) ne peut contenir que lettres, chiffres et + - _ ., "
    "100 caractères au plus.",
    en="The private identifier (0224) may only hold letters, digits and + - _ ., "
    "100 characters at most.",
)
def private_identifier(ctx: Context) -> Iterator[Hit]:
    for side, term in (("seller", "BT-29"), ("buyer", "BT-46")):
        party = ctx.doc.seller if side == "seller" else ctx.doc.buyer
        for index, identifier in enumerate(party.identifiers):
            if identifier.scheme != "0224":
                continue
            refs = []
            if SCHEME_ID_FORMAT.fullmatch(identifier.value) is None:
                refs.append(f"BR-FR-24_{term}")
            if len(identifier.value) > 100:
                refs.append(f"BR-FR-26_{term}")
            if refs:
                yield Hit((f"{side}.identifiers[{index}].value",), tuple(refs))


@rule(
    "BR-FR-32",
    refs=("BR-FR-32-LEGALID", "BR-FR-32-GLOBALID"),
    reads=(
        "seller.siret",
        "seller.siren",
        "seller.identifiers",
        "seller.legal_registration",
        "buyer.siret",
        "buyer.siren",
        "buyer.identifiers",
        "buyer.legal_registration",
        "payee",
        "delivery.location_id",
        "lines.standard_item_id",
    ),
    french=True,
    fr="Un SIREN (0002, 0231) compte exactement 9 chiffres.",
    en="A SIREN (0002, 0231) has exactly 9 digits.",
)
def siren_digits(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc

    def bad(value: str) -> bool:
        return NINE_DIGITS.fullmatch(normalize_space(value)) is None

    for side in ("seller", "buyer"):
        party = doc.seller if side == "seller" else doc.buyer
        legal = legal_id(party)
        if legal is not None and legal.scheme == "0002" and bad(legal.value):
            path = f"{side}.siren" if party.siren else f"{side}.legal_registration.value"
            yield Hit((path,), ("BR-FR-32-LEGALID",))
        for index, identifier in enumerate(party.identifiers):
            if identifier.scheme in ("0002", "0231") and bad(identifier.value):
                yield Hit((f"{side}.identifiers[{index}].value",), ("BR-FR-32-GLOBALID",))
    payee = doc.payee
    if payee is not None:
        registration = payee.legal_registration
        if registration and registration.scheme == "0002" and bad(registration.value):
            yield Hit(("payee.legal_registration.value",), ("BR-FR-32-LEGALID",))
        payee_id = payee.identifier
        if payee_id and payee_id.scheme in ("0002", "0231") and bad(payee_id.value):
            yield Hit(("payee.identifier.value",), ("BR-FR-32-GLOBALID",))
    location = doc.delivery.location_id if doc.delivery else None
    if location and location.scheme in ("0002", "0231") and bad(location.value):
        yield Hit(("delivery.location_id.value",), ("BR-FR-32-GLOBALID",))
    for index, line in enumerate(doc.lines):
        item = line.standard_item_id
        if item and item.scheme in ("0002", "0231") and bad(item.value):
            yield Hit((f"lines[{index}].standard_item_id.value",), ("BR-FR-32-GLOBALID",))


@rule(
    "BR-FR-CO-10",
    refs=("BR-FR-CO-10_BT-29-2", "BR-FR-CO-10_BT-46-2"),
    reads=("seller.identifiers", "seller.siret", "buyer.identifiers", "buyer.siret"),
    french=True,
    fr="Chaque type d'identifiant ne peut figurer qu'une fois (par exemple un seul SIRET).",
    en="Each identifier scheme may appear only once (e.g. a single SIRET).",
)
def distinct_schemes(ctx: Context) -> Iterator[Hit]:
    for side, official in (("seller", "BR-FR-CO-10_BT-29-2"), ("buyer", "BR-FR-CO-10_BT-46-2")):
        party = ctx.doc.seller if side == "seller" else ctx.doc.buyer
        schemes = [i.scheme for i in global_ids(party)]
        if len(set(schemes)) != len(schemes):
            yield Hit((f"{side}.identifiers", f"{side}.siret"), (official,))


@rule(
    "BR-FR-CO-14",
    refs=("BR-FR-CO-14_BT-29-1", "BR-FR-CO-15_BT-29-1"),
    reads=("seller.identifiers", "notes", "tax_representative"),
    french=True,
    fr="Membre d'un assujetti unique (0231) : ajoutez une note TXD « MEMBRE_ASSUJETTI_UNIQUE » "
    "et le représentant fiscal avec le numéro de TVA de l'assujetti unique.",
    en="Member of a VAT group (0231): add a TXD note 'MEMBRE_ASSUJETTI_UNIQUE' and the tax "
    "representative with the group's VAT number.",
)
def vat_group_member(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if not any(i.scheme == "0231" for i in doc.seller.identifiers):
        return
    if not any(n.subject == "TXD" and n.text == "MEMBRE_ASSUJETTI_UNIQUE" for n in doc.notes):
        yield Hit(("notes",), ("BR-FR-CO-14_BT-29-1",))
    if not ctx.representative_va:
        yield Hit(("tax_representative.vat_id",), ("BR-FR-CO-15_BT-29-1",))
