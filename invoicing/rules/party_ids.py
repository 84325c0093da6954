"""Identifier checks the official rules do not make but a user needs: check
digits of SIREN, SIRET, French VAT numbers and IBANs, BIC and e-mail syntax,
French postcodes. None of them has an official id."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.model import Address, Party
from invoicing.rules.engine import Context, Hit, rule
from invoicing.rules.findings import Severity
from invoicing.rules.identifiers import (
    bic_ok,
    compact,
    email_ok,
    french_postcode_ok,
    french_vat_id,
    french_vat_id_ok,
    iban_ok,
    is_ascii_digits,
    siren_key_ok,
    siret_key_ok,
)

_SIDES = ("seller", "buyer")


def _parties(ctx: Context) -> Iterator[tuple[str, Party]]:
    yield "seller", ctx.doc.seller
    yield "buyer", ctx.doc.buyer


@rule(
    "SIREN-FORMAT",
    reads=("seller.siren", "buyer.siren"),
    fr="Un SIREN compte exactement 9 chiffres, sans espace.",
    en="A SIREN has exactly 9 digits, without spaces.",
    quotes=True,
    why="With the French option, BR-FR-10 and BR-FR-32 say the same.",
)
def siren_format(ctx: Context) -> Iterator[Hit]:
    if ctx.french:
        return
    for side, party in _parties(ctx):
        if party.siren and not is_ascii_digits(party.siren, 9):
            yield Hit((f"{side}.siren",))


@rule(
    "SIREN-KEY",
    reads=("seller.siren", "buyer.siren"),
    fr="Ce SIREN n'existe pas (sa clé de contrôle est fausse) : vérifiez les chiffres.",
    en="This SIREN cannot exist (its check digit is wrong): check the digits.",
    quotes=True,
)
def siren_key(ctx: Context) -> Iterator[Hit]:
    for side, party in _parties(ctx):
        siren = party.siren
        if siren and is_ascii_digits(siren, 9) and not siren_key_ok(siren):
            yield Hit((f"{side}.siren",))


@rule(
    "SIRET-FORMAT",
    reads=("seller.siret", "seller.siren", "buyer.siret", "buyer.siren"),
    fr="Un SIRET compte 14 chiffres, sans espace, et commence par le SIREN.",
    en="A SIRET has 14 digits, without spaces, and starts with the SIREN.",
    quotes=True,
    why="With the French option, BR-FR-09 says the same.",
)
def siret_format(ctx: Context) -> Iterator[Hit]:
    if ctx.french:
        return
    for side, party in _parties(ctx):
        siret = party.siret
        if not siret:
            continue
        if not is_ascii_digits(siret, 14) or (party.siren and not siret.startswith(party.siren)):
            yield Hit((f"{side}.siret",))


@rule(
    "SIRET-KEY",
    reads=("seller.siret", "buyer.siret"),
    fr="Ce SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez les chiffres.",
    en="This SIRET cannot exist (its check digit is wrong): check the digits.",
    quotes=True,
)
def siret_key(ctx: Context) -> Iterator[Hit]:
    for side, party in _parties(ctx):
        siret = party.siret
        if siret and is_ascii_digits(siret, 14) and not siret_key_ok(siret):
            yield Hit((f"{side}.siret",))


@rule(
    "VAT-FR-KEY",
    reads=("seller.vat_id", "buyer.vat_id", "seller.siren", "buyer.siren"),
    fr="Ce numéro de TVA français est faux : il s'écrit FR, une clé de 2 chiffres et le "
    "SIREN ({expected} pour ce SIREN).",
    en="This French VAT number is wrong: it is FR, a 2-digit key and the SIREN "
    "({expected} for this SIREN).",
    quotes=True,
)
def french_vat_key(ctx: Context) -> Iterator[Hit]:
    for side, party in _parties(ctx):
        vat_id = compact(party.vat_id or "")
        if not vat_id.startswith("FR"):
            continue
        expected = french_vat_id(vat_id[4:]) if len(vat_id) == 13 else None
        if party.siren and is_ascii_digits(party.siren, 9):
            expected = french_vat_id(party.siren)
            wrong = vat_id != expected and not (
                french_vat_id_ok(vat_id) and vat_id[4:] == party.siren
            )
        else:
            wrong = not french_vat_id_ok(vat_id)
        if wrong:
            yield Hit((f"{side}.vat_id",), params={"expected": expected or "FR__#########"})


@rule(
    "IBAN-CHECK",
    reads=("payment_means.iban", "payment_means.debited_iban"),
    fr="Cet IBAN est faux (longueur ou clé de contrôle) : vérifiez-le.",
    en="This IBAN is wrong (length or check digits): check it.",
)
def iban_check(ctx: Context) -> Iterator[Hit]:
    for index, means in enumerate(ctx.doc.payment_means):
        for name in ("iban", "debited_iban"):
            value = getattr(means, name)
            if value and not iban_ok(value):
                yield Hit((f"payment_means[{index}].{name}",))


@rule(
    "BIC-FORMAT",
    reads=("payment_means.bic",),
    fr="Ce BIC est mal formé : 8 ou 11 caractères, par exemple AGRIFRPP ou AGRIFRPPXXX.",
    en="This BIC is malformed: 8 or 11 characters, e.g. AGRIFRPP or AGRIFRPPXXX.",
)
def bic_format(ctx: Context) -> Iterator[Hit]:
    for index, means in enumerate(ctx.doc.payment_means):
        if means.bic and not bic_ok(means.bic):
            yield Hit((f"payment_means[{index}].bic",))


@rule(
    "EMAIL-FORMAT",
    reads=(
        "seller.contact",
        "buyer.contact",
        "seller.electronic_address",
        "buyer.electronic_address",
        "recipient_email",
    ),
    fr="Cette adresse e-mail est mal formée.",
    en="This e-mail address is malformed.",
    quotes=True,
)
def email_format(ctx: Context) -> Iterator[Hit]:
    for side, party in _parties(ctx):
        if party.contact and party.contact.email and not email_ok(party.contact.email):
            yield Hit((f"{side}.contact.email",))
        address = party.electronic_address
        if address and address.scheme == "EM" and not email_ok(address.value):
            yield Hit((f"{side}.electronic_address.value",))
    recipient = ctx.doc.recipient_email
    if recipient and not email_ok(recipient):
        yield Hit(("recipient_email",))


def _addresses(ctx: Context) -> Iterator[tuple[str, Address]]:
    doc = ctx.doc
    yield "seller.address", doc.seller.address
    yield "buyer.address", doc.buyer.address
    if doc.delivery is not None and doc.delivery.address is not None:
        yield "delivery.address", doc.delivery.address
    if doc.tax_representative is not None:
        yield "tax_representative.address", doc.tax_representative.address


@rule(
    "POSTCODE-FR",
    reads=("seller.address", "buyer.address", "delivery", "tax_representative.address"),
    fr="Un code postal français compte 5 chiffres.",
    en="A French postcode has 5 digits.",
    quotes=True,
)
def french_postcode(ctx: Context) -> Iterator[Hit]:
    for path, address in _addresses(ctx):
        postcode = address.postcode
        if address.country == "FR" and postcode and not french_postcode_ok(postcode.strip()):
            yield Hit((f"{path}.postcode",))


@rule(
    "EADDR-SIREN",
    reads=("seller.electronic_address", "seller.siren", "buyer.electronic_address", "buyer.siren"),
    severity=Severity.WARNING,
    fr="Une adresse électronique de type 0225 commence normalement par le SIREN ({siren}).",
    en="An electronic address of scheme 0225 normally starts with the SIREN ({siren}).",
)
def electronic_address_siren(ctx: Context) -> Iterator[Hit]:
    for side, party in _parties(ctx):
        address = party.electronic_address
        siren = party.siren
        if address and address.scheme == "0225" and siren and not address.value.startswith(siren):
            yield Hit((f"{side}.electronic_address.value",), params={"siren": siren})
