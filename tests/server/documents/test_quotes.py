"""Quote statuses, convert once, duplicate and delete over the API (SQLite and
PostgreSQL); the invoices made from quotes pass the official check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.poppler import pdf_text
from tests.server.documents.flows import finalize, get, invoice_body
from tests.server.helpers import Clock, Partner


def _quote(partner: Partner, company: int, valid_until: str = "2026-03-31") -> dict[str, Any]:
    body = invoice_body(("2", "150.00", "20"), kind="quote")
    body["due_date"] = valid_until
    draft = partner.ok(partner.post(f"/companies/{company}/documents", body), 201)
    return partner.ok(partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def test_a_quote_is_sent_accepted_and_converted_once(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    quote = _quote(partner_a, company)
    assert (quote["status"], quote["converted_into"]) == ("finalized", None)
    assert partner_a.ok(partner_a.post(f"/documents/{quote['id']}/sent"))["status"] == "sent"
    accepted = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/accept"))
    assert accepted["status"] == "accepted"
    again = partner_a.post(f"/documents/{quote['id']}/accept")
    assert again.status_code == 409 and again.json()["code"] == "wrong_status"
    invoice = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/convert"), 201)
    assert (invoice["kind"], invoice["source_document_id"]) == ("invoice", quote["id"])
    assert invoice["document"]["due_date"] is None
    assert get(partner_a, quote["id"])["converted_into"] == {"id": invoice["id"], "number": None}
    second = partner_a.post(f"/documents/{quote['id']}/convert")
    assert second.status_code == 409 and second.json()["code"] == "already_converted"
    assert second.json()["converted_into"] == {"id": invoice["id"], "number": None}
    issued = finalize(partner_a, invoice["id"])
    shown = get(partner_a, quote["id"])
    assert shown["converted_into"] == {"id": invoice["id"], "number": issued["number"]}
    third = partner_a.post(f"/documents/{quote['id']}/convert")
    assert third.status_code == 409 and issued["number"] in third.json()["detail"]


def test_refused_and_expired_quotes(partner_a: Partner, clock: Clock) -> None:
    company = partner_a.company()["id"]
    refused = _quote(partner_a, company)
    assert partner_a.ok(partner_a.post(f"/documents/{refused['id']}/refuse"))["status"] == (
        "refused"
    )
    for action in ("convert", "accept", "refuse"):
        response = partner_a.post(f"/documents/{refused['id']}/{action}")
        assert response.status_code == 409, action
    expiring = _quote(partner_a, company, valid_until="2026-03-10")
    assert get(partner_a, expiring["id"])["status"] == "finalized"
    clock.now = dt.datetime(2026, 3, 10, 22, 59, tzinfo=dt.UTC)  # 23:59 in Paris
    assert get(partner_a, expiring["id"])["status"] == "finalized"
    clock.now = dt.datetime(2026, 3, 10, 23, 0, tzinfo=dt.UTC)  # midnight in Paris
    assert get(partner_a, expiring["id"])["status"] == "expired"
    listed = partner_a.ok(
        partner_a.get(f"/companies/{company}/documents", params={"kind": "quote"})
    )
    assert {d["id"]: d["status"] for d in listed["items"]}[expiring["id"]] == "expired"
    late = partner_a.post(f"/documents/{expiring['id']}/accept")
    assert late.status_code == 409 and late.json()["code"] == "quote_expired"
    # A late answer can still be turned into an invoice: the seller decides.
    partner_a.ok(partner_a.post(f"/documents/{expiring['id']}/convert"), 201)
    not_a_quote = partner_a.post(f"/documents/{partner_a.finalized(company)['id']}/accept")
    assert not_a_quote.status_code == 409


def test_duplicate_any_document(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    quote = _quote(partner_a, company)
    copy = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/duplicate"), 201)
    assert (copy["kind"], copy["status"], copy["number"]) == ("quote", "draft", None)
    assert copy["document"]["lines"] == quote["document"]["lines"]
    assert copy["document"]["due_date"] is None and copy["source_document_id"] is None
    invoice = partner_a.finalized(company)
    twin = partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/duplicate"), 201)
    assert (twin["kind"], twin["status"]) == ("invoice", "draft")
    assert twin["totals"] == {**invoice["totals"]}
    assert finalize(partner_a, twin["id"])["number"] == "F-2026-00002"
    credit = partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/credit-note"), 201)
    refused = partner_a.post(f"/documents/{credit['id']}/duplicate")
    assert refused.status_code == 409 and refused.json()["code"] == "credit_note_of_invoice"
    assert partner_a.post("/documents/999999/duplicate").status_code == 404


def test_delete_drafts_and_quotes_never_an_issued_invoice(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    quote = _quote(partner_a, company)
    converted = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/convert"), 201)
    deleted = partner_a.ok(partner_a.delete(f"/documents/{converted['id']}"))
    assert deleted == {"id": converted["id"], "deleted": True}
    assert get(partner_a, quote["id"])["converted_into"] is None
    again = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/convert"), 201)
    issued = finalize(partner_a, again["id"])
    partner_a.ok(partner_a.delete(f"/documents/{quote['id']}"))
    assert get(partner_a, issued["id"])["source_document_id"] is None
    journal = partner_a.ok(partner_a.get(f"/companies/{company}/journal/verify"))
    assert journal["ok"] is True, journal
    refused = partner_a.delete(f"/documents/{issued['id']}")
    assert refused.status_code == 409 and refused.json()["code"] == "document_finalized"
    assert get(partner_a, issued["id"])["status"] == "finalized"


def test_a_quote_issued_without_validity_date_is_valid_the_company_s_days(
    partner_a: Partner,
) -> None:
    """30 days after its issue date unless the company says otherwise; printed
    "Valable jusqu'au"; a validity date typed on the quote is kept."""
    company = partner_a.company()
    assert company["quote_validity_days"] == 30
    body = invoice_body(("2", "150.00", "20"), kind="quote")
    body.pop("due_date", None)
    draft = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", body), 201)
    quote = partner_a.ok(partner_a.post(f"/documents/{draft['id']}/finalize"))
    issued = dt.date.fromisoformat(quote["document"]["issue_date"])
    valid_until = issued + dt.timedelta(days=30)
    assert quote["document"]["due_date"] == valid_until.isoformat()
    words = " ".join(pdf_text(partner_a.get(f"/documents/{quote['id']}/pdf").content).split())
    assert "Valable jusqu'au 1 avril 2026" in words  # issued on 2 March 2026

    patched = partner_a.patch(f"/companies/{company['id']}", {"quote_validity_days": 15})
    assert partner_a.ok(patched)["quote_validity_days"] == 15
    draft = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", body), 201)
    quote = partner_a.ok(partner_a.post(f"/documents/{draft['id']}/finalize"))
    assert quote["document"]["due_date"] == (issued + dt.timedelta(days=15)).isoformat()
    assert _quote(partner_a, company["id"])["document"]["due_date"] == "2026-03-31"
    refused = partner_a.patch(f"/companies/{company['id']}", {"quote_validity_days": 0})
    assert refused.status_code == 422
    assert "quote_validity_days" in str(refused.json())
