"""Check digits and formats of the identifiers a French invoice carries.

Pure functions on strings; they never raise. Official schematrons check none
of these beyond length and digits (BR-FR-09/10/32), so these catch typos
that would otherwise only surface when a platform rejects the invoice.
"""

from __future__ import annotations

import re

LA_POSTE_SIREN = "356000000"

_DIGITS = re.compile(r"[0-9]+")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,}"
)
_FR_POSTCODE = re.compile(r"[0-9]{5}")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")

# Length of the IBAN per country (ISO 13616 registry), for the countries a
# French small business meets most; other countries get the generic check.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip


def is_ascii_digits(value: str, length: int) -> bool:
    return len(value) == length and _DIGITS.fullmatch(value) is not None


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check over ASCII digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def siren_key_ok(siren: str) -> bool:
    """A SIREN: 9 ASCII digits passing the Luhn check."""
    return is_ascii_digits(siren, 9) and luhn_ok(siren)


def siret_key_ok(siret: str) -> bool:
    """A SIRET: 14 ASCII digits passing the Luhn check. La Poste's
    establishments (SIREN 356000000) are numbered differently: the sum of
    their digits is a multiple of 5."""
    if not is_ascii_digits(siret, 14):
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return sum(ord(c) - 48 for c in siret) % 5 == 0 or luhn_ok(siret)
    return luhn_ok(siret)


def french_vat_id(siren: str) -> str | None:
    """The FR VAT number derived from a SIREN (key = (12 + 3 × (SIREN mod 97)) mod 97)."""
    if not is_ascii_digits(siren, 9):
        return None
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def french_vat_id_ok(vat_id: str) -> bool:
    """FR + 2-character key + SIREN. A numeric key must match the SIREN; a key
    with letters (numbers allotted to some companies) is accepted as is."""
    if len(vat_id) != 13 or not vat_id.startswith("FR"):
        return False
    key, siren = vat_id[2:4], vat_id[4:]
    if not is_ascii_digits(siren, 9):
        return False
    if is_ascii_digits(key, 2):
        return french_vat_id(siren) == vat_id
    return re.fullmatch(r"[A-HJ-NP-Z0-9]{2}", key) is not None


def compact(value: str) -> str:
    """Without the spaces people type inside IBANs and BICs."""
    return "".join(value.split()).upper()


def iban_ok(iban: str) -> bool:
    """ISO 13616: shape, length for the country when known, and mod 97 = 1."""
    value = compact(iban)
    if _IBAN_SHAPE.fullmatch(value) is None:
        return False
    expected = IBAN_LENGTHS.get(value[:2])
    if expected is not None and len(value) != expected:
        return False
    rearranged = value[4:] + value[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def bic_ok(bic: str) -> bool:
    """ISO 9362: 4 letters (bank), 2 letters (country), 2 characters
    (location), optionally 3 characters (branch)."""
    return _BIC.fullmatch(bic) is not None


def email_ok(email: str) -> bool:
    return len(email) <= 254 and _EMAIL.fullmatch(email) is not None


def french_postcode_ok(postcode: str) -> bool:
    return _FR_POSTCODE.fullmatch(postcode) is not None and postcode != "00000"
