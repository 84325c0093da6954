"""Issue 12's flows through the editor's backend on the service's database (SQLite and
PostgreSQL): refusals said in the session's language, deposits asked on a quote and
the final invoice that deducts them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from editor.backend import ActionRefused, DraftCustomer, NewDeposit, NewPayment
from invoicing.model import Party
from tests.server.documents.flows import assert_official, finalize, get, invoice_body, issue
from tests.server.editor.test_backend import World, world  # noqa: F401


@pytest.mark.parametrize(
    ("locale", "said"),
    [("fr", "il reste au plus 120,00 à payer"), ("en", "at most 120.00 is left to pay")],
)
def test_a_flows_refusal_comes_in_the_sessions_language(
    world: World,  # noqa: F811
    locale: str,
    said: str,
) -> None:
    invoice = issue(world.partner, world.company_id, invoice_body(("1", "100.00", "20")))
    session = world.session(document={"id": invoice["id"]}, options={"locale": locale})
    payment = NewPayment(Decimal("500.00"), dt.date(2026, 3, 2), "30")
    with pytest.raises(ActionRefused) as refused:
        world.run(world.backend.record_payment, session, invoice["id"], payment)
    assert refused.value.code == "payment_refused"
    assert refused.value.message == said
    assert [(e.field, e.message) for e in refused.value.errors] == [("amount", said)]
    assert refused.value.detail == "at most 120.00 is left to pay"  # for the logs


def test_a_deposit_asked_on_a_quote_then_deducted_by_the_final_invoice(
    world: World,  # noqa: F811
) -> None:
    partner = world.partner
    body = invoice_body(("4", "250.00", "20"), kind="quote")
    drafted = partner.ok(partner.post(f"/companies/{world.company_id}/documents", body), 201)
    quote = partner.ok(partner.post(f"/documents/{drafted['id']}/finalize"))
    session = world.session(document={"id": quote["id"]})
    backend = world.backend
    too_much = NewDeposit(quote_id=quote["id"], amount=Decimal("1200.01"))
    with pytest.raises(ActionRefused) as refused:
        world.run(backend.create_deposit, session, too_much)
    assert refused.value.code == "validation_failed"
    assert refused.value.message is not None and "1200,00 à demander" in refused.value.message
    assert [e.field for e in refused.value.errors] == ["amount"]

    asked = world.run(backend.create_deposit, session, NewDeposit(quote["id"], percent=Decimal(30)))
    assert (asked.kind.value, asked.status) == ("deposit_invoice", "draft")
    assert asked.content["payment_term"]["days"] == 30  # the company's term: no BL-DUE-DATE
    assert asked.document_id is not None
    deposit = world.run(backend.finalize, session, asked.document_id)
    assert deposit.number
    assert_official(partner, get(partner, asked.document_id))

    invoice = partner.ok(
        partner.post(
            f"/companies/{world.company_id}/documents", invoice_body(("4", "250.00", "20"))
        ),
        201,
    )
    on_invoice = world.session(document={"id": invoice["id"]})
    open_ones = world.run(backend.deposit_invoices, on_invoice, invoice["id"])
    assert [(d.id, d.amount, d.deducted) for d in open_ones] == [
        (asked.document_id, Decimal("360.00"), False)
    ]
    final = world.run(backend.deduct_deposits, on_invoice, invoice["id"], [asked.document_id])
    assert final.content["prepaid_amount"] == "360.00"
    assert final.content["business_process"].endswith("4")
    assert [p["number"] for p in final.content["preceding_invoices"]] == [deposit.number]
    assert [d.deducted for d in world.run(backend.deposit_invoices, on_invoice, invoice["id"])] == [
        True
    ]
    issued = world.run(backend.finalize, on_invoice, invoice["id"])
    shown = get(partner, invoice["id"])
    assert (issued.status, shown["totals"]["amount_due"]) == ("finalized", "840.00")
    assert_official(partner, shown)
    # Deducted once: another draft no longer sees it.
    other = partner.ok(
        partner.post(f"/companies/{world.company_id}/documents", invoice_body(("1", "9.00", "20"))),
        201,
    )
    assert world.run(backend.deposit_invoices, session, other["id"]) == []


def test_a_draft_deposit_invoice_asks_an_amount_incl_vat(world: World) -> None:  # noqa: F811
    partner = world.partner
    deposit = partner.ok(
        partner.post(f"/companies/{world.company_id}/deposit-invoices", {"amount": "100.00"}),
        201,
    )
    session = world.session(document={"id": deposit["id"]})
    amount = world.run(
        world.backend.set_deposit_amount, session, deposit["id"], Decimal("85.05"), Decimal(20)
    )
    assert [line["net_price"] for line in amount.content["lines"]] in (["70.87"], ["70.88"])
    assert get(partner, deposit["id"])["totals"]["amount_due"] == "85.05"  # BT-114 takes a cent
    invoice = partner.ok(
        partner.post(f"/companies/{world.company_id}/documents", invoice_body(("1", "9.00", "20"))),
        201,
    )
    with pytest.raises(ActionRefused) as refused:
        world.run(
            world.backend.set_deposit_amount, session, invoice["id"], Decimal(10), Decimal(20)
        )
    assert refused.value.code == "wrong_status" and refused.value.message
    assert refused.value.message.startswith("Seule une facture d'acompte brouillon")


def test_a_draft_invoice_is_offered_only_its_customers_issued_deposits(
    world: World,  # noqa: F811
) -> None:
    """Deposits of another customer are neither listed nor deducted, and an invoice
    with no deposit of its customer to deduct does not offer the button."""
    partner, backend = world.partner, world.backend
    person = partner.ok(
        partner.post(
            f"/companies/{world.company_id}/contacts",
            {
                "kind": "person",
                "name": "Paul Durand",
                "address": {
                    "line1": "3 rue des Lilas",
                    "city": "Lyon",
                    "postcode": "69003",
                    "country": "FR",
                },
            },
        ),
        201,
    )
    theirs = partner.ok(
        partner.post(
            f"/companies/{world.company_id}/deposit-invoices",
            {"contact_id": person["id"], "amount": "120.00"},
        ),
        201,
    )
    finalize(partner, theirs["id"])
    body = invoice_body(("4", "250.00", "20"), kind="quote")
    drafted = partner.ok(partner.post(f"/companies/{world.company_id}/documents", body), 201)
    quote = partner.ok(partner.post(f"/documents/{drafted['id']}/finalize"))  # no XML
    ours = partner.ok(
        partner.post(
            f"/companies/{world.company_id}/deposit-invoices",
            {"quote_id": quote["id"], "percent": "30"},
        ),
        201,
    )
    finalize(partner, ours["id"])

    invoice = partner.ok(
        partner.post(
            f"/companies/{world.company_id}/documents", invoice_body(("4", "250.00", "20"))
        ),
        201,
    )
    session = world.session(document={"id": invoice["id"]})
    assert world.run(backend.open_draft, session, invoice["id"]).deposits_to_deduct
    listed = world.run(backend.deposit_invoices, session, invoice["id"])
    assert [d.id for d in listed] == [ours["id"]]
    refused = partner.post(f"/documents/{invoice['id']}/deposits", {"deposit_ids": [theirs["id"]]})
    assert refused.status_code == 422
    assert refused.json()["code"] == "deposit_refused"
    assert [e["field"] for e in refused.json()["errors"]] == ["deposit_ids"]
    with pytest.raises(ActionRefused):
        world.run(backend.deduct_deposits, session, invoice["id"], [theirs["id"]])

    other_body = invoice_body(("1", "80.00", "20"))
    other_body["buyer"] = {
        "name": "Garage Lenoir",
        "private_person": True,
        "address": {
            "line1": "1 place du Marché",
            "city": "Tours",
            "postcode": "37000",
            "country": "FR",
        },
    }
    other = partner.ok(partner.post(f"/companies/{world.company_id}/documents", other_body), 201)
    on_other = world.session(document={"id": other["id"]})
    assert not world.run(backend.open_draft, on_other, other["id"]).deposits_to_deduct
    assert world.run(backend.deposit_invoices, on_other, other["id"]) == []
    # Paul Durand's own invoice (the buyer his contact's) sees his deposit only.
    his_body = invoice_body(("1", "300.00", "20"))
    del his_body["buyer"]
    his = partner.ok(
        partner.post(
            f"/companies/{world.company_id}/documents",
            his_body,
            params={"contact_id": person["id"]},
        ),
        201,
    )
    assert his["document"]["buyer"]["name"] == "Paul Durand"
    on_his = world.session(document={"id": his["id"]})
    assert [d.id for d in world.run(backend.deposit_invoices, on_his, his["id"])] == [theirs["id"]]

    # The form's customer, not the saved one: Garage Lenoir's draft retyped for the
    # first invoice's buyer, or given Paul Durand's contact, lists their deposits.
    typed = Party.model_validate(get(partner, invoice["id"])["document"]["buyer"])
    as_typed = DraftCustomer(None, typed, "EUR")
    listed = world.run(backend.deposit_invoices, on_other, other["id"], as_typed)
    assert [d.id for d in listed] == [ours["id"]]
    paul = DraftCustomer(person["id"], Party.model_validate(his["document"]["buyer"]), "EUR")
    listed = world.run(backend.deposit_invoices, on_other, other["id"], paul)
    assert [d.id for d in listed] == [theirs["id"]]
    assert world.run(backend.deposit_invoices, on_other, other["id"]) == []  # as saved
    # Reopened with its working copy (autosaved) for that buyer: the button is there.
    opened = world.run(backend.open_draft, on_other, other["id"])
    retyped = {**opened.content, "buyer": typed.model_dump(mode="json", exclude_none=True)}
    kept = replace(opened, content=retyped, seq=opened.seq + 1)
    world.run(backend.save_draft, on_other, kept, expected_seq=opened.seq)
    assert world.run(backend.open_draft, on_other, other["id"]).deposits_to_deduct
