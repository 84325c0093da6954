from __future__ import annotations

import httpx
import pytest
from lxml import etree

from invoicing.model import Document
from invoicing.official import xsd_errors
from invoicing.profiles import Profile
from invoicing.totals import READS, compute_totals
from server.api.documents.crud import COMPANY_DEFAULTS
from server.documents.content import totals_record
from tests.server.helpers import Partner, document_body


def test_draft_takes_company_defaults_and_totals(partner_a: Partner) -> None:
    company = partner_a.company()
    body = document_body()
    del body["seller"]
    draft = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", body), 201)
    assert draft["status"] == "draft"
    assert draft["number"] is None
    assert draft["document"]["seller"]["name"] == "Atelier Blanc SARL"
    assert draft["totals"]["tax_inclusive_total"] == draft["totals"]["amount_due"]
    assert draft["totals"]["vat_breakdown"]
    # The answer is what the stored draft reads back as (nothing parsed again to write it).
    assert partner_a.ok(partner_a.get(f"/documents/{draft['id']}")) == draft
    stored = Document.model_validate(draft["document"])
    assert draft["totals"] == totals_record(compute_totals(stored))


def test_company_defaults_are_not_what_totals_are_computed_from() -> None:
    """A create computes the totals before the company's defaults fill the document."""
    assert not set(COMPANY_DEFAULTS) & {name.split(".")[0] for name in READS}


def test_draft_body_errors_name_their_fields(partner_a: Partner) -> None:
    company = partner_a.company()
    body = document_body()
    body["lines"][1]["quantity"] = "many"
    body["buyer"]["name"] = "Bad\x00name"
    body["surprise"] = 1
    response = partner_a.post(f"/companies/{company['id']}/documents", body)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["code"] == "validation_failed"
    fields = {error["field"]: error["message"] for error in problem["errors"]}
    assert set(fields) == {"lines[1].quantity", "buyer.name", "surprise"}
    assert problem["detail"] == "3 fields need a correction."
    assert "U+0000" in fields["buyer.name"]
    numbered = {**document_body(), "number": "F-1"}
    refused = partner_a.post(f"/companies/{company['id']}/documents", numbered)
    assert refused.json()["errors"][0]["field"] == "number"


def test_a_body_checked_before_the_transaction_is_refused_where_it_always_was(
    partner_a: Partner, partner_b: Partner
) -> None:
    """The body is validated before the write transaction opens; its refusal still
    comes after the company, the document's state and an idempotency replay."""
    company = partner_a.company()
    path = f"/companies/{company['id']}/documents"
    invalid = {**document_body(), "surprise": 1}
    assert partner_b.post(path, invalid).status_code == 404
    assert partner_b.post(path, content=b"{").status_code == 404
    assert partner_a.post(path, content=b"{").json()["code"] == "malformed_json"
    headers = {"Idempotency-Key": "order-1"}
    partner_a.ok(partner_a.post(path, document_body(), headers=headers), 201)
    reused = partner_a.post(path, invalid, headers=headers)
    assert reused.json()["code"] == "idempotency_key_reused"
    issued = partner_a.finalized(company["id"])
    assert partner_a.put(f"/documents/{issued['id']}", invalid).status_code == 409
    french = partner_a.post(path, invalid, headers={"Accept-Language": "fr"})
    assert french.status_code == 422
    assert french.json()["detail"] != partner_a.post(path, invalid).json()["detail"]


