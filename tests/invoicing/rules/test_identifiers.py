"""Check digits and formats of SIREN, SIRET, French VAT numbers, IBAN, BIC..."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from invoicing.rules.identifiers import (
    bic_ok,
    email_ok,
    french_postcode_ok,
    french_vat_id,
    french_vat_id_ok,
    iban_ok,
    luhn_ok,
    siren_key_ok,
    siret_key_ok,
)
from tests.invoicing.rules.valid_documents import sirens


def test_known_identifiers() -> None:
    assert siren_key_ok("732829320")
    assert siret_key_ok("73282932000074")
    assert french_vat_id("732829320") == "FR44732829320"
    assert french_vat_id("404833048") == "FR83404833048"
    assert not siren_key_ok("732829321")
    assert not siren_key_ok("73282932")
    assert not siren_key_ok("73282932O")  # a letter O, not a zero
    assert not siret_key_ok("73282932000075")


def test_la_poste_establishments_use_the_sum_of_digits() -> None:
    assert siren_key_ok("356000000")
    # Not Luhn-valid, but La Poste numbers its establishments by digit sum.
    assert not luhn_ok("35600000049837")
    assert siret_key_ok("35600000049837")
    assert not siret_key_ok("35600000049838")
    # The same digits under another SIREN are refused.
    assert not siret_key_ok("73282932049837")


@given(sirens(), st.integers(0, 8), st.integers(1, 9))
def test_one_changed_digit_breaks_the_siren(siren: str, position: int, shift: int) -> None:
    assert siren_key_ok(siren)
    digit = (int(siren[position]) + shift) % 10
    changed = siren[:position] + str(digit) + siren[position + 1 :]
    assert not siren_key_ok(changed)


@given(sirens())
def test_french_vat_number_is_derived_from_the_siren(siren: str) -> None:
    vat_id = french_vat_id(siren)
    assert vat_id is not None and french_vat_id_ok(vat_id)
    key = int(vat_id[2:4])
    wrong = f"FR{(key + 1) % 97:02d}{siren}"
    assert not french_vat_id_ok(wrong)


def test_french_vat_number_shapes() -> None:
    assert french_vat_id_ok("FR44732829320")
    assert not french_vat_id_ok("FR45732829320")
    assert not french_vat_id_ok("FR4473282932")
    assert french_vat_id_ok("FRAB732829320")  # letter keys are not checked
    assert not french_vat_id_ok("BE44732829320")


def test_iban() -> None:
    assert iban_ok("FR7630006000011234567890189")
    assert iban_ok("fr76 3000 6000 0112 3456 7890 189")
    assert iban_ok("DE89370400440532013000")
    assert not iban_ok("FR7630006000011234567890188")  # check digits
    assert not iban_ok("FR763000600001123456789018")  # length for FR
    assert not iban_ok("")
    assert not iban_ok("not an iban at all")


def test_bic_email_postcode() -> None:
    assert bic_ok("AGRIFRPP") and bic_ok("AGRIFRPPXXX")
    assert not bic_ok("AGRIFRP") and not bic_ok("agrifrpp") and not bic_ok("AGRI FRPP")
    assert email_ok("compta@atelier-blanc.example")
    assert not email_ok("compta@") and not email_ok("a b@c.fr") and not email_ok("a@b")
    assert french_postcode_ok("69002") and french_postcode_ok("97400")
    assert not french_postcode_ok("6900") and not french_postcode_ok("00000")
    assert not french_postcode_ok("69 002")


@given(st.text(max_size=40))
def test_identifier_checks_never_raise(value: str) -> None:
    for check in (siren_key_ok, siret_key_ok, french_vat_id_ok, iban_ok, bic_ok, email_ok):
        assert check(value) in (True, False)
    assert french_vat_id(value) is None or len(value) == 9
