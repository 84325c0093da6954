"""Requests refused because of the state of things (a draft, a contact in use, a
missing logo) in the caller's language: the same code, title and extra members in
French and in English, only the detail changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.server.helpers import Partner, document_body

FRENCH = {"Accept-Language": "fr"}
ENGLISH = {"Accept-Language": "en"}

Send = Callable[[dict[str, str]], httpx.Response]


def _details(send: Send, status: int, code: str) -> tuple[str, str]:
    french, english = send(FRENCH), send(ENGLISH)
    for response in (french, english):
        assert response.status_code == status, response.text
        assert response.json()["code"] == code
    fr: dict[str, Any] = french.json()
    en: dict[str, Any] = english.json()
    assert {k: v for k, v in fr.items() if k != "detail"} == {
        k: v for k, v in en.items() if k != "detail"
    }
    return fr["detail"], en["detail"]


def test_a_draft_is_neither_sent_nor_paid(partner_a: Partner) -> None:
    draft = partner_a.draft(partner_a.company()["id"])
    sent = _details(
        lambda h: partner_a.post(f"/documents/{draft['id']}/sent", headers=h), 409, "wrong_status"
    )
    assert sent == (
        "Cette facture est un brouillon : seul un document finalisé peut être marqué comme envoyé.",
        "This invoice is draft: only a finalized document can be marked as sent.",
    )
    paid = _details(
        lambda h: partner_a.post(
            f"/documents/{draft['id']}/payment", {"paid_on": "2026-03-02"}, headers=h
        ),
        409,
        "wrong_status",
    )
    assert paid[0] == (
        "Cette facture est un brouillon : seule une facture émise qui reste à payer "
        "peut être payée."
    )


def test_a_contact_in_use_and_a_missing_logo(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    contact = partner_a.ok(
        partner_a.post(f"/companies/{company}/contacts", {"kind": "company", "name": "Client"}),
        201,
    )
    partner_a.ok(
        partner_a.post(
            f"/companies/{company}/documents", document_body(), params={"contact_id": contact["id"]}
        ),
        201,
    )
    in_use = _details(
        lambda h: partner_a.delete(f"/contacts/{contact['id']}", headers=h), 409, "contact_in_use"
    )
    assert in_use == (
        "1 document(s) nomment ce contact : fusionnez-le plutôt dans un autre contact.",
        "1 document(s) name this contact; merge it into another contact instead.",
    )
    no_logo = _details(
        lambda h: partner_a.get(f"/companies/{company}/logo", headers=h), 404, "no_logo"
    )
    assert no_logo == ("Cette entreprise n'a pas de logo.", "This company has no logo.")


def test_what_is_not_there_yet(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    draft = partner_a.draft(company)
    no_draft = _details(
        lambda h: partner_a.get(f"/documents/{draft['id']}/editor-draft", headers=h),
        404,
        "no_editor_draft",
    )
    assert no_draft[0] == (
        "Ce document n'a pas été ouvert dans l'éditeur : GET /documents/{id} dit tout ce qu'il y a."
    )
    no_pa = _details(
        lambda h: partner_a.get(f"/companies/{company}/pa", headers=h), 404, "pa_not_connected"
    )
    assert no_pa == (
        "Cette entreprise n'est pas reliée à une plateforme agréée : PUT /companies/{id}/pa.",
        "This company is not connected to a plateforme agréée: PUT /companies/{id}/pa.",
    )
