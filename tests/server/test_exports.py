"""The FEC export over the API: finalized documents of the period, valid, named
after the SIREN and the closing date."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.fec.columns import COLUMNS
from server.fec.validator import validate_fec, validate_file_name
from tests.server.helpers import Clock, Partner, document_body


def _issue(partner: Partner, company: int, day: str, kind: str = "invoice") -> dict[str, Any]:
    body = document_body(kind)
    body["issue_date"] = day
    draft = partner.ok(partner.post(f"/companies/{company}/documents", body), 201)
    return partner.ok(partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def test_the_fec_of_a_period(partner_a: Partner, clock: Clock) -> None:
    company = partner_a.company()["id"]
    march = _issue(partner_a, company, "2026-03-02")
    partner_a.ok(partner_a.post(f"/documents/{march['id']}/payment", {"paid_on": "2026-03-02"}))
    credit = partner_a.ok(partner_a.post(f"/documents/{march['id']}/credit-note"), 201)
    partner_a.ok(partner_a.post(f"/documents/{credit['id']}/finalize"))
    clock.advance(days=31)  # an issue date is never after today
    _issue(partner_a, company, "2026-04-01")  # after the period
    partner_a.draft(company)  # drafts are not booked
    partner_a.ok(partner_a.post(f"/documents/{partner_a.draft(company, 'quote')['id']}/finalize"))
    response = partner_a.get(
        f"/companies/{company}/exports/fec", params={"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    name = response.headers["content-disposition"].split('filename="')[1].rstrip('"')
    assert name == "732829320FEC20260331.txt" and validate_file_name(name) == []
    text = response.content.decode("utf-8")
    assert validate_fec(text) == []
    rows = [dict(zip(COLUMNS, r.split("\t"), strict=True)) for r in text.split("\r\n")[1:-1]]
    assert {row["PieceRef"] for row in rows} == {march["number"], "A-2026-00001"}
    assert [row["EcritureNum"] for row in rows if row["CompteNum"] == "411"] == ["1", "2"]
    customer = [row for row in rows if row["CompteNum"] == "411"]
    total = Decimal(march["totals"]["tax_inclusive_total"])
    assert Decimal(customer[0]["Debit"].replace(",", ".")) == total
    assert Decimal(customer[1]["Credit"].replace(",", ".")) == total
    latin = partner_a.get(
        f"/companies/{company}/exports/fec",
        params={"from": "2026-03-01", "to": "2026-03-31", "encoding": "iso-8859-15"},
    )
    assert latin.content.decode("iso8859_15") == text


def test_bad_requests_say_what_to_fix(partner_a: Partner, partner_b: Partner) -> None:
    company = partner_a.company()["id"]
    path = f"/companies/{company}/exports/fec"
    for params in (
        {},
        {"from": "2026-03-01"},
        {"from": "2026-03-31", "to": "2026-03-01"},
        {"from": "2026-03-01", "to": "2026-03-31", "encoding": "utf-16"},
    ):
        response = partner_a.get(path, params=params)
        assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"
    partner_a.ok(partner_a.patch(f"/companies/{company}", {"seller": {"name": "No SIREN"}}))
    response = partner_a.get(path, params={"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 422 and response.json()["code"] == "fec_needs_siren"
    assert partner_b.get(path, params={"from": "2026-03-01", "to": "2026-03-31"}).status_code == 404


def test_documents_in_another_currency_are_refused_by_name(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    body = document_body()
    body.update(issue_date="2026-03-02", currency="USD", vat_accounting_currency="EUR")
    body["vat_total_accounting_currency"] = "10.00"
    draft = partner_a.ok(partner_a.post(f"/companies/{company}/documents", body), 201)
    finalized = partner_a.post(f"/documents/{draft['id']}/finalize")
    assert finalized.status_code == 200, finalized.text
    response = partner_a.get(
        f"/companies/{company}/exports/fec", params={"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert response.status_code == 422
    assert response.json()["documents"] == [finalized.json()["number"]]
