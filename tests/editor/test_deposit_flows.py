"""'Déduire des acomptes' follows the customer as the form has it (typed or chosen,
saved or not): the button comes and goes with it, and the dialog lists that
customer's deposits, not the last saved customer's."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from editor.backend import NewDeposit
from editor.demo import DemoWorld
from invoicing.model import DocumentKind
from invoicing.samples import demo_invoice
from tests.editor.conftest import Mint
from tests.editor.conftest import TestClient as TestClient
from tests.editor.tabs import patch, tab, until

DEDUCT = 'data-action="deduct_deposits"'


def _issued_deposit(world: DemoWorld, mint: Mint) -> str:
    """A deposit invoice issued to the demo invoice's buyer; its number."""
    backend = world.backend
    session = asyncio.run(backend.resolve_session(mint()))
    quote = demo_invoice(2).model_copy(update={"kind": DocumentKind.QUOTE, "number": "D-1"})
    quote_id = backend.add_document(world.company, quote, status="finalized")
    asked = asyncio.run(backend.create_deposit(session, NewDeposit(quote_id, percent=Decimal(30))))
    assert asked.document_id is not None
    issued = asyncio.run(backend.finalize(session, asked.document_id))
    assert issued.number
    return issued.number


def _another_customers_invoice(world: DemoWorld) -> int:
    invoice = demo_invoice(2).model_copy(update={"number": None, "issue_date": None})
    buyer = invoice.buyer.model_copy(
        update={"name": "Garage Lenoir", "siren": None, "siret": None, "vat_id": None}
    )
    return world.backend.add_document(world.company, invoice.model_copy(update={"buyer": buyer}))


def _header(ws: Any) -> str:
    """The header block the next remote update carries."""
    for _ in range(20):
        message = until(ws, "remote")
        if "header" in message.get("blocks", {}):
            return str(message["blocks"]["header"])
    raise AssertionError("no header block")


def _deduct_options(ws: Any, request: int) -> list[str]:
    ws.send_json(
        {"type": "action", "id": request, "action": "options", "params": {"for": "deduct_deposits"}}
    )
    result = until(ws, "result")
    assert result["ok"], result
    return [deposit["label"] for deposit in result["deposits"]]


def test_the_deduct_button_and_dialog_follow_the_customer_as_typed(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    number = _issued_deposit(world, mint)
    their_name = demo_invoice(2).buyer.name
    invoice_id = _another_customers_invoice(world)
    with tab(client, mint(document_id=invoice_id)) as ws:
        welcome = until(ws, "welcome")
        assert DEDUCT not in welcome["html"]  # Garage Lenoir has no deposit
        patch(ws, 1, path="buyer.name", value=their_name)
        assert until(ws, "ack")["outcome"] == "applied"
        # Not saved with "save": the customer typed is the one asked about.
        assert DEDUCT in _header(ws)
        assert [number in label for label in _deduct_options(ws, 2)] == [True]
        patch(ws, 2, path="buyer.name", value="Garage Lenoir")
        assert until(ws, "ack")["outcome"] == "applied"
        assert DEDUCT not in _header(ws)