def test_update_and_delete_a_draft(partner_a: Partner) -> None:
    company = partner_a.company()
    draft = partner_a.draft(company["id"])
    body = document_body(lines=1)
    body["subject"] = "Maintenance"
    updated = partner_a.ok(partner_a.put(f"/documents/{draft['id']}", body))
    assert updated["document"]["subject"] == "Maintenance"
    assert partner_a.ok(partner_a.get(f"/documents/{draft['id']}")) == updated
    assert len(updated["document"]["lines"]) == 1
    quote_body = document_body("quote")
    refused = partner_a.put(f"/documents/{draft['id']}", quote_body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "kind"
    assert partner_a.delete(f"/documents/{draft['id']}").json() == {
        "id": draft["id"],
        "deleted": True,
    }
    assert partner_a.get(f"/documents/{draft['id']}").status_code == 404


def test_finalize_numbers_consecutively_per_series(partner_a: Partner) -> None:
    company = partner_a.company()
    numbers = [partner_a.finalized(company["id"])["number"] for _ in range(3)]
    assert numbers == ["F-2026-00001", "F-2026-00002", "F-2026-00003"]
    quote = partner_a.finalized(company["id"], "quote")
    assert quote["number"] == "D-2026-00001"
    assert partner_a.finalized(company["id"])["number"] == "F-2026-00004"
    other = partner_a.company("Other company")
    assert partner_a.finalized(other["id"])["number"] == "F-2026-00001"


def test_finalized_document_carries_number_date_and_xml(partner_a: Partner) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    assert invoice["status"] == "finalized"
    assert invoice["issue_date"] == "2026-03-02"  # the test clock's day
    assert invoice["document"]["number"] == invoice["number"]
    xml = partner_a.get(f"/documents/{invoice['id']}/xml")
    assert xml.status_code == 200
    assert xml.headers["content-type"] == "application/xml"
    assert f'filename="{invoice["number"]}.xml"' in xml.headers["content-disposition"]
    assert xsd_errors(xml.content, Profile.EN16931) == []
    root = etree.fromstring(xml.content)
    assert invoice["number"].encode() in etree.tostring(root)
    assert partner_a.get(f"/documents/{invoice['id']}/xml").content == xml.content


def test_issue_dates_must_follow_the_numbers(partner_a: Partner) -> None:
    company = partner_a.company()
    later = {**document_body(), "issue_date": "2026-02-20"}
    first = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", later), 201)
    partner_a.ok(partner_a.post(f"/documents/{first['id']}/finalize"))
    earlier = {**document_body(), "issue_date": "2026-02-10"}
    second = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", earlier), 201)
    refused = partner_a.post(f"/documents/{second['id']}/finalize")
    assert refused.status_code == 422
    assert refused.json()["code"] == "chronology"
    same_day = {**document_body(), "issue_date": "2026-02-20"}
    partner_a.put(f"/documents/{second['id']}", same_day)
    assert partner_a.ok(partner_a.post(f"/documents/{second['id']}/finalize"))["number"] == (
        "F-2026-00002"
    )


def test_an_invalid_invoice_is_not_finalized_and_loses_no_number(partner_a: Partner) -> None:
    company = partner_a.company()
    empty = partner_a.ok(
        partner_a.post(f"/companies/{company['id']}/documents", {"kind": "invoice"}), 201
    )
    refused = partner_a.post(f"/documents/{empty['id']}/finalize")
    assert refused.status_code == 422
    assert refused.json()["code"] == "document_invalid"
    assert refused.json()["errors"]
    assert partner_a.finalized(company["id"])["number"] == "F-2026-00001"


def _change_paths(partner: Partner, document_id: int) -> list[httpx.Response]:
    return [
        partner.put(f"/documents/{document_id}", document_body()),
        partner.delete(f"/documents/{document_id}"),
        partner.post(f"/documents/{document_id}/finalize"),
    ]


def test_finalized_invoice_resists_every_change_path(partner_a: Partner) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    for response in _change_paths(partner_a, invoice["id"]):
        assert response.status_code == 409, response.text
        assert response.json()["code"] in {"document_finalized", "already_finalized"}
    refused = partner_a.put(f"/documents/{invoice['id']}", document_body())
    assert "credit note" in refused.json()["detail"]
    assert partner_a.ok(partner_a.get(f"/documents/{invoice['id']}")) == invoice
    partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/sent"))
    partner_a.ok(
        partner_a.post(
            f"/documents/{invoice['id']}/payment", {"paid_on": "2026-03-02", "means_code": "58"}
        )
    )
    for response in _change_paths(partner_a, invoice["id"]):
        assert response.status_code == 409
    after = partner_a.ok(partner_a.get(f"/documents/{invoice['id']}"))
    assert after["document"] == invoice["document"]
    assert partner_a.get(f"/documents/{invoice['id']}/xml").status_code == 200


def test_mark_paid(partner_a: Partner) -> None:
    company = partner_a.company()
    draft = partner_a.draft(company["id"])
    payment = {"paid_on": "2026-03-02", "means_code": "30", "reference": "VIR 42"}
    assert partner_a.post(f"/documents/{draft['id']}/payment", payment).status_code == 409
    invoice = partner_a.finalized(company["id"])
    paid = partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/payment", payment))
    assert (paid["status"], paid["paid_on"], paid["payment_means_code"]) == (
        "paid",
        "2026-03-02",
        "30",
    )
    assert (paid["balance"], paid["paid_amount"]) == ("0.00", paid["totals"]["amount_due"])
    again = partner_a.post(f"/documents/{invoice['id']}/payment", payment)
    assert again.status_code == 409 and again.json()["code"] == "wrong_status"


def test_credit_note_cancels_the_invoice_when_finalized(partner_a: Partner) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    credit = partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/credit-note"), 201)
    assert credit["kind"] == "credit_note" and credit["status"] == "draft"
    assert credit["source_document_id"] == invoice["id"]
    assert credit["document"]["preceding_invoices"] == [
        {"number": invoice["number"], "issue_date": invoice["issue_date"]}
    ]
    finalized = partner_a.ok(partner_a.post(f"/documents/{credit['id']}/finalize"))
    assert finalized["number"] == "A-2026-00001"
    xml = partner_a.get(f"/documents/{credit['id']}/xml").content
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml
    assert partner_a.ok(partner_a.get(f"/documents/{invoice['id']}"))["status"] == "cancelled"
    not_from_credit = partner_a.post(f"/documents/{credit['id']}/credit-note")
    assert not_from_credit.status_code == 409


def test_quote_converts_to_invoice_and_can_be_deleted(partner_a: Partner) -> None:
    company = partner_a.company()
    quote = partner_a.finalized(company["id"], "quote")
    no_xml = partner_a.get(f"/documents/{quote['id']}/xml")
    assert no_xml.status_code == 409 and no_xml.json()["code"] == "quote_has_no_xml"
    invoice = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/convert"), 201)
    assert (invoice["kind"], invoice["status"], invoice["source_document_id"]) == (
        "invoice",
        "draft",
        quote["id"],
    )
    assert invoice["document"]["lines"] == quote["document"]["lines"]
    assert partner_a.put(f"/documents/{quote['id']}", document_body("quote")).status_code == 409
    assert partner_a.delete(f"/documents/{quote['id']}").status_code == 200
    assert partner_a.ok(partner_a.get(f"/documents/{invoice['id']}"))["source_document_id"] is None
    not_a_quote = partner_a.post(f"/documents/{invoice['id']}/convert")
    assert not_a_quote.status_code == 409


def test_list_filters_and_cursor_pagination(partner_a: Partner) -> None:
    company = partner_a.company()
    contact = partner_a.ok(
        partner_a.post(
            f"/companies/{company['id']}/contacts", {"kind": "company", "name": "Boulangerie"}
        ),
        201,
    )
    ids = [partner_a.draft(company["id"])["id"] for _ in range(5)]
    with_contact = partner_a.draft(company["id"], contact_id=contact["id"])
    quote = partner_a.draft(company["id"], "quote")
    partner_a.post(f"/documents/{ids[0]}/finalize")
    base = f"/companies/{company['id']}/documents"
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = partner_a.ok(partner_a.get(base, params=params))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted([*ids, with_contact["id"], quote["id"]], reverse=True)

    def listed(**params: str) -> list[int]:
        return [d["id"] for d in partner_a.ok(partner_a.get(base, params=params))["items"]]

    assert listed(kind="quote") == [quote["id"]]
    assert listed(status="finalized") == [ids[0]]
    assert listed(number="F-2026-00001") == [ids[0]]
    assert listed(contact_id=str(contact["id"])) == [with_contact["id"]]
    assert listed(issued_from="2026-03-02", issued_to="2026-03-02") == [ids[0]]
    assert listed(issued_to="2026-03-01") == []
    for bad in ({"cursor": "!!"}, {"limit": "0"}, {"limit": "x"}, {"issued_from": "May"}):
        response = partner_a.get(base, params=bad)
        assert response.status_code == 400, bad
        assert response.json()["code"] in {"invalid_cursor", "invalid_limit", "invalid_parameter"}


def test_idempotency_key_replays_the_first_response(partner_a: Partner) -> None:
    company = partner_a.company()
    path = f"/companies/{company['id']}/documents"
    headers = {"Idempotency-Key": "order-7781"}
    first = partner_a.post(path, document_body(), headers=headers)
    again = partner_a.post(path, document_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listing = partner_a.ok(partner_a.get(path))
    assert len(listing["items"]) == 1
    other_body = partner_a.post(path, document_body(lines=1), headers=headers)
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"
    draft = first.json()
    finalize = [
        partner_a.post(f"/documents/{draft['id']}/finalize", headers={"Idempotency-Key": "f-1"})
        for _ in range(2)
    ]
    assert [r.status_code for r in finalize] == [200, 200]
    assert finalize[0].json()["number"] == finalize[1].json()["number"] == "F-2026-00001"


def test_pdf_download(partner_a: Partner) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    response = partner_a.get(f"/documents/{invoice['id']}/pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert partner_a.get(f"/documents/{invoice['id']}/pdf").content == response.content


def test_draft_xml_preview_of_an_empty_draft(partner_a: Partner) -> None:
    company = partner_a.company()
    empty = partner_a.ok(
        partner_a.post(f"/companies/{company['id']}/documents", {"kind": "invoice"}), 201
    )
    response = partner_a.get(f"/documents/{empty['id']}/xml")
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"<?xml")


def test_an_unexpected_error_is_a_500_problem_without_trace(
    partner_a: Partner, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    company = partner_a.company()
    draft = partner_a.draft(company["id"])

    def broken(document: object) -> object:
        raise RuntimeError("internal detail 7f3a")

    monkeypatch.setattr("server.api.documents.views.shown_content", broken)
    response = partner_a.get(f"/documents/{draft['id']}")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal_error"
    assert "7f3a" not in response.text and "Traceback" not in response.text
    assert any(record.exc_info for record in caplog.records if record.name == "blanche.server")
