"""The in-memory backend behaves as the service must: scoped, compare-and-set, gapless."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Coroutine
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from editor.backend import (
    ActionRefused,
    DraftConflict,
    NewContact,
    NewDeposit,
    NotFound,
    SessionInvalid,
)
from editor.demo import DemoWorld, demo_world
from editor.parent_origin import ParentOrigins
from invoicing.model import DocumentKind, Party
from invoicing.totals import compute_totals
from tests.editor.conftest import HOST, KEYS, Mint, TestClient

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def test_drafts_are_saved_by_compare_and_set_on_the_patch_number(
    world: DemoWorld, mint: Mint
) -> None:
    backend = world.backend
    session = run(backend.resolve_session(mint()))
    draft = run(backend.open_draft(session))
    assert draft.document_id is None and draft.content["seller"]["name"] == "Atelier Blanc SARL"
    stored = run(backend.save_draft(session, dataclasses.replace(draft, seq=3), expected_seq=0))
    assert stored.document_id is not None and stored.seq == 3
    again = run(backend.open_draft(session))  # the same session finds its new document
    assert again.document_id == stored.document_id
    with pytest.raises(DraftConflict):
        run(backend.save_draft(session, dataclasses.replace(stored, seq=4), expected_seq=2))
    run(backend.save_draft(session, dataclasses.replace(stored, seq=4), expected_seq=3))


def test_everything_is_scoped_to_the_sessions_company(world: DemoWorld, mint: Mint) -> None:
    backend = world.backend
    other = backend.add_company(Party(name="Autre SARL"))
    other_user = backend.add_user(other)
    stranger = backend.add_contact(other, NewContact(kind="person", name="X"))
    session = run(backend.resolve_session(mint()))
    with pytest.raises(NotFound):
        run(backend.contact(session, stranger.id))
    foreign = backend.mint(
        company=other, user_id=world.user_id, parent_origin=HOST, new_kind=DocumentKind.INVOICE
    )
    with pytest.raises(SessionInvalid):  # a user of another company
        run(backend.resolve_session(foreign))
    assert other_user != world.user_id
    assert [c.name for c in run(backend.search_contacts(session, "", 10))] == [
        "Boulangerie Dupont & Fils",
        "Camille Martin",
        "Garage des Lilas",
    ]


def test_finalization_numbers_without_gaps_and_refuses_twice(world: DemoWorld, mint: Mint) -> None:
    from invoicing.samples import demo_invoice

    backend = world.backend
    session = run(backend.resolve_session(mint()))
    numbers = []
    for _ in range(3):
        document = demo_invoice(2).model_copy(update={"number": None, "issue_date": None})
        document_id = backend.add_document(world.company, document)
        numbers.append(run(backend.finalize(session, document_id)).number)
    year = backend.clock().year
    assert numbers == [f"F-{year}-0001", f"F-{year}-0002", f"F-{year}-0003"]
    with pytest.raises(ActionRefused):
        run(backend.finalize(session, document_id))


def test_parent_origins_are_signed_and_keys_rotate() -> None:
    old = ParentOrigins(KEYS)
    signed = old.sign(HOST)
    assert old.read(signed) == HOST
    rotated = ParentOrigins(("a-new-key-0123456789", *KEYS))
    assert rotated.read(signed) == HOST
    assert ParentOrigins(("another-key-entirely",)).read(signed) is None
    assert old.read(signed + "x") is None
    with pytest.raises(ValueError):
        old.sign("https://x.example/path")
    url = old.editor_url("https://blanche.example/", HOST, "tok")
    assert url.startswith("https://blanche.example/editor?p=") and url.endswith("#t=tok")


def test_the_demo_world_has_a_valid_seller() -> None:
    world = demo_world(KEYS)
    assert world.company.seller.siren == "732829320"


def test_a_deposit_on_a_quote_is_deducted_by_a_draft_invoice(world: DemoWorld, mint: Mint) -> None:
    from invoicing.samples import demo_invoice

    backend = world.backend
    session = run(backend.resolve_session(mint()))
    quote = demo_invoice(2).model_copy(update={"kind": DocumentKind.QUOTE, "number": "D-1"})
    quote_id = backend.add_document(world.company, quote, status="finalized")
    whole = compute_totals(quote).tax_inclusive_total
    with pytest.raises(ActionRefused) as refused:
        run(backend.create_deposit(session, NewDeposit(quote_id, amount=whole + 1)))
    assert [e.field for e in refused.value.errors] == ["amount"]
    asked = run(backend.create_deposit(session, NewDeposit(quote_id, percent=Decimal(30))))
    assert asked.document_id is not None and asked.kind is DocumentKind.DEPOSIT_INVOICE
    deposit = run(backend.finalize(session, asked.document_id))
    invoice = demo_invoice(2).model_copy(update={"number": None, "issue_date": None})
    invoice_id = backend.add_document(world.company, invoice)
    [shown] = run(backend.deposit_invoices(session, invoice_id))
    assert (shown.number, shown.deducted) == (deposit.number, False)
    assert run(backend.open_draft(session, invoice_id)).deposits_to_deduct
    buyer = invoice.buyer.model_copy(update={"name": "Garage Lenoir", "siren": None, "siret": None})
    another = invoice.model_copy(update={"buyer": buyer.model_copy(update={"vat_id": None})})
    another_id = backend.add_document(world.company, another)  # another customer's invoice
    assert run(backend.deposit_invoices(session, another_id)) == []
    assert not run(backend.open_draft(session, another_id)).deposits_to_deduct
    final = run(backend.deduct_deposits(session, invoice_id, [asked.document_id]))
    assert Decimal(final.content["prepaid_amount"]) == shown.amount
    assert final.content["business_process"].endswith("4")
    assert [p["number"] for p in final.content["preceding_invoices"]] == [deposit.number]
    with pytest.raises(ActionRefused):  # a deposit is deducted once
        run(
            backend.deduct_deposits(
                session, backend.add_document(world.company, invoice), [asked.document_id]
            )
        )


def test_signed_links_serve_the_pdf_and_the_xml_of_their_document_only(
    world: DemoWorld, mint: Mint, client: TestClient
) -> None:
    from invoicing.samples import demo_invoice

    backend = world.backend
    session = run(backend.resolve_session(mint()))
    document = demo_invoice(2).model_copy(update={"number": None, "issue_date": None})
    document_id = backend.add_document(world.company, document)
    number = run(backend.finalize(session, document_id)).number
    pdf = client.get(run(backend.pdf_url(session, document_id)))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
    xml = client.get(run(backend.xml_url(session, document_id)))
    assert xml.status_code == 200 and b"CrossIndustryInvoice" in xml.content
    assert xml.headers["content-disposition"] == f'attachment; filename="{number}.xml"'
    tampered = run(backend.pdf_url(session, document_id))[:-3] + "xyz"
    assert client.get(tampered).status_code == 410
    del backend.documents[document_id]
    assert client.get(xml.url).status_code == 404


def test_a_quote_issued_without_validity_date_is_valid_30_days(
    world: DemoWorld, mint: Mint
) -> None:
    from invoicing.samples import demo_invoice

    backend = world.backend
    session = run(backend.resolve_session(mint()))
    quote = demo_invoice(1).model_copy(
        update={"kind": DocumentKind.QUOTE, "number": None, "issue_date": None, "due_date": None}
    )
    issued = run(backend.finalize(session, backend.add_document(world.company, quote)))
    today = backend.clock().date()
    assert issued.content["due_date"] == (today + dt.timedelta(days=30)).isoformat()
