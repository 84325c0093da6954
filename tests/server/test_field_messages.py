"""The API's own field messages (a value its model accepts but the service cannot
use) in the caller's language: the same code, title and field paths in French and
in English, one sentence per field, never the value sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from server.field_messages import FIELD_MESSAGES, field_message
from tests.server.helpers import Partner, document_body

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}
ENGLISH = {"Accept-Language": "en-GB,fr;q=0.5"}
URL = "https://hooks.example.com/blanche"

Send = Callable[[dict[str, str]], httpx.Response]


def _both(send: Send, status: int = 422) -> tuple[dict[str, Any], dict[str, Any]]:
    """The problem in French, then in English: only the words differ."""
    french, english = send(FRENCH), send(ENGLISH)
    for response in (french, english):
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
    fr, en = french.json(), english.json()
    for key in ("type", "title", "status", "code"):
        assert fr[key] == en[key]
    assert [e["field"] for e in fr.get("errors", [])] == [e["field"] for e in en.get("errors", [])]
    return fr, en


def _errors(problem: dict[str, Any]) -> list[tuple[str, str]]:
    return [(error["field"], error["message"]) for error in problem["errors"]]


def _session_body(partner: Partner, **overrides: Any) -> dict[str, Any]:
    company = partner.company()
    user = partner.user(company["id"])
    return {
        "company_id": company["id"],
        "user_id": user["id"],
        "document": {"new": "invoice"},
        "parent_origin": "https://app.a.example",
        **overrides,
    }


def test_editor_session_refusals(partner_a: Partner) -> None:
    body = _session_body(partner_a)
    other = partner_a.company("Other")
    other_user = partner_a.user(other["id"])["id"]
    fr, en = _both(
        lambda h: partner_a.post("/editor-sessions", {**body, "user_id": other_user}, headers=h)
    )
    assert _errors(fr) == [
        (
            "user_id",
            "Cet utilisateur appartient à une autre entreprise : choisissez-en un de celle-ci.",
        )
    ]
    assert _errors(en) == [
        ("user_id", "This user belongs to another company: choose one of this company's users.")
    ]
    assert (fr["detail"], en["detail"]) == (fr["errors"][0]["message"], en["errors"][0]["message"])

    required = {**body, "options": {"hidden_buttons": ["duplicate", "finalize"]}}
    fr, en = _both(lambda h: partner_a.post("/editor-sessions", required, headers=h))
    assert _errors(fr)[0][0] == "options.hidden_buttons[1]"
    assert _errors(fr)[0][1].startswith("Ce bouton ne peut pas être masqué : ")
    assert _errors(en)[0][1].startswith("This button cannot be hidden: ")

    marker = "unknown-\x1b[31m-ECHO"
    unknown = {**body, "options": {"hidden_buttons": [marker]}}
    fr, en = _both(lambda h: partner_a.post("/editor-sessions", unknown, headers=h))
    assert _errors(fr)[0][0] == "options.hidden_buttons[0]"
    assert _errors(fr)[0][1].startswith("Ce bouton est inconnu : choisissez parmi ")
    assert _errors(en)[0][1].startswith("This button is unknown: use one of ")
    assert "ECHO" not in str(fr) + str(en)

    evil = {**body, "parent_origin": "https://evil.example"}
    fr, en = _both(lambda h: partner_a.post("/editor-sessions", evil, headers=h))
    assert fr["code"] == "origin_not_allowed" and fr["title"] == "Parent origin not registered"
    assert _errors(fr) == [
        ("parent_origin", "Cette origine n'est pas parmi celles enregistrées pour le partenaire.")
    ]
    assert _errors(en) == [
        ("parent_origin", "This origin is not one of the partner's registered origins.")
    ]
    assert "evil" not in str(fr) + str(en)


def test_document_refusals(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    other = partner_a.company("Other")["id"]
    numbered = {**document_body(), "number": "F-2026-0001"}
    path = f"/companies/{company}/documents"
    fr, en = _both(lambda h: partner_a.post(path, numbered, headers=h))
    assert _errors(fr) == [
        ("number", "Le numéro est attribué à la finalisation : laissez ce champ vide.")
    ]
    assert _errors(en) == [
        ("number", "The number is given at finalization: leave this field empty.")
    ]

    stranger = partner_a.user(other)["id"]
    fr, en = _both(
        lambda h: partner_a.post(path, document_body(), params={"user_id": stranger}, headers=h)
    )
    assert _errors(fr) == [
        ("user_id", "Aucun utilisateur de cette entreprise n'a cet identifiant.")
    ]
    assert _errors(en) == [("user_id", "No user of this company has this id.")]

    draft = partner_a.draft(company)
    quote_body = document_body("quote")
    fr, en = _both(lambda h: partner_a.put(f"/documents/{draft['id']}", quote_body, headers=h))
    assert _errors(fr)[0] == (
        "kind",
        "Le type d'un brouillon ne change pas : pour facturer un devis, utilisez POST …/convert.",
    )
    assert _errors(en)[0] == (
        "kind",
        "A draft keeps its kind: to invoice a quote, use POST …/convert.",
    )

    deposit = {"quote_id": draft["id"], "percent": "30"}
    fr, en = _both(
        lambda h: partner_a.post(f"/companies/{company}/deposit-invoices", deposit, headers=h)
    )
    assert _errors(fr) == [("quote_id", "Aucun devis de cette entreprise n'a cet identifiant.")]
    assert _errors(en) == [("quote_id", "No quote of this company has this id.")]


def test_webhook_refusals(partner_a: Partner, partner_b: Partner) -> None:
    mine = partner_a.company()["id"]
    theirs = partner_b.company()["id"]
    listed = {"url": URL, "events": ["*"], "company_ids": [mine, theirs, 2**40]}
    fr, en = _both(lambda h: partner_a.post("/webhooks", listed, headers=h))
    assert (
        fr["detail"] == "2 champs sont à corriger."
        and en["detail"] == "2 fields need a correction."
    )
    not_yours_fr = (
        "Cette entreprise n'est pas l'une des vôtres : "
        "donnez l'identifiant d'une de vos entreprises."
    )
    not_yours_en = "This company is not one of yours: give the id of one of your companies."
    assert _errors(fr) == [("company_ids[1]", not_yours_fr), ("company_ids[2]", not_yours_fr)]
    assert _errors(en) == [("company_ids[1]", not_yours_en), ("company_ids[2]", not_yours_en)]
    assert str(2**40) not in str(fr) + str(en)

    none = {"url": URL, "events": ["*"], "company_ids": []}
    fr, en = _both(lambda h: partner_a.post("/webhooks", none, headers=h))
    assert _errors(fr) == [
        (
            "company_ids",
            "Indiquez au moins une entreprise, ou omettez ce champ pour les suivre toutes.",
        )
    ]
    assert _errors(en) == [
        ("company_ids", "List at least one company, or leave this field out to follow them all.")
    ]

    hook = partner_a.ok(partner_a.post("/webhooks", {"url": URL, "events": ["*"]}), 201)
    replay = f"/webhooks/{hook['id']}/replay"
    cases = [
        (
            {"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
            ("to", "`to` doit être après `from`."),
            ("to", "`to` must be after `from`."),
        ),
        (
            {"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"},
            ("to", "Rejouez au plus 31 jours par requête."),
            ("to", "Replay at most 31 days per request."),
        ),
        (
            {"from": "2026-01-01T00:00:00", "to": "2026-01-02T00:00:00Z"},
            ("from", "Indiquez un fuseau horaire, par exemple 2026-03-02T00:00:00Z."),
            ("from", "Give a time zone, e.g. 2026-03-02T00:00:00Z."),
        ),
    ]
    for body, said_fr, said_en in cases:
        fr, en = _both(lambda h, body=body: partner_a.post(replay, body, headers=h))
        assert (_errors(fr), _errors(en)) == ([said_fr], [said_en])

    add = f"/webhooks/{hook['id']}/companies"
    fr, en = _both(lambda h: partner_a.post(add, {"add": [mine]}, headers=h))
    assert _errors(fr) == [
        ("add", "Ce webhook suit toutes les entreprises : envoyez d'abord all_companies: false.")
    ]
    assert _errors(en) == [
        ("add", "This webhook follows every company: send all_companies: false first.")
    ]


def test_siren_refusals(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    directory = f"/companies/{company}/pa/directory"
    fr, en = _both(lambda h: partner_a.get(directory, params={"siren": "12\x00"}, headers=h))
    assert _errors(fr) == [("siren", "Un SIREN compte 9 chiffres.")]
    assert _errors(en) == [("siren", "A SIREN is 9 digits.")]

    partner_a.ok(partner_a.patch(f"/companies/{company}", {"seller": {"name": "No SIREN"}}))
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    fec = f"/companies/{company}/exports/fec"
    fr, en = _both(lambda h: partner_a.get(fec, params=period, headers=h))
    assert fr["code"] == "fec_needs_siren" and fr["title"] == "The company has no SIREN"
    assert fr["detail"] == (
        "Le nom du fichier FEC commence par le SIREN : renseignez seller.siren "
        f"(PATCH /api/v1/companies/{company})."
    )
    assert _errors(fr) == [("seller.siren", "Un SIREN compte 9 chiffres.")]
    assert _errors(en) == [("seller.siren", "A SIREN is 9 digits.")]


def test_contact_merge_refusals(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    path = f"/companies/{company}/contacts"
    person = partner_a.ok(partner_a.post(path, {"kind": "person", "name": "A"}), 201)["id"]
    firm = partner_a.ok(partner_a.post(path, {"kind": "company", "name": "B"}), 201)["id"]
    body = {
        "contacts": [{"type": "person", "id": person}, {"type": "person", "id": firm}],
        "target_contact": {"type": "person", "id": person},
    }
    fr, en = _both(lambda h: partner_a.post("/contacts/merge", body, headers=h))
    assert fr["code"] == "merge_invalid" and fr["title"] == "Cannot merge"
    assert _errors(fr) == [
        ("contacts[1].type", "Ce contact est de type company : indiquez ce type.")
    ]
    assert _errors(en) == [("contacts[1].type", "This contact is of type company: give this type.")]
    assert (fr["detail"], en["detail"]) == (_errors(fr)[0][1], _errors(en)[0][1])


def test_every_field_message_is_a_sentence_in_both_languages() -> None:
    values = {"hideable": "duplicate, send", "days": 31, "company": 7, "kind": "person"}
    values["unit"] = "C62"
    for key in FIELD_MESSAGES:
        fr, en = field_message(key, **values)
        assert fr != en
        for sentence in (fr, en):
            assert sentence[0].isupper() or sentence[0] == "`"
            assert sentence.endswith(".") and "{" not in sentence
