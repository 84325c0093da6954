"""What the API says of a body it cannot read or a pace it will not serve, in the
caller's language: the detail and the `body` field's message follow
`Accept-Language`, the code and title do not, and nothing of the body is echoed."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from server.app import create_app
from server.request_messages import REQUEST_MESSAGES, request_message
from server.settings import LimitSettings, Settings
from tests.server.asgi_client import app_client
from tests.server.helpers import Clock, Partner, make_partner

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en"}
JSON = {"Content-Type": "application/json"}
MARKER = "ECHO-MARKER"

MALFORMED = {
    "truncated": f'{{"name": "{MARKER}'.encode(),
    "invalid UTF-8": b'{"name": "\xff\xfe' + MARKER.encode() + b'"}',
    "raw control character": f'{{"name": "a\x00\x1b{MARKER}"}}'.encode(),
    "nested too deep": b"[" * 200_000,
    "NaN": f'{{"name": NaN, "x": "{MARKER}"}}'.encode(),
}


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert MARKER not in response.text
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


def _post(partner: Partner, path: str, content: bytes, headers: dict[str, str]) -> httpx.Response:
    return partner.request("POST", path, content=content, headers={**JSON, **headers})


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_json_in_french_and_english(partner_a: Partner, body: bytes) -> None:
    path = f"/companies/{partner_a.company()['id']}/contacts"
    french = _problem(_post(partner_a, path, body, FRENCH), 400, "malformed_json")
    english = _problem(_post(partner_a, path, body, ENGLISH), 400, "malformed_json")
    assert french["detail"] == "Le corps n'est pas du JSON valide (UTF-8) : vérifiez sa syntaxe."
    assert english["detail"] == "The body is not valid JSON (UTF-8): check its syntax."
    assert french["title"] == english["title"] == "Malformed JSON"


def test_empty_body_and_not_an_object_in_french_and_english(partner_a: Partner) -> None:
    path = f"/companies/{partner_a.company()['id']}/contacts"
    empty_fr = _problem(_post(partner_a, path, b"", FRENCH), 400, "empty_body")
    empty_en = _problem(_post(partner_a, path, b"", ENGLISH), 400, "empty_body")
    assert empty_fr["detail"] == "Le corps est vide : envoyez un objet JSON."
    assert empty_en["detail"] == "The body is empty: send a JSON object."
    listed = f'["{MARKER}"]'.encode()
    listed_fr = _problem(_post(partner_a, path, listed, FRENCH), 422, "not_an_object")
    listed_en = _problem(_post(partner_a, path, listed, ENGLISH), 422, "not_an_object")
    assert (
        listed_fr["detail"]
        == "Le corps doit être un objet JSON, pas une liste ni une valeur seule."
    )
    assert listed_en["detail"] == "The body must be a JSON object, not a list or a single value."
    # No header, or a language we do not speak: English.
    for headers in ({}, {"Accept-Language": "de"}):
        assert _problem(_post(partner_a, path, listed, headers), 422, "not_an_object") == listed_en


def test_a_huge_body_is_refused_in_french_and_english(partner_a: Partner) -> None:
    path = f"/companies/{partner_a.company()['id']}/contacts"
    huge = (f'{{"name": "{MARKER}' + "\x07é" * 1_000_000 + '"}').encode()
    french = _problem(_post(partner_a, path, huge, FRENCH), 413, "body_too_large")
    english = _problem(_post(partner_a, path, huge, ENGLISH), 413, "body_too_large")
    fr, en = french["errors"], english["errors"]
    assert [e["field"] for e in fr] == [e["field"] for e in en] == ["body"]
    assert fr[0]["message"] == "Envoyez 1048576 octets au plus."
    assert en[0]["message"] == "Send 1048576 bytes at most."
    assert french["detail"] == "Le corps est trop grand : 1048576 octets au plus."
    assert english["detail"] == "The body is too large: 1048576 bytes at most."
    assert french["title"] == english["title"] == "Request body too large"


def test_the_rate_limit_in_french_and_english(settings: Settings, clock: Clock) -> None:
    # One token every 1000 s: the bucket does not refill during the test.
    limited = dataclasses.replace(settings, limits=LimitSettings(rate_per_second=0.001, burst=2))
    with app_client(create_app(limited, clock=clock), "https://blanche.test") as client:
        partner = make_partner(client, limited, "Flood", ["https://app.a.example"])
        statuses = [partner.get("/partner").status_code for _ in range(2)]
        assert statuses == [200, 200]
        french = _problem(partner.get("/partner", headers=FRENCH), 429, "rate_limited")
        english = _problem(partner.get("/partner", headers=ENGLISH), 429, "rate_limited")
    assert french["detail"] == (
        "Au plus 0,001 requêtes par seconde par partenaire (rafales de 2) : réessayez dans 1000 s."
    )
    assert english["detail"] == (
        "At most 0.001 requests per second per partner (bursts of 2): retry in 1000 s."
    )
    assert french["title"] == english["title"] == "Too many requests"


def test_account_creations_refused_in_french_and_english(
    client: httpx.Client, settings: Settings
) -> None:
    partner = make_partner(client, settings, "Limited", ["https://x.example"], None, 1)
    partner.company("The only one")
    french = _problem(
        partner.post("/companies", {"name": "Two"}, headers=FRENCH), 429, "rate_limited"
    )
    english = _problem(
        partner.post("/companies", {"name": "Two"}, headers=ENGLISH), 429, "rate_limited"
    )
    assert french["detail"] == (
        "Au plus 1 création(s) de compte par heure : réessayez dans 3600 s."
    )
    assert english["detail"] == "At most 1 account creation(s) per hour: retry in 3600 s."


def test_keys_and_missing_objects_in_french_and_english(
    client: httpx.Client, partner_a: Partner, partner_b: Partner
) -> None:
    wrong_key = {"Authorization": f"Bearer bk_{MARKER}"}
    french = _problem(
        client.get("/api/v1/partner", headers={**wrong_key, **FRENCH}), 401, "unauthorized"
    )
    english = _problem(
        client.get("/api/v1/partner", headers={**wrong_key, **ENGLISH}), 401, "unauthorized"
    )
    assert french["detail"] == "Envoyez `Authorization: Bearer <clé d'API>` avec une clé active."
    assert english["detail"] == "Send `Authorization: Bearer <api key>` with an active key."
    assert french["title"] == english["title"] == "Missing or invalid API key"

    theirs = partner_b.draft(partner_b.company()["id"])["id"]
    for path, thing_fr, thing_en in (
        (f"/documents/{theirs}", "Ce document", "document"),
        ("/companies/123456789", "Cette entreprise", "company"),
        ("/contacts/0", "Ce contact", "contact"),
        ("/webhooks/999999", "Ce webhook", "webhook"),
    ):
        french = _problem(partner_a.get(path, headers=FRENCH), 404, "not_found")
        english = _problem(partner_a.get(path, headers=ENGLISH), 404, "not_found")
        assert french["detail"] == f"{thing_fr} est introuvable."
        assert english["detail"] == f"No such {thing_en}."


def test_paging_parameters_in_french_and_english(partner_a: Partner) -> None:
    path = f"/companies/{partner_a.company()['id']}/contacts"
    for params, code, said_fr, said_en in (
        (
            {"limit": f"0{MARKER}"},
            "invalid_limit",
            "Indiquez une limite de 1 à 200.",
            "Use 1 to 200.",
        ),
        (
            {"cursor": f"{MARKER}\x00"},
            "invalid_cursor",
            "Renvoyez `next_cursor` tel qu'il a été donné.",
            "Use `next_cursor` as given.",
        ),
    ):
        french = _problem(partner_a.get(path, params=params, headers=FRENCH), 400, code)
        english = _problem(partner_a.get(path, params=params, headers=ENGLISH), 400, code)
        assert (french["detail"], english["detail"]) == (said_fr, said_en)


def test_query_parameters_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    documents = f"/companies/{company}/documents"
    hook = partner_a.ok(
        partner_a.post("/webhooks", {"url": "https://h.example.com/", "events": ["*"]}), 201
    )
    cases = [
        (
            documents,
            {"issued_from": f"{MARKER}"},
            "`issued_from` doit être une date AAAA-MM-JJ.",
            "`issued_from` must be a date YYYY-MM-DD.",
        ),
        (
            documents,
            {"contact_id": f"-1{MARKER}"},
            "`contact_id` doit être un identifiant.",
            "`contact_id` must be an id.",
        ),
        (
            f"/webhooks/{hook['id']}/deliveries",
            {"severity": MARKER},
            "`severity` vaut info, warning ou error (séparés par des virgules pour plusieurs).",
            "`severity` must be info, warning or error (comma-separated for several).",
        ),
        (
            f"/companies/{company}/exports/fec",
            {"from": "2026-03-01", "to": "2026-03-31", "encoding": MARKER},
            "`encoding` vaut utf-8 ou iso-8859-15.",
            "`encoding`: utf-8 or iso-8859-15.",
        ),
    ]
    for path, params, said_fr, said_en in cases:
        french = _problem(
            partner_a.get(path, params=params, headers=FRENCH), 400, "invalid_parameter"
        )
        english = _problem(
            partner_a.get(path, params=params, headers=ENGLISH), 400, "invalid_parameter"
        )
        assert (french["detail"], english["detail"]) == (said_fr, said_en)


def test_an_idempotency_key_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    path = f"/companies/{company}/contacts"
    key = {"Idempotency-Key": "k" * 201}
    body = {"kind": "company", "name": "Client"}
    french = _problem(
        partner_a.post(path, body, headers={**key, **FRENCH}), 422, "idempotency_key_invalid"
    )
    english = _problem(
        partner_a.post(path, body, headers={**key, **ENGLISH}), 422, "idempotency_key_invalid"
    )
    assert french["detail"] == "Une Idempotency-Key compte de 1 à 200 caractères."
    assert english["detail"] == "Use 1 to 200 characters."
    partner_a.ok(partner_a.post(path, body, headers={"Idempotency-Key": "once"}), 201)
    other = {"kind": "company", "name": "Someone else"}
    reused = {"Idempotency-Key": "once"}
    french = _problem(
        partner_a.post(path, other, headers={**reused, **FRENCH}), 422, "idempotency_key_reused"
    )
    english = _problem(
        partner_a.post(path, other, headers={**reused, **ENGLISH}), 422, "idempotency_key_reused"
    )
    assert french["detail"] == (
        "Cette clé a servi pour une autre requête : utilisez une nouvelle clé par requête."
    )
    assert english["detail"] == "This key was used for another request; use a new key per request."


def test_every_request_message_is_a_sentence_in_both_languages() -> None:
    limits: dict[str, float | int | str] = {"limit": 1024, "seconds": 2.5, "rate": 0.5}
    limits |= {"burst": 3, "count": 4, "wait": 7, "max": 200}
    limits |= {"thing": "quote", "thing_fr": "Ce devis", "name": "from"}
    for key in REQUEST_MESSAGES:
        fr, en = request_message(key, **limits)
        for sentence in (fr, en):
            assert "{" not in sentence and sentence.endswith(".")
            assert sentence[0].isupper() or sentence.startswith("`")
        assert fr != en
    fr, en = request_message("body_timeout", seconds=2.5)
    assert "2,5 s" in fr and "2.5 s" in en
