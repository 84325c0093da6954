"""The inline customer form: identifiers checked by their keys, people's words in
French and English (never a pattern), a person asked no company identifiers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.backend import Contact
from editor.contact_form import ContactInvalid, read_contact, same_customer
from invoicing.model import Address


def errors_of(data: dict[str, Any], locale: str = "fr") -> dict[str, str]:
    try:
        read_contact(data, locale)
    except ContactInvalid as invalid:
        return {error.field: error.message for error in invalid.errors}
    return {}


def company(**fields: Any) -> dict[str, Any]:
    return {"kind": "company", "name": "Boulangerie Dupont", **fields}


def test_a_wrong_siren_check_digit_is_refused_in_plain_words() -> None:
    errors = errors_of(company(siren="552100555"))
    assert set(errors) == {"siren"}
    assert "clé de contrôle" in errors["siren"]
    english = errors_of(company(siren="552 100 555"), "en")["siren"]
    assert "check digit" in english
    assert errors_of(company(siren="552 100 554")) == {}


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_exactly_one_last_digit_makes_a_siren(prefix: str) -> None:
    accepted = [d for d in "0123456789" if not errors_of(company(siren=prefix + d))]
    assert len(accepted) == 1


def test_la_poste_establishments_follow_their_own_rule() -> None:
    assert errors_of(company(siren="356000000", siret="35600000000001")) == {}  # digits sum 15
    assert "siret" in errors_of(company(siren="356000000", siret="35600000000002"))
    assert "siret" in errors_of(company(siret="55210055400014"))  # Luhn: wrong
    assert errors_of(company(siren="552100554", siret="55210055400013")) == {}
    other = errors_of(company(siren="552100554", siret="73282932000074"))
    assert "SIREN" in other["siret"]


def test_the_french_vat_key_and_its_siren() -> None:
    assert errors_of(company(siren="552100554", vat_id="fr 96 552100554")) == {}
    assert "clé" in errors_of(company(vat_id="FR97552100554"))["vat_id"]
    mismatch = errors_of(company(siren="552100554", vat_id="FR40303265045"))["vat_id"]
    assert "FR96552100554" in mismatch
    assert errors_of(company(vat_id="DE123456789")) == {}
    assert "pays" in errors_of(company(vat_id="123"))["vat_id"]


def test_a_person_is_asked_no_company_identifiers() -> None:
    person = read_contact(
        {"kind": "person", "name": "Claire Martin", "siren": "garbage", "vat_id": "x"}, "fr"
    )
    assert (person.kind, person.siren, person.siret, person.vat_id) == (
        "person",
        None,
        None,
        None,
    )


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_messages_never_show_a_pattern(locale: str) -> None:
    errors = errors_of(
        {
            "kind": "company",
            "name": "",
            "email": "claire@",
            "siren": "12",
            "siret": "1",
            "vat_id": "??",
            "address": {"postcode": "6910", "country": "France"},
        },
        locale,
    )
    assert set(errors) == {"name", "email", "siren", "siret", "vat_id", "address.country"}
    for message in errors.values():
        assert "^" not in message and "pattern" not in message and "[" not in message


def test_a_duplicate_is_the_same_siren_or_the_same_email() -> None:
    new = read_contact(company(siren="552100554", email="Compta@Dupont.fr"), "fr")
    same_siren = Contact(1, "company", "Dupont SA", siren="552100554")
    same_email = Contact(2, "company", "Autre", email="compta@dupont.fr")
    other = Contact(3, "company", "Dupont", siren="732829320", address=Address(city="Lyon"))
    assert same_customer(same_siren, new) and same_customer(same_email, new)
    assert not same_customer(other, new)
