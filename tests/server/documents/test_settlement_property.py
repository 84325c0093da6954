"""Property: whatever sequence of partial credit notes and payments is tried on an
invoice, its balance never goes below zero, no line is credited beyond what was
invoiced, the credits never exceed the amount due, and every credit note issued
passes the official check. Through the API, on SQLite (one engine keeps it quick;
the same code paths run on PostgreSQL in the other tests of this folder)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.documents.flows import amount, finalize, get, invoice_body, issue
from tests.server.helpers import Partner

QUANTITY = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(12), places=2)
PRICE = st.decimals(min_value=Decimal("0.005"), max_value=Decimal(900), places=3)
LINES = st.lists(
    st.tuples(QUANTITY, PRICE, st.sampled_from(["20", "10", "5.5"])), min_size=1, max_size=3
)
STEP = st.one_of(
    st.tuples(
        st.just("credit"), st.integers(0, 2), st.sampled_from(["all", "half", "one", "over"])
    ),
    st.tuples(st.just("pay"), st.sampled_from(["all", "half", "cent", "over"])),
    st.tuples(st.just("rest")),
)


def _credit(partner: Partner, invoice: dict[str, Any], body: dict[str, Any] | None) -> bool:
    response = partner.post(f"/documents/{invoice['id']}/credit-note", body)
    if response.status_code != 201:
        assert response.status_code in {409, 422}, response.text
        return False
    finalize(partner, response.json()["id"])
    return True


def _step(partner: Partner, invoice: dict[str, Any], step: tuple[Any, ...]) -> None:
    shown = get(partner, invoice["id"])
    lines = invoice["document"]["lines"]
    if step[0] == "credit":
        index = step[1] % len(lines)
        left = Decimal(lines[index]["quantity"]) - sum(
            (Decimal(c) for c in _credited(partner, invoice)[index]), Decimal(0)
        )
        quantity = {
            "all": left,
            "half": (left / 2).quantize(Decimal("0.0001")),
            "one": Decimal(1),
            "over": left + Decimal("0.01"),
        }[step[2]]
        if quantity <= 0:
            return
        body: dict[str, Any] = {"lines": [{"index": index, "quantity": str(quantity)}]}
        credited = _credit(partner, invoice, body)
        if step[2] == "over" or quantity > left:
            assert not credited
    elif step[0] == "rest":
        _credit(partner, invoice, None)
    else:
        balance = amount(shown["balance"])
        value = {
            "all": balance,
            "half": (balance / 2).quantize(Decimal("0.01")),
            "cent": Decimal("0.01"),
            "over": balance + Decimal("0.01"),
        }[step[1]]
        payment = {"amount": str(value), "paid_on": "2026-03-02", "means_code": "58"}
        response = partner.post(f"/documents/{invoice['id']}/payments", payment)
        if step[1] == "over" or value <= 0 or value > balance or shown["status"] == "cancelled":
            assert response.status_code == 422, response.text
        else:
            assert response.status_code == 201, response.text


def _credited(partner: Partner, invoice: dict[str, Any]) -> list[list[str]]:
    """Per invoice line, the quantities the issued credit notes took."""
    taken: list[list[str]] = [[] for _ in invoice["document"]["lines"]]
    company = invoice["company_id"]
    listed = partner.ok(
        partner.get(f"/companies/{company}/documents", params={"kind": "credit_note"})
    )["items"]
    for note in listed:
        if note["source_document_id"] == invoice["id"] and note["status"] != "draft":
            for line in note["credited_lines"]:
                taken[line["index"]].append(line["quantity"])
    return taken


def _check(partner: Partner, invoice: dict[str, Any]) -> None:
    shown = get(partner, invoice["id"])
    due = amount(shown["totals"]["amount_due"])
    paid, credited = amount(shown["paid_amount"]), amount(shown["credited_amount"])
    balance = amount(shown["balance"])
    assert balance >= 0
    assert credited <= due
    assert balance == max(due - paid - credited, Decimal(0))
    for line, taken in zip(invoice["document"]["lines"], _credited(partner, invoice), strict=True):
        assert sum((Decimal(q) for q in taken), Decimal(0)) <= Decimal(line["quantity"])
    if shown["status"] == "cancelled":
        assert credited == due
    elif paid > 0:
        assert shown["status"] == ("paid" if balance == 0 else "partially_paid")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=LINES, steps=st.lists(STEP, min_size=1, max_size=6))
def test_no_sequence_of_credits_and_payments_breaks_the_balance(
    partner_a: Partner, lines: list[tuple[Decimal, Decimal, str]], steps: list[tuple[Any, ...]]
) -> None:
    company = partner_a.ok(partner_a.get("/companies"))["items"]
    company_id = company[0]["id"] if company else partner_a.company()["id"]
    body = invoice_body(*[(str(q), str(p), r) for q, p, r in lines])
    invoice = issue(partner_a, company_id, body)
    for step in steps:
        _step(partner_a, invoice, step)
        _check(partner_a, invoice)
