"""Payments over the API (SQLite and PostgreSQL): several per invoice, the
balance and statuses, refusals naming the field, events, "pay the balance"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.settings import Settings
from tests.server.documents.flows import (
    ISSUE_12,
    event_types,
    finalize,
    get,
    invoice_body,
    issue,
)
from tests.server.helpers import Clock, Partner


def _pay(partner: Partner, document_id: int, amount: str, **extra: Any) -> Any:
    body = {"amount": amount, "paid_on": "2026-03-02", "means_code": "30", **extra}
    return partner.post(f"/documents/{document_id}/payments", body)


def test_partial_payments_then_paid(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(*ISSUE_12))
    first = partner_a.ok(_pay(partner_a, invoice["id"], "500.00", reference="VIR 1"), 201)
    assert first["payment"]["amount"] == "500.00" and first["payment"]["reference"] == "VIR 1"
    assert first["document"]["status"] == "partially_paid"
    assert (first["document"]["paid_amount"], first["document"]["balance"]) == ("500.00", "589.56")
    over = _pay(partner_a, invoice["id"], "589.57")
    assert over.status_code == 422
    message = "at most 589.56 is left to pay"
    assert over.json()["errors"] == [{"field": "amount", "message": message}]
    french = partner_a.post(
        f"/documents/{invoice['id']}/payments",
        {"amount": "589.57", "paid_on": "2026-03-02"},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    assert french.json()["errors"] == [
        {"field": "amount", "message": "il reste au plus 589,56 à payer"}
    ]
    second = partner_a.ok(_pay(partner_a, invoice["id"], "589.56"), 201)
    assert second["document"]["status"] == "paid" and second["document"]["balance"] == "0.00"
    listed = partner_a.ok(partner_a.get(f"/documents/{invoice['id']}/payments"))
    assert [p["amount"] for p in listed["items"]] == ["500.00", "589.56"]
    assert (listed["paid_amount"], listed["balance"]) == ("1089.56", "0.00")
    nothing_left = _pay(partner_a, invoice["id"], "0.01")
    assert nothing_left.status_code == 422 and nothing_left.json()["errors"][0]["field"] == "amount"
    assert event_types(settings, invoice["id"])[-3:] == [
        "document.payment_recorded",
        "document.payment_recorded",
        "document.paid",
    ]


def test_refused_payments_name_the_field(partner_a: Partner, clock: Clock) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("1", "100.00", "20")))
    draft = partner_a.ok(
        partner_a.post(f"/companies/{company}/documents", invoice_body(("1", "1", "20"))), 201
    )
    quote = partner_a.ok(
        partner_a.post(
            f"/companies/{company}/documents", invoice_body(("1", "1", "20"), kind="quote")
        ),
        201,
    )
    cases: tuple[tuple[int, dict[str, Any], str], ...] = (
        (draft["id"], {}, "status"),
        (quote["id"], {}, "document_id"),
        (invoice["id"], {"paid_on": "2026-03-03"}, "paid_on"),
        (invoice["id"], {"amount": "0"}, "amount"),
        (invoice["id"], {"amount": "-5.00"}, "amount"),
        (invoice["id"], {"amount": "1.001"}, "amount"),
        (invoice["id"], {"means_code": None}, "means_code"),
        (invoice["id"], {"reference": "x" * 5000}, "reference"),
    )
    for document_id, change, field in cases:
        body = {"amount": "10.00", "paid_on": "2026-03-02", "means_code": "58", **change}
        response = partner_a.post(f"/documents/{document_id}/payments", body)
        assert response.status_code == 422, (change, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], (change, response.text)
    # 23:30 UTC on 2 March is already 3 March in Paris.
    clock.now = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)
    partner_a.ok(_pay(partner_a, invoice["id"], "10.00", paid_on="2026-03-03"), 201)
    assert get(partner_a, invoice["id"])["balance"] == "110.00"


def test_payments_and_credits_share_the_balance(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(*ISSUE_12))
    partner_a.ok(_pay(partner_a, invoice["id"], "1011.56"), 201)
    credit = partner_a.ok(
        partner_a.post(
            f"/documents/{invoice['id']}/credit-note", {"lines": [{"index": 0, "quantity": "1"}]}
        ),
        201,
    )
    finalize(partner_a, credit["id"])
    after = get(partner_a, invoice["id"])
    assert after["status"] == "paid"
    assert (after["balance"], after["refund_due"], after["credited_amount"]) == (
        "0.00",
        "0.00",
        "78.00",
    )
    # Crediting the rest of a paid invoice: it is cancelled and the payment is owed back.
    rest = partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/credit-note"), 201)
    finalize(partner_a, rest["id"])
    cancelled = get(partner_a, invoice["id"])
    assert cancelled["status"] == "cancelled"
    assert (cancelled["balance"], cancelled["refund_due"]) == ("0.00", "1011.56")
    refused = _pay(partner_a, invoice["id"], "1.00")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "status"


def test_pay_the_balance(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("2", "50.00", "20")))
    partner_a.ok(_pay(partner_a, invoice["id"], "20.00"), 201)
    paid = partner_a.ok(
        partner_a.post(f"/documents/{invoice['id']}/payment", {"paid_on": "2026-03-01"})
    )
    assert (paid["status"], paid["balance"], paid["paid_amount"]) == ("paid", "0.00", "120.00")
    listed = partner_a.ok(partner_a.get(f"/documents/{invoice['id']}/payments"))["items"]
    assert [(p["amount"], p["paid_on"]) for p in listed] == [
        ("100.00", "2026-03-01"),
        ("20.00", "2026-03-02"),
    ]
    again = partner_a.post(f"/documents/{invoice['id']}/payment", {"paid_on": "2026-03-02"})
    assert again.status_code == 409 and again.json()["code"] == "wrong_status"
