"""The API's body validation errors are said in the caller's language
(`Accept-Language`, q-values honoured, English otherwise), field by field, with
the same problem shape and codes whatever the language."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from invoicing.input_messages import MESSAGES, input_messages, value_error_texts
from invoicing.model import Document
from server.api.routes import OPERATIONS
from tests.server.documents.flows import invoice_body, issue
from tests.server.helpers import Partner, document_body

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}
ENGLISH = {"Accept-Language": "en-GB,fr;q=0.5"}


def _said(response: Any) -> tuple[dict[str, Any], dict[str, str]]:
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    return problem, {error["field"]: error["message"] for error in problem["errors"]}


def test_contact_errors_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()
    path = f"/companies/{company['id']}/contacts"
    body = {"kind": "robot", "name": "", "siren": "12", "emails": ["a@b.example"] * 11, "x": 1}
    french, fr = _said(partner_a.post(path, body, headers=FRENCH))
    english, en = _said(partner_a.post(path, body, headers=ENGLISH))
    assert fr == {
        "kind": "Cette valeur est inconnue : choisissez parmi 'person' ou 'company'.",
        "name": "Ce champ ne peut pas être vide.",
        "siren": "Ce code ou ce format n'est pas valide.",
        "emails": "Cette liste est trop longue : 10 éléments au plus.",
        "x": "Ce champ n'existe pas : retirez-le.",
    }
    assert en == {
        "kind": "This value is unknown: use one of 'person' or 'company'.",
        "name": "This field cannot be empty.",
        "siren": "This code or format is not valid.",
        "emails": "This list is too long: 10 items at most.",
        "x": "This field does not exist: remove it.",
    }
    assert french["detail"] == "5 champs sont à corriger."
    assert english["detail"] == "5 fields need a correction."
    # Only the human words change: the shape and the codes stay.
    without_words = ("detail", "errors")
    assert {k: v for k, v in french.items() if k not in without_words} == {
        k: v for k, v in english.items() if k not in without_words
    }
    assert english["code"] == "validation_failed"
    # No Accept-Language: English, and so for a language we do not speak.
    for headers in ({}, {"Accept-Language": "de-DE,de;q=0.9"}):
        _, said = _said(partner_a.post(path, body, headers=headers))
        assert said == en


def test_contact_patch_with_q_values(partner_a: Partner) -> None:
    company = partner_a.company()
    created = partner_a.post(
        f"/companies/{company['id']}/contacts", {"kind": "company", "name": "Dupont"}
    )
    contact = partner_a.ok(created, 201)
    path = f"/contacts/{contact['id']}"
    bad = {"emails": "a@b.example", "name": 12}
    _, fr = _said(partner_a.patch(path, bad, headers={"Accept-Language": "en;q=0.2, fr"}))
    assert fr == {"emails": "Entrez une liste.", "name": "Entrez du texte."}
    _, en = _said(partner_a.patch(path, bad, headers={"Accept-Language": "fr;q=0.2, en"}))
    assert en == {"emails": "Enter a list.", "name": "Enter text."}


def test_document_errors_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()
    body = document_body()
    body["lines"][1]["quantity"] = "1,5"
    body["lines"][0]["net_price"] = "abc"
    body["due_date"] = "31/12/2026"
    body["buyer"]["name"] = "Bad\x00name"
    path = f"/companies/{company['id']}/documents"
    french, fr = _said(partner_a.post(path, body, headers=FRENCH))
    assert fr == {
        "lines[1].quantity": "Écrivez les décimales avec un point : 1.5.",
        "lines[0].net_price": "Entrez un nombre.",
        "due_date": "Entrez une date (AAAA-MM-JJ).",
        "buyer.name": "Ce texte contient un caractère de contrôle invisible "
        "(U+0000, caractère n° 4) : supprimez-le.",
    }
    assert french["detail"] == "4 champs sont à corriger."
    _, en = _said(partner_a.post(path, body))
    assert en == {
        "lines[1].quantity": "Write decimals with a point: 1.5.",
        "lines[0].net_price": "Enter a number.",
        "due_date": "Enter a date (YYYY-MM-DD).",
        "buyer.name": "This text contains an invisible control character "
        "(U+0000, character 4): remove it.",
    }
    draft = partner_a.draft(company["id"])
    replaced, said = _said(
        partner_a.put(f"/documents/{draft['id']}", {"currency": 978}, headers=FRENCH)
    )
    assert said == {"currency": "Entrez du texte."}
    assert replaced["detail"] == "1 champ est à corriger."


def test_a_payment_body_and_a_payment_refusal_follow_the_same_q_values(
    partner_a: Partner,
) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("1", "100.00", "20")))
    path = f"/documents/{invoice['id']}/payments"
    prefers_french = {"Accept-Language": "en;q=0.3, fr;q=0.8"}
    _, invalid = _said(partner_a.post(path, {"amount": "cent"}, headers=prefers_french))
    assert invalid == {"amount": "Entrez un nombre.", "paid_on": "Ce champ est obligatoire."}
    too_much = {"amount": "500.00", "paid_on": "2026-03-02"}
    refused, said = _said(partner_a.post(path, too_much, headers=prefers_french))
    assert refused["code"] == "payment_refused"
    assert said == {"amount": "il reste au plus 120,00 à payer"}
    _, said = _said(partner_a.post(path, too_much, headers={"Accept-Language": "fr;q=0.1, en"}))
    assert said == {"amount": "at most 120.00 is left to pay"}


_WRONG = (None, "", "x" * 100_001, "1,5", "abc", "2026-02-31", -(10**40), 10**40, 1.5, [], {})
_WRONG += (True, "\x00", [{}], ["x"] * 1000, "1.123456789", "2026-01-01T10:00:00")


def _refusals(model: type[BaseModel]) -> list[dict[str, Any]]:
    found = []
    for name in model.model_fields:
        for wrong in _WRONG:
            try:
                model.model_validate({name: wrong, "surprise": 1})
            except ValidationError as error:
                found += error.errors(include_url=False)
    return found


@pytest.mark.parametrize(
    "model",
    sorted({op.body for op in OPERATIONS if op.body is not None} | {Document}, key=str),
    ids=lambda model: model.__name__,
)
def test_every_refusal_of_the_api_bodies_has_its_words(model: type[BaseModel]) -> None:
    for error in _refusals(model):
        if error["type"] == "value_error":
            english = error["msg"].removeprefix("Value error, ")
            assert english in value_error_texts() or "control character" in english, english
        else:
            assert error["type"] in MESSAGES, error
        fr, en = input_messages(error)
        assert fr != en
