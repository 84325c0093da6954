"""The editor's actions over the live channel: save, finalize, convert, contacts,
hidden buttons."""

from __future__ import annotations

import re

from editor.demo import DemoWorld
from invoicing.model import DocumentKind
from tests.editor.conftest import Mint
from tests.editor.conftest import TestClient as TestClient
from tests.editor.tabs import action, complete_invoice, patch, skipped, tab, until


def test_save_then_finalize_numbers_the_invoice_and_freezes_it(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    with tab(client, mint()) as ws:
        until(ws, "welcome")
        refused = action(ws, "finalize")
        assert not refused["ok"] and refused["code"] == "invalid"
        assert [e["type"] for e in refused["events"]][-1] == "error"

        complete_invoice(ws, world)
        saved = action(ws, "save", 2)
        assert saved["ok"]
        types = [event["type"] for event in saved["events"]]
        assert types[-1] == "document.saved"
        payload = saved["events"][-1]["payload"]
        assert payload["tax_inclusive_amount"] == "204.48"  # (2.5 x 65 + 7.90) x 1.2
        finalized = action(ws, "finalize", 3)
        assert finalized["ok"], finalized
        event = finalized["events"][-1]
        assert event["type"] == "document.finalized"
        assert re.fullmatch(r"F-2026-0001", event["payload"]["number"])
        view = skipped(ws, "welcome")  # every tab shows the issued document, then the result
        assert view["status"] == "finalized" and view["read_only"] == "read_only_issued"
        patch(ws, 8, path="subject", value="too late")
        refused_patch = until(ws, "ack")
        assert refused_patch["outcome"] == "rejected"
        assert "official" not in refused_patch  # nothing changed: no check to run again
        assert [
            a for a in ("record_payment", "credit_note") if f'data-action="{a}"' in view["html"]
        ] == [
            "record_payment",
            "credit_note",
        ]
        credit = action(ws, "credit_note", 4)
        assert credit["ok"] and credit["events"][0]["payload"]["kind"] == "credit_note"
        note = skipped(ws, "welcome")
        assert note["kind"] == "credit_note" and note["read_only"] is None
        assert 'value="F-2026-0001"' in note["html"]  # the corrected invoice


def test_hide_preview_after_save(client: TestClient, mint: Mint) -> None:
    token = mint(hide_preview_after_save=True)
    with tab(client, token) as ws:
        welcome = until(ws, "welcome")
        assert welcome["show_preview"] and 'data-block="preview"' in welcome["html"]
        patch(ws, 1, path="subject", value="x")
        until(ws, "ack")
        assert action(ws, "save")["hide_preview"] is True
    with tab(client, token) as ws:
        welcome = until(ws, "welcome")
        assert not welcome["show_preview"] and 'data-block="preview"' not in welcome["html"]


def test_contacts_are_searched_and_created_inline_unless_the_app_owns_them(
    client: TestClient, mint: Mint
) -> None:
    with tab(client, mint()) as ws:
        until(ws, "welcome")
        ws.send_json({"type": "contacts.search", "id": 1, "query": "boul"})
        found = until(ws, "result")
        assert found["count"] == 1 and "Boulangerie Dupont &amp; Fils" in found["html"]
        ws.send_json(
            {"type": "contact.create", "id": 2, "contact": {"kind": "company", "siren": "12"}}
        )
        refused = until(ws, "result")
        assert not refused["ok"] and {e["field"] for e in refused["errors"]} == {"name", "siren"}
        new = {"kind": "person", "name": "Léa Petit", "address": {"city": "Lyon", "country": "FR"}}
        ws.send_json({"type": "contact.create", "id": 3, "contact": new})
        created = until(ws, "result")
        assert created["ok"] and created["events"][0]["type"] == "contact.created"
        patch(ws, 1, "set_customer", contact_id=created["contact_id"])
        ack = until(ws, "ack")
        assert "Léa Petit" in ack["blocks"]["customer"]
    with tab(client, mint(contacts="app")) as ws:
        welcome = until(ws, "welcome")
        assert 'id="bl-new-contact"' not in welcome["html"]
        ws.send_json({"type": "contact.create", "id": 1, "contact": new})
        assert until(ws, "result")["code"] == "not_available"


def test_hidden_buttons_are_absent_but_required_ones_stay(client: TestClient, mint: Mint) -> None:
    with tab(client, mint(hidden_buttons=frozenset({"save", "preview"}))) as ws:
        welcome = until(ws, "welcome")
        assert 'data-action="save"' in welcome["html"]
        assert 'data-block="preview"' not in welcome["html"]


def test_a_quote_converts_to_an_invoice(client: TestClient, mint: Mint, world: DemoWorld) -> None:
    with tab(client, mint(DocumentKind.QUOTE)) as ws:
        welcome = until(ws, "welcome")
        assert 'data-action="convert"' not in welcome["html"]  # not saved yet
        patch(ws, 1, path="subject", value="Devis cuisine")
        until(ws, "ack")
        saved = action(ws, "save")
        assert 'data-action="convert"' in saved["blocks"]["header"]
        converted = action(ws, "convert", 2)
        assert converted["ok"]
        payload = converted["events"][0]["payload"]
        assert payload["kind"] == "invoice" and payload["source_id"] == saved["document_id"]
        invoice = skipped(ws, "welcome")
        assert invoice["kind"] == "invoice" and 'value="Devis cuisine"' in invoice["html"]
