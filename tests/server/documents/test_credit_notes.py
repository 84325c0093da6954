"""Partial credit notes over the API (SQLite and PostgreSQL): bounded per line
and in total, the invoice's credited amount and balance, cancelled only when
fully credited; every credit note issued passes the official check."""

from __future__ import annotations

from server.fec.validator import validate_fec
from tests.server.documents.flows import ISSUE_12, amount, finalize, get, invoice_body, issue
from tests.server.helpers import Partner


def test_a_78_euro_credit_note_leaves_the_invoice_open(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(*ISSUE_12))
    assert invoice["totals"]["amount_due"] == "1089.56"
    assert (invoice["credited_amount"], invoice["balance"]) == ("0.00", "1089.56")
    draft = partner_a.ok(
        partner_a.post(
            f"/documents/{invoice['id']}/credit-note", {"lines": [{"index": 0, "quantity": "1"}]}
        ),
        201,
    )
    assert draft["document"]["preceding_invoices"] == [
        {"number": invoice["number"], "issue_date": invoice["issue_date"]}
    ]
    assert draft["credited_lines"] == [{"index": 0, "quantity": "1"}]
    assert draft["totals"]["amount_due"] == "78.00"
    note = finalize(partner_a, draft["id"])
    assert note["number"] == "A-2026-00001"
    after = get(partner_a, invoice["id"])
    assert after["status"] == "finalized"
    assert (after["credited_amount"], after["balance"]) == ("78.00", "1011.56")
    second = partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/credit-note"), 201)
    assert second["credited_lines"] == [{"index": 1, "quantity": "1"}]
    assert second["totals"]["amount_due"] == "1011.56"
    finalize(partner_a, second["id"])
    cancelled = get(partner_a, invoice["id"])
    assert cancelled["status"] == "cancelled"
    assert (cancelled["credited_amount"], cancelled["balance"]) == ("1089.56", "0.00")
    again = partner_a.post(f"/documents/{invoice['id']}/credit-note")
    assert again.status_code == 409 and again.json()["code"] == "wrong_status"


def test_credits_never_exceed_what_was_invoiced(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("3", "10.00", "20"), ("2", "5.00", "20")))
    path = f"/documents/{invoice['id']}/credit-note"
    finalize(
        partner_a,
        partner_a.ok(partner_a.post(path, {"lines": [{"index": 0, "quantity": "2"}]}), 201)["id"],
    )
    two = [{"index": 1, "quantity": "1"}, {"index": 0, "quantity": "1.5"}]
    refused = partner_a.post(path, {"lines": two})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "credit_exceeds_invoice"
    assert problem["errors"] == [
        {"field": "lines[1].quantity", "message": "at most 1 left to credit on line 0"}
    ]
    french = partner_a.post(path, {"lines": two}, headers={"Accept-Language": "fr"}).json()
    assert french["errors"] == [
        {"field": "lines[1].quantity", "message": "il reste au plus 1 à créditer sur la ligne 0"}
    ]
    assert french["left_to_credit"] == problem["left_to_credit"]
    assert problem["left_to_credit"]["lines"] == [
        {"index": 0, "quantity": "1"},
        {"index": 1, "quantity": "2"},
    ]
    for body, field in (
        ({"lines": [{"index": 2, "quantity": "1"}]}, "lines[0].index"),
        ({"lines": [{"index": 1, "quantity": "1"}] * 2}, "lines[1].index"),
        ({"lines": [{"index": 0, "quantity": "0"}]}, "lines.0.quantity"),
        ({"lines": [{"index": 0, "quantity": "-1"}]}, "lines.0.quantity"),
        ({"lines": []}, "lines"),
        ({"lines": [{"index": 0, "quantity": "1", "price": "1"}]}, "lines.0.price"),
    ):
        response = partner_a.post(path, body)
        assert response.status_code == 422, (body, response.text)
        fields = [e["field"].replace("[", ".").replace("]", "") for e in response.json()["errors"]]
        assert field.replace("[", ".").replace("]", "") in fields, (body, fields)
    # Two drafts for the same rest: the second is refused at finalization, nothing changes.
    first = partner_a.ok(partner_a.post(path), 201)
    second = partner_a.ok(partner_a.post(path), 201)
    finalize(partner_a, first["id"])
    late = partner_a.post(f"/documents/{second['id']}/finalize")
    assert late.status_code in {409, 422}, late.text
    assert late.json()["code"] in {"credit_exceeds_invoice", "wrong_status"}
    assert get(partner_a, second["id"])["status"] == "draft"
    final = get(partner_a, invoice["id"])
    assert final["status"] == "cancelled"
    assert final["credited_amount"] == final["totals"]["amount_due"]


def test_a_credit_note_draft_keeps_its_lines(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("4", "25.00", "20")))
    draft = partner_a.ok(
        partner_a.post(
            f"/documents/{invoice['id']}/credit-note", {"lines": [{"index": 0, "quantity": "1"}]}
        ),
        201,
    )
    content = draft["document"]
    for change in ({"quantity": "4"}, {"net_price": "99.00"}):
        edited = {**content, "lines": [{**content["lines"][0], **change}]}
        refused = partner_a.put(f"/documents/{draft['id']}", edited)
        assert refused.status_code == 422 and refused.json()["code"] == "credit_note_changed"
    unlinked = {**content, "preceding_invoices": []}
    assert partner_a.put(f"/documents/{draft['id']}", unlinked).status_code == 422
    noted = {**content, "subject": "Retour d'un article"}
    partner_a.ok(partner_a.put(f"/documents/{draft['id']}", noted))
    issued = finalize(partner_a, draft["id"])
    assert issued["totals"]["amount_due"] == "30.00"
    assert get(partner_a, invoice["id"])["balance"] == "90.00"


def test_rounding_never_over_credits(partner_a: Partner) -> None:
    """Sub-cent prices: crediting one unit at a time rounds each credit note up;
    the credit note that takes the rest lands exactly on what is left (BT-114)."""
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("3", "0.125", "20"), ("1", "0.335", "5.5")))
    path = f"/documents/{invoice['id']}/credit-note"
    for _ in range(2):
        one = partner_a.ok(partner_a.post(path, {"lines": [{"index": 0, "quantity": "1"}]}), 201)
        finalize(partner_a, one["id"])
    rest = partner_a.ok(partner_a.post(path), 201)
    finalize(partner_a, rest["id"])
    final = get(partner_a, invoice["id"])
    assert final["status"] == "cancelled"
    assert amount(final["credited_amount"]) == amount(invoice["totals"]["amount_due"])
    assert get(partner_a, rest["id"])["document"]["rounding_amount"] not in (None, "0.00")
    fec = partner_a.get(
        f"/companies/{company}/exports/fec", params={"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert fec.status_code == 200, fec.text
    text = fec.content.decode()
    assert validate_fec(text) == []
    assert "\t758\t" in text or "\t658\t" in text  # the rounding amount is booked
