"""Deposit invoices and final invoices over the API (SQLite and PostgreSQL):
BT-113, BG-3 references, BT-23 B4/S4/M4, the official check (BR-FR included)
and a balanced FEC."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.fec.columns import COLUMNS
from server.fec.validator import validate_fec
from tests.server.documents.flows import amount, finalize, get, invoice_body
from tests.server.helpers import Partner, document_body

# 20 % and 5.5 % lines: 1,000.00 + 200.00 excl. VAT, 1,200.00 + 211.00 incl. VAT.
LINES = (("4", "250.00", "20"), ("2", "100.00", "5.5"))


def _quote(partner: Partner, company: int) -> dict[str, Any]:
    body = invoice_body(*LINES, kind="quote")
    body["business_process"] = "S1"
    draft = partner.ok(partner.post(f"/companies/{company}/documents", body), 201)
    return partner.ok(partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def _deposit(partner: Partner, company: int, body: dict[str, Any]) -> dict[str, Any]:
    return partner.ok(partner.post(f"/companies/{company}/deposit-invoices", body), 201)  # type: ignore[no-any-return]


def test_deposits_on_a_quote_then_the_final_invoice(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    quote = _quote(partner_a, company)
    assert quote["totals"]["tax_inclusive_total"] == "1411.00"
    first = _deposit(partner_a, company, {"quote_id": quote["id"], "percent": "30"})
    assert (first["kind"], first["source_document_id"]) == ("deposit_invoice", quote["id"])
    assert first["document"]["business_process"] == "S1"
    assert first["totals"]["amount_due"] == "423.30"
    rates = [(line["vat_rate"], line["name"]) for line in first["document"]["lines"]]
    assert [rate for rate, _ in rates] == ["20", "5.5"]
    assert all(f"30 % sur le devis {quote['number']}" in name for _, name in rates)
    # The quote's BT-9 was its validity date: the deposit is due on the company's terms.
    assert first["document"]["payment_term"] == {"kind": "days", "days": 30, "date": None}
    first = finalize(partner_a, first["id"])
    issued_on = dt.date.fromisoformat(first["document"]["issue_date"])
    assert first["document"]["due_date"] == str(issued_on + dt.timedelta(days=30))
    too_much = partner_a.post(
        f"/companies/{company}/deposit-invoices", {"quote_id": quote["id"], "amount": "987.71"}
    )
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount"
    in_french = partner_a.post(
        f"/companies/{company}/deposit-invoices",
        {"quote_id": quote["id"], "amount": "987.71"},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    ).json()
    assert in_french["errors"] == [
        {
            "field": "amount",
            "message": "les acomptes déjà demandés sur ce devis laissent 987,70 à demander",
        }
    ]
    second = finalize(
        partner_a, _deposit(partner_a, company, {"quote_id": quote["id"], "amount": "100.00"})["id"]
    )
    assert second["totals"]["amount_due"] == "100.00"
    partner_a.ok(
        partner_a.post(
            f"/documents/{first['id']}/payments",
            {"amount": "423.30", "paid_on": "2026-03-02", "means_code": "30"},
        ),
        201,
    )
    final = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/convert"), 201)
    document = final["document"]
    assert document["business_process"] == "S4"
    assert document["payment_term"] == {"kind": "days", "days": 30, "date": None}
    assert document["prepaid_amount"] == "523.30"
    assert [p["number"] for p in document["preceding_invoices"]] == [
        first["number"],
        second["number"],
    ]
    assert final["totals"]["amount_due"] == "887.70"
    for deposit in (first, second):
        assert get(partner_a, deposit["id"])["settled_by_id"] == final["id"]
    settled_credit = partner_a.post(f"/documents/{first['id']}/credit-note")
    assert settled_credit.status_code == 409 and settled_credit.json()["code"] == "deposit_settled"
    issued = finalize(partner_a, final["id"])
    xml = partner_a.get(f"/documents/{issued['id']}/xml").content
    assert b"<ram:TotalPrepaidAmount>523.30</ram:TotalPrepaidAmount>" in xml
    assert issued["balance"] == "887.70"
    _fec_is_balanced(partner_a, company, 3, "211.00")
    # Crediting the whole final invoice takes back the sale, deposits deducted included.
    credit = partner_a.ok(partner_a.post(f"/documents/{issued['id']}/credit-note"), 201)
    assert credit["document"]["prepaid_amount"] == "523.30"
    assert credit["totals"]["amount_due"] == "887.70"
    finalize(partner_a, credit["id"])
    assert get(partner_a, issued["id"])["status"] == "cancelled"
    # What stands is the deposits, as their own invoices booked them.
    net = sum(amount(d["totals"]["tax_exclusive_total"]) for d in (first, second))
    vat = sum(amount(d["totals"]["vat_total"]) for d in (first, second))
    _fec_is_balanced(partner_a, company, 4, str(vat), deposits_left=str(net))


def _fec_is_balanced(
    partner: Partner, company: int, entries: int, vat: str, deposits_left: str = "0.00"
) -> None:
    response = partner.get(
        f"/companies/{company}/exports/fec", params={"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert response.status_code == 200, response.text
    text = response.content.decode()
    assert validate_fec(text) == []
    rows = [dict(zip(COLUMNS, r.split("\t"), strict=True)) for r in text.split("\r\n")[1:-1]]

    def money(text: str) -> Decimal:
        return Decimal(text.replace(",", "."))

    by_entry: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_entry.setdefault(row["EcritureNum"], []).append(row)
    assert len(by_entry) == entries
    for lines in by_entry.values():
        assert sum(money(r["Debit"]) for r in lines) == sum(money(r["Credit"]) for r in lines)
    deposit_account = sum(
        money(r["Credit"]) - money(r["Debit"]) for r in rows if r["CompteNum"] == "4191"
    )
    # The final invoice took back what the deposits booked; its credit note gives it again.
    assert deposit_account == Decimal(deposits_left)
    collected = sum(
        money(r["Credit"]) - money(r["Debit"]) for r in rows if r["CompteNum"] == "44571"
    )
    assert collected == Decimal(vat)  # the VAT of the sale, counted once


def test_a_deposit_without_a_quote_and_deposits_set_by_hand(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    deposit = _deposit(partner_a, company, {"amount": "100.00", "vat_rate": "20"})
    assert deposit["document"]["lines"][0]["net_price"] == "83.33"
    assert deposit["totals"]["amount_due"] == "100.00"
    assert deposit["document"]["seller"]["name"]
    sample = document_body()  # the user completes the customer and the legal notes
    completed = {**deposit["document"], "buyer": sample["buyer"], "notes": sample["notes"]}
    partner_a.ok(partner_a.put(f"/documents/{deposit['id']}", completed))
    deposit = finalize(partner_a, deposit["id"])
    for body, field in (
        ({"percent": "30"}, ""),
        ({"amount": "10.00", "percent": "5"}, ""),
        ({}, ""),
        ({"amount": "-1.00"}, "amount"),
        ({"quote_id": 999999, "amount": "10.00"}, "quote_id"),
    ):
        response = partner_a.post(f"/companies/{company}/deposit-invoices", body)
        assert response.status_code in {404, 422}, (body, response.text)
        if response.status_code == 422 and field:
            assert field in [e["field"] for e in response.json()["errors"]]
    invoice = partner_a.ok(
        partner_a.post(f"/companies/{company}/documents", invoice_body(("1", "500.00", "20"))),
        201,
    )
    for ids in ([invoice["id"]], [999999], [deposit["id"], deposit["id"]]):
        refused = partner_a.post(f"/documents/{invoice['id']}/deposits", {"deposit_ids": ids})
        assert refused.status_code == 422, ids
        assert refused.json()["errors"][0]["field"] == "deposit_ids"
    final = partner_a.ok(
        partner_a.post(f"/documents/{invoice['id']}/deposits", {"deposit_ids": [deposit["id"]]})
    )
    assert final["document"]["prepaid_amount"] == "100.00"
    assert final["document"]["business_process"].endswith("4")
    other = partner_a.ok(
        partner_a.post(f"/companies/{company}/documents", invoice_body(("1", "50.00", "20"))), 201
    )
    taken = partner_a.post(f"/documents/{other['id']}/deposits", {"deposit_ids": [deposit["id"]]})
    assert taken.status_code == 422
    # Another customer's invoice cannot deduct it, nor become another's once it does.
    elsewhere = invoice_body(("1", "500.00", "20"))
    elsewhere["buyer"] = {
        "name": "Jeanne Martin",
        "private_person": True,
        "address": {
            "line1": "3 rue des Lilas",
            "city": "Lyon",
            "postcode": "69003",
            "country": "FR",
        },
    }
    another = partner_a.ok(partner_a.post(f"/companies/{company}/documents", elsewhere), 201)
    refused = partner_a.post(
        f"/documents/{another['id']}/deposits", {"deposit_ids": [deposit["id"]]}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "deposit_ids"
    moved = {**final["document"], "buyer": elsewhere["buyer"]}
    partner_a.ok(partner_a.put(f"/documents/{invoice['id']}", moved))
    mismatch = partner_a.post(f"/documents/{invoice['id']}/finalize")
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "deposits_mismatch"
    assert "buyer" in [e["field"] for e in mismatch.json()["errors"]]
    partner_a.ok(partner_a.put(f"/documents/{invoice['id']}", final["document"]))
    # Changing the prepaid amount by hand is caught at finalization.
    edited = {**final["document"], "prepaid_amount": "10.00"}
    partner_a.ok(partner_a.put(f"/documents/{invoice['id']}", edited))
    mismatch = partner_a.post(f"/documents/{invoice['id']}/finalize")
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "deposits_mismatch"
    cleared = partner_a.ok(
        partner_a.post(f"/documents/{invoice['id']}/deposits", {"deposit_ids": []})
    )
    assert cleared["document"]["prepaid_amount"] is None
    assert get(partner_a, deposit["id"])["settled_by_id"] is None
    # Deleting a draft final invoice frees its deposits.
    partner_a.ok(
        partner_a.post(f"/documents/{other['id']}/deposits", {"deposit_ids": [deposit["id"]]})
    )
    partner_a.ok(partner_a.delete(f"/documents/{other['id']}"))
    assert get(partner_a, deposit["id"])["settled_by_id"] is None
    issued = finalize(
        partner_a,
        partner_a.ok(
            partner_a.post(f"/documents/{invoice['id']}/deposits", {"deposit_ids": [deposit["id"]]})
        )["id"],
    )
    assert amount(issued["totals"]["amount_due"]) == Decimal("500.00")
    _fec_is_balanced(partner_a, company, 2, "100.00")
