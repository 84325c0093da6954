"""The inline "new customer" form: what it accepts, in the user's words.

A company's identifiers are checked as people type them wrong: SIREN and SIRET by
their check digits (La Poste's establishments by theirs), the French VAT number by its
key (derived from the SIREN), the email and a French postcode by their shape. A
person's form has no company identifiers: those typed are dropped. Every message is
written for people, in French or English; never a validator's pattern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from editor.backend import Contact, NewContact
from invoicing.field_errors import FieldError
from invoicing.model import Address
from invoicing.rules.identifiers import (
    email_ok,
    french_postcode_ok,
    french_vat_id,
    french_vat_id_ok,
    is_ascii_digits,
    siren_key_ok,
    siret_key_ok,
)
from invoicing.text import refuse_control_characters

MAX_TEXT = 200
_VAT_SHAPE = re.compile(r"[A-Z]{2}[A-Z0-9+*.]{2,13}")
_COUNTRY = re.compile(r"[A-Z]{2}")

_WORDS: dict[str, tuple[str, str]] = {
    "kind": ("Choisissez : entreprise ou particulier.", "Choose: company or person."),
    "name": ("Indiquez le nom du client.", "Enter the customer's name."),
    "control": (
        "Ce texte contient un caractère invisible non autorisé : retapez-le.",
        "This text holds a hidden character that is not allowed: type it again.",
    ),
    "siren_format": (
        "Un SIREN a 9 chiffres (espaces permis).",
        "A SIREN has 9 digits (spaces allowed).",
    ),
    "siren_key": (
        "Ce SIREN n'existe pas (sa clé de contrôle est fausse) : vérifiez les chiffres.",
        "This SIREN does not exist (its check digit is wrong): check the digits.",
    ),
    "siret_format": (
        "Un SIRET a 14 chiffres : le SIREN puis 5 chiffres.",
        "A SIRET has 14 digits: the SIREN then 5 digits.",
    ),
    "siret_key": (
        "Ce SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez les chiffres.",
        "This SIRET does not exist (its check digit is wrong): check the digits.",
    ),
    "siret_siren": (
        "Ce SIRET n'est pas un établissement de ce SIREN : ses 9 premiers chiffres "
        "doivent être le SIREN.",
        "This SIRET is not an establishment of this SIREN: its first 9 digits must be the SIREN.",
    ),
    "vat_format": (
        "Un numéro de TVA commence par le code du pays (FR, DE…) suivi de chiffres ou lettres.",
        "A VAT number starts with the country code (FR, DE…) followed by digits or letters.",
    ),
    "vat_key": (
        "Ce numéro de TVA français n'existe pas (sa clé ne correspond pas) : vérifiez-le.",
        "This French VAT number does not exist (its key does not match): check it.",
    ),
    "vat_siren": (
        "Ce numéro de TVA ne correspond pas au SIREN : pour ce SIREN, c'est {expected}.",
        "This VAT number does not match the SIREN: for this SIREN it is {expected}.",
    ),
    "email": (
        "Cette adresse email n'est pas complète (exemple : nom@domaine.fr).",
        "This email address is not complete (example: name@domain.com).",
    ),
    "postcode": (
        "Un code postal français a 5 chiffres.",
        "A French postcode has 5 digits.",
    ),
    "country": (
        "Indiquez le pays en 2 lettres (FR, BE, DE…).",
        "Enter the country as 2 letters (FR, BE, DE…).",
    ),
}


class ContactInvalid(Exception):
    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("contact invalid")
        self.errors = tuple(errors)


def _say(key: str, locale: str, **values: str) -> str:
    return _WORDS[key][0 if locale.startswith("fr") else 1].format(**values)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split())[:MAX_TEXT]


def _digits(value: str | None) -> str | None:
    return None if value is None else "".join(value.split())


def read_contact(data: Any, locale: str) -> NewContact:
    """The new contact in `data` (the form's values), or `ContactInvalid` with every
    field's problem."""
    if not isinstance(data, Mapping):
        raise ContactInvalid([FieldError("kind", _say("kind", locale))])
    errors: list[FieldError] = []
    kind = data.get("kind")
    if kind not in ("person", "company"):
        errors.append(FieldError("kind", _say("kind", locale)))
    company = kind == "company"
    name = _text(data, "name")
    if name is None:
        errors.append(FieldError("name", _say("name", locale)))
    siren = _digits(_text(data, "siren")) if company else None
    siret = _digits(_text(data, "siret")) if company else None
    vat_id = _digits(_text(data, "vat_id")) if company else None
    vat_id = vat_id.upper() if vat_id else None
    email = _text(data, "email")
    raw = data.get("address")
    address = raw if isinstance(raw, Mapping) else {}
    parts = {key: _text(address, key) for key in ("line1", "line2", "postcode", "city")}
    country = (_text(address, "country") or "").upper() or None

    for key, value in [
        ("name", name),
        ("email", email),
        *(("address." + k, v) for k, v in parts.items()),
    ]:
        if value is not None:
            try:
                refuse_control_characters(value)
            except ValueError:
                errors.append(FieldError(key, _say("control", locale)))
    if siren is not None:
        if not is_ascii_digits(siren, 9):
            errors.append(FieldError("siren", _say("siren_format", locale)))
        elif not siren_key_ok(siren):
            errors.append(FieldError("siren", _say("siren_key", locale)))
    if siret is not None:
        if not is_ascii_digits(siret, 14):
            errors.append(FieldError("siret", _say("siret_format", locale)))
        elif not siret_key_ok(siret):
            errors.append(FieldError("siret", _say("siret_key", locale)))
        elif siren is not None and not siret.startswith(siren):
            errors.append(FieldError("siret", _say("siret_siren", locale)))
    if vat_id is not None:
        if _VAT_SHAPE.fullmatch(vat_id) is None:
            errors.append(FieldError("vat_id", _say("vat_format", locale)))
        elif vat_id.startswith("FR"):
            expected = french_vat_id(siren) if siren and is_ascii_digits(siren, 9) else None
            if not french_vat_id_ok(vat_id):
                errors.append(FieldError("vat_id", _say("vat_key", locale)))
            elif expected and vat_id[4:] != siren:
                errors.append(FieldError("vat_id", _say("vat_siren", locale, expected=expected)))
    if email is not None and not email_ok(email):
        errors.append(FieldError("email", _say("email", locale)))
    if country is not None and _COUNTRY.fullmatch(country) is None:
        errors.append(FieldError("address.country", _say("country", locale)))
    postcode = parts["postcode"]
    if postcode is not None and country in (None, "FR") and not french_postcode_ok(postcode):
        errors.append(FieldError("address.postcode", _say("postcode", locale)))
    if errors or name is None:
        raise ContactInvalid(errors)
    return NewContact(
        kind="person" if kind == "person" else "company",
        name=name,
        siren=siren,
        siret=siret,
        vat_id=vat_id,
        email=email,
        address=Address(
            line1=parts["line1"],
            line2=parts["line2"],
            postcode=parts["postcode"],
            city=parts["city"],
            country=country,
        ),
    )


def same_customer(existing: Contact, new: NewContact) -> bool:
    """The same SIREN, or the same email (case aside): most likely the same customer."""
    if new.siren and existing.siren == new.siren:
        return True
    return bool(new.email and existing.email and existing.email.lower() == new.email.lower())


def lookups(new: NewContact) -> list[str]:
    """What to search the existing contacts by, to find a duplicate."""
    return [value for value in (new.siren, new.email) if value]
