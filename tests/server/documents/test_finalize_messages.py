"""Finalization's refusals in the caller's language: the rules' findings, the
issue date's chronology, with the same code and field paths in French and English."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.helpers import Partner, document_body

FRENCH = {"Accept-Language": "fr"}
ENGLISH = {"Accept-Language": "en"}


def _finalize_both(partner: Partner, document_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    path = f"/documents/{document_id}/finalize"
    french: httpx.Response = partner.post(path, headers=FRENCH)
    english: httpx.Response = partner.post(path, headers=ENGLISH)
    assert french.status_code == english.status_code == 422, english.text
    fr, en = french.json(), english.json()
    assert (fr["code"], fr["title"]) == (en["code"], en["title"])
    assert [e["field"] for e in fr["errors"]] == [e["field"] for e in en["errors"]]
    return fr, en


def test_the_rules_findings_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    empty = partner_a.ok(
        partner_a.post(f"/companies/{company}/documents", {"kind": "invoice"}), 201
    )
    fr, en = _finalize_both(partner_a, empty["id"])
    assert fr["code"] == "document_invalid"
    count = len(en["errors"])
    assert (fr["detail"], en["detail"]) == (
        f"{count} erreur(s) à corriger d'abord.",
        f"{count} error(s) must be fixed first.",
    )
    for said_fr, said_en in zip(fr["errors"], en["errors"], strict=True):
        rule = said_en["message"].split("]")[0]
        assert said_fr["message"].startswith(rule) and said_fr["message"] != said_en["message"]


def test_an_issue_date_before_the_last_number_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    later = {**document_body(), "issue_date": "2026-02-20"}
    first = partner_a.ok(partner_a.post(f"/companies/{company}/documents", later), 201)
    partner_a.ok(partner_a.post(f"/documents/{first['id']}/finalize"))
    earlier = {**document_body(), "issue_date": "2026-02-10"}
    second = partner_a.ok(partner_a.post(f"/companies/{company}/documents", earlier), 201)
    fr, en = _finalize_both(partner_a, second["id"])
    assert fr["code"] == "chronology"
    assert fr["errors"] == [
        {
            "field": "issue_date",
            "message": "Un document de cette numérotation (F) est déjà daté du 20/02/2026 ; "
            "les numéros suivent les dates : choisissez cette date ou une date postérieure.",
        }
    ]
    assert en["errors"] == [
        {
            "field": "issue_date",
            "message": "A document of this numbering (F) is already dated 2026-02-20; numbers "
            "must follow the dates: use that date or a later one.",
        }
    ]


def test_an_issue_date_after_today_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    tomorrow = {**document_body(), "issue_date": "2026-03-03"}  # the clock: 2 March 2026
    draft = partner_a.ok(partner_a.post(f"/companies/{company}/documents", tomorrow), 201)
    fr, en = _finalize_both(partner_a, draft["id"])
    assert fr["code"] == "issue_date_future"
    assert fr["detail"] == (
        "La date d'émission 03/03/2026 est après aujourd'hui (02/03/2026, heure de Paris) : "
        "une facture est datée du jour de son émission, ou d'avant."
    )
    assert en["detail"].startswith("The issue date 2026-03-03 is after today (2026-03-02")


def test_an_issued_invoice_refuses_changes_in_french_and_english(partner_a: Partner) -> None:
    issued = partner_a.finalized(partner_a.company()["id"])
    path = f"/documents/{issued['id']}"
    french = partner_a.put(path, document_body(), headers=FRENCH).json()
    english = partner_a.put(path, document_body(), headers=ENGLISH).json()
    assert french["code"] == english["code"] == "document_finalized"
    assert french["credit_note_path"] == english["credit_note_path"] == f"/api/v1{path}/credit-note"
    assert french["detail"] == (
        f"{issued['number']} est finalisé : la loi française interdit de le modifier ou de le "
        "supprimer. Pour le corriger ou l'annuler, émettez un avoir : "
        f"POST /api/v1{path}/credit-note."
    )
    assert english["detail"].startswith(f"{issued['number']} is finalized: French law forbids")
