"""The live channel over Starlette's TestClient, against the in-memory backend."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import pytest

from editor.demo import DemoWorld
from invoicing.model import DocumentKind
from tests.editor.conftest import HOST, Clock, Mint, make_app
from tests.editor.conftest import TestClient as TestClient

Socket = Any


def receive(ws: Socket, timeout: float = 10.0) -> dict[str, Any]:
    """The next frame (a failing test times out instead of hanging)."""

    async def get() -> dict[str, Any]:
        with anyio.fail_after(timeout):
            message: dict[str, Any] = await ws._send_rx.receive()
            return message

    frame: dict[str, Any] = ws.portal.call(get)
    return frame


def next_json(ws: Socket, timeout: float = 10.0) -> dict[str, Any]:
    frame = receive(ws, timeout)
    assert frame["type"] == "websocket.send", frame

    message: dict[str, Any] = json.loads(frame["text"])
    return message


SKIPPED: dict[int, list[dict[str, Any]]] = {}


def until(ws: Socket, kind: str, timeout: float = 10.0) -> dict[str, Any]:
    """Skip messages until one of `kind` (pushes like preview come in between);
    the skipped ones are kept in SKIPPED[id(ws)]."""
    skipped = SKIPPED.setdefault(id(ws), [])
    for _ in range(200):
        message = next_json(ws, timeout)
        if message["type"] == kind:
            return message
        skipped.append(message)
    raise AssertionError(f"no {kind}")


def skipped(ws: Socket, kind: str) -> dict[str, Any]:
    """The last message of `kind` that `until` skipped."""
    return [m for m in SKIPPED[id(ws)] if m["type"] == kind][-1]


def close_code(ws: Socket) -> int:
    for _ in range(50):
        frame = receive(ws)
        if frame["type"] == "websocket.close":
            return int(frame.get("code", 1000))
    raise AssertionError("not closed")


@contextmanager
def tab(
    client: TestClient, token: str, tab_id: str = "tab-one-0001", **hello: Any
) -> Iterator[Any]:
    with client.websocket_connect("/editor/ws") as ws:
        ws.send_json({"type": "hello", "token": token, "tab": tab_id, **hello})
        yield ws


def patch(ws: Socket, seq: int, op: str = "set", **fields: Any) -> None:
    ws.send_json({"type": "patch", "seq": seq, "op": op, **fields})


# --- the page ----------------------------------------------------------------------------


def test_the_page_is_framed_by_its_parent_origin_only_and_runs_no_inline_script(
    client: TestClient,
) -> None:
    standalone = client.get("/editor")
    assert standalone.status_code == 200
    csp = standalone.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert standalone.headers["referrer-policy"] == "no-referrer"
    html = standalone.text
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html

    editor = client.app.state.editor  # type: ignore[attr-defined]
    signed = editor.parent_origins.sign(HOST)
    framed = client.get("/editor", params={"p": signed})
    assert f"frame-ancestors {HOST};" in framed.headers["content-security-policy"]
    assert f'data-parent-origin="{HOST}"' in framed.text
    forged = client.get("/editor", params={"p": signed[:-2] + "xx"})
    assert forged.status_code == 400


def test_static_files_have_hashed_names_and_a_long_cache(client: TestClient) -> None:
    page = client.get("/editor").text
    script = re.search(r'src="(/editor/static/editor\.[0-9a-f]{12}\.js)"', page)
    assert script is not None
    response = client.get(script.group(1))
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert (
        client.get(script.group(1), headers={"if-none-match": response.headers["etag"]}).status_code
        == 304
    )
    assert client.get("/editor/static/editor.000000000000.js").status_code == 404
    editor = client.app.state.editor  # type: ignore[attr-defined]
    assert editor.assets.page_weight() <= 30 * 1024


# --- hello, patches, acks ----------------------------------------------------------------


def test_legal_notes_are_labelled_in_words_not_codes(client: TestClient, mint: Mint) -> None:
    with tab(client, mint()) as ws:
        html = until(ws, "welcome")["html"]
    assert "Mention (pénalités de retard)" in html
    assert "(PMD)" not in html and "(PMT)" not in html


def test_hello_then_a_patch_is_acknowledged_with_fragments_and_findings(
    client: TestClient, mint: Mint
) -> None:
    with tab(client, mint()) as ws:
        welcome = until(ws, "welcome")
        assert welcome["seq"] == 0 and welcome["read_only"] is None
        assert 'data-block="lines"' in welcome["html"]
        assert welcome["parent_origin"] == HOST
        assert "Atelier Blanc SARL" in welcome["preview"]  # the seller, from the company

        patch(ws, 1, "add_line")
        ack = until(ws, "ack")
        assert ack["seq"] == 1 and ack["outcome"] == "applied"
        assert 'data-path="lines[0].quantity"' in ack["blocks"]["lines"]
        assert any(f["fields"] == ["lines[0].name"] for f in ack["findings"])

        patch(ws, 2, path="lines[0].net_price", value="65,5")
        ack = until(ws, "ack")
        assert "78,60" in ack["fragments"]["totals"]  # 65.50 + 20 % VAT
        assert ack["line_amounts"] == ["65,50\xa0€"]

        patch(ws, 3, path="lines[0].quantity", value="2,x")
        ack = until(ws, "ack")
        quantity = [f for f in ack["findings"] if f["fields"] == ["lines[0].quantity"]]
        assert quantity and quantity[0]["severity"] == "error"
        assert "lines[0].quantity" not in quantity[0]["message"]  # the label says it

        patch(ws, 4, path="lines[0].name", value="<b>Intervention</b>")
        ack = until(ws, "ack")
        assert not any(f["fields"] == ["lines[0].name"] for f in ack["findings"])
        preview = until(ws, "preview")
        assert "&lt;b&gt;Intervention&lt;/b&gt;" in preview["html"]
        assert "<b>Intervention" not in preview["html"]


def test_resent_patches_apply_once_and_a_gap_is_refused(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    token = mint()
    with tab(client, token) as ws:
        until(ws, "welcome")
        patch(ws, 1, "add_line")
        patch(ws, 2, path="lines[0].name", value="A")
        assert until(ws, "ack")["seq"] == 1
        assert until(ws, "ack")["seq"] == 2
        patch(ws, 1, "add_line")
        assert until(ws, "ack") == {"type": "ack", "seq": 2, "outcome": "duplicate"}
        patch(ws, 4, path="lines[0].name", value="D")
        assert until(ws, "nack") == {"type": "nack", "expected": 3}
        until(ws, "saved")
    # Reconnect (a reload) resending everything unsaved, plus one new patch.
    pending = [
        {"type": "patch", "seq": 1, "op": "add_line"},
        {"type": "patch", "seq": 2, "op": "set", "path": "lines[0].name", "value": "A"},
        {"type": "patch", "seq": 3, "op": "add_line"},
    ]
    with tab(client, token, pending=pending, last_seq=3, has_form=True) as ws:
        welcome = until(ws, "welcome")
        assert welcome["seq"] == 3
        assert "html" not in welcome  # the tab's form is already current
        until(ws, "saved")
    stored = world.backend.documents[welcome["document_id"]]
    assert stored.seq == 3
    assert [line.get("name") for line in stored.draft_content["lines"]] == ["A", None]


def test_a_reload_restores_the_autosaved_draft(client: TestClient, mint: Mint) -> None:
    token = mint()
    with tab(client, token) as ws:
        until(ws, "welcome")
        patch(ws, 1, path="subject", value="Rénovation cuisine")
        saved = until(ws, "saved")
        assert saved["seq"] == 1
        assert saved["events"][0]["type"] == "document.created"
    with tab(client, token) as ws:
        welcome = until(ws, "welcome")
        assert welcome["seq"] == 1 and welcome["saved_seq"] == 1
        assert 'value="Rénovation cuisine"' in welcome["html"]


# --- sessions ------------------------------------------------------------------------------


def test_an_expired_token_is_told_and_closed(client: TestClient, mint: Mint, clock: Clock) -> None:
    token = mint()
    clock.advance(3601)
    with tab(client, token) as ws:
        assert next_json(ws)["type"] == "session.expired"
        assert close_code(ws) == 4440
    english = mint(locale="en")
    clock.advance(3601)
    with tab(client, english) as ws:
        assert next_json(ws)["message"].startswith("Your editing session has expired")


def test_a_session_expiring_while_open_is_closed_at_the_next_message(
    client: TestClient, mint: Mint, clock: Clock
) -> None:
    with tab(client, mint()) as ws:
        until(ws, "welcome")
        clock.advance(3601)
        ws.send_json({"type": "ping"})
        expired = until(ws, "session.expired")
        assert expired["message"].startswith("Votre session d'édition a expiré")
        assert close_code(ws) == 4440


def test_a_forged_token_or_another_parent_is_refused(client: TestClient, mint: Mint) -> None:
    with tab(client, mint()[:-3] + "abc") as ws:
        assert next_json(ws) == {"type": "error", "code": "invalid_session"}
        assert close_code(ws) == 4401
    with tab(client, mint(), parent="https://evil.example") as ws:
        assert next_json(ws)["code"] == "wrong_parent_origin"
        assert close_code(ws) == 4403


# --- two tabs ------------------------------------------------------------------------------


def test_a_second_tab_is_read_only_sees_changes_and_takes_over_when_the_first_leaves(
    client: TestClient, mint: Mint
) -> None:
    token = mint()
    with tab(client, token, "tab-first-001") as first:
        until(first, "welcome")
        with tab(client, token, "tab-second-01") as second:
            welcome = until(second, "welcome")
            assert welcome["read_only"] == "read_only_other_tab"
            assert '<fieldset class="bl-fields" id="bl-fields" disabled>' in welcome["html"]
            patch(second, 1, path="subject", value="ignored")
            assert until(second, "read_only")["reason"] == "read_only_other_tab"

            patch(first, 1, path="subject", value="Chantier")
            until(first, "ack")
            remote = until(second, "remote")
            assert remote["values"] == {"subject": "Chantier"}
            first.close()
            promoted = until(second, "welcome")
            assert promoted["read_only"] is None and promoted["seq"] == 1
            patch(second, 2, path="subject", value="Chantier 2")
            assert until(second, "ack")["outcome"] == "applied"


def test_the_same_tab_reconnecting_replaces_its_old_socket(client: TestClient, mint: Mint) -> None:
    token = mint()
    with tab(client, token, "tab-same-0001") as old:
        until(old, "welcome")
        with tab(client, token, "tab-same-0001") as new:
            assert until(new, "welcome")["read_only"] is None
            assert until(old, "superseded") == {"type": "superseded"}
            assert close_code(old) == 4409


# --- actions -------------------------------------------------------------------------------


def _complete_invoice(ws: Socket, world: DemoWorld) -> int:
    """Customer, two lines, operation category: a valid invoice. Returns the last seq."""
    contact = next(c for _, c in world.backend.contacts.values() if c.siren == "552100554")
    product = next(p for _, p in world.backend.products.values() if p.unit == "HUR")
    patch(ws, 1, "set_customer", contact_id=contact.id)
    patch(ws, 2, "add_line", product_id=product.id)
    patch(ws, 3, path="lines[0].quantity", value="2,5")
    patch(ws, 4, "add_line")
    patch(ws, 5, path="lines[1].name", value="Câble")
    patch(ws, 6, path="lines[1].net_price", value="7,90")
    patch(ws, 7, path="business_process", value="M1")
    for seq in range(1, 8):
        assert until(ws, "ack")["seq"] == seq
    return 7


def action(ws: Socket, name: str, request: int = 1) -> dict[str, Any]:
    ws.send_json({"type": "action", "id": request, "action": name})
    return until(ws, "result")


def test_save_then_finalize_numbers_the_invoice_and_freezes_it(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    with tab(client, mint()) as ws:
        until(ws, "welcome")
        refused = action(ws, "finalize")
        assert not refused["ok"] and refused["code"] == "invalid"
        assert [e["type"] for e in refused["events"]][-1] == "error"

        _complete_invoice(ws, world)
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


@pytest.mark.parametrize("message", ['{"type":"patch","seq":"1"}', "[1]", "not json"])
def test_protocol_errors_close_the_socket(client: TestClient, mint: Mint, message: str) -> None:
    with tab(client, mint()) as ws:
        until(ws, "welcome")
        ws.send_text(message)
        assert until(ws, "error")["code"] == "protocol"
        assert close_code(ws) == 4400


def test_two_processes_writing_one_draft_the_second_becomes_read_only(
    client: TestClient, world: DemoWorld, clock: Clock, mint: Mint
) -> None:
    with tab(client, mint(), "tab-proc-one1") as first:
        until(first, "welcome")
        patch(first, 1, path="subject", value="un")
        document_id = until(first, "saved")["document_id"]
    by_id = mint(document_id=document_id)
    # Two app instances on one storage, like two processes behind a load balancer.
    with (
        TestClient(make_app(world, clock)) as one,
        TestClient(make_app(world, clock)) as two,
        tab(one, by_id, "tab-proc-aaaa") as a,
        tab(two, by_id, "tab-proc-bbbb") as b,
    ):
        assert until(a, "welcome")["read_only"] is None
        assert until(b, "welcome")["read_only"] is None  # neither knows the other yet
        patch(a, 2, path="subject", value="deux")
        until(a, "saved")
        patch(b, 2, path="subject", value="autre")
        assert until(b, "read_only")["reason"] == "read_only_other_tab"
    assert world.backend.documents[document_id].draft_content["subject"] == "deux"


def test_a_new_draft_once_stored_is_the_same_live_draft_for_a_session_naming_it(
    client: TestClient, mint: Mint
) -> None:
    with tab(client, mint(), "tab-new-00001") as first:
        until(first, "welcome")
        patch(first, 1, path="subject", value="Nouveau")
        document_id = until(first, "saved")["document_id"]
        with tab(client, mint(document_id=document_id), "tab-other-001") as second:
            welcome = until(second, "welcome")
            assert welcome["read_only"] == "read_only_other_tab"
            assert 'value="Nouveau"' in welcome["html"]


def test_an_update_carries_only_what_changed_for_that_tab(client: TestClient, mint: Mint) -> None:
    with tab(client, mint()) as ws:
        until(ws, "welcome")
        patch(ws, 1, "add_line")
        first = until(ws, "ack")  # a new line at 0: the totals stay as they were
        assert "totals" not in first["fragments"] and "lines" in first["blocks"]
        assert first["line_amounts"] == ["0,00\xa0€"]
        patch(ws, 2, path="lines[0].net_price", value="100")
        priced = until(ws, "ack")
        assert "120,00" in priced["fragments"]["totals"]
        assert priced["line_amounts"] == ["100,00\xa0€"]
        patch(ws, 3, path="lines[0].name", value="Pose")  # no amount moves
        named = until(ws, "ack")
        assert "totals" not in named.get("fragments", {})
        assert "vat" not in named.get("fragments", {})
        assert "line_amounts" not in named
        assert "findings" in named  # the missing name was a finding
        patch(ws, 4, path="lines[0].name", value="Pose de carrelage")
        renamed = until(ws, "ack")
        assert "fragments" not in renamed and "findings" not in renamed
        patch(ws, 5, path="lines[0].quantity", value="2")
        doubled = until(ws, "ack")
        assert "240,00" in doubled["fragments"]["totals"]
        assert doubled["line_amounts"] == ["200,00\xa0€"]


def test_lines_rendered_again_show_their_own_values_wherever_they_moved(
    client: TestClient, mint: Mint
) -> None:
    with tab(client, mint()) as ws:
        until(ws, "welcome")
        seq = 0
        for name in ("Alpha", "Beta", "Gamma"):
            patch(ws, seq := seq + 1, "add_line")
            patch(ws, seq := seq + 1, path=f"lines[{seq // 2 - 1}].name", value=name)
        for _ in range(seq):
            until(ws, "ack")
        patch(ws, seq := seq + 1, "move_line", index=0, to=2)
        block = until(ws, "ack")["blocks"]["lines"]
        names = re.findall(r'data-path="lines\[(\d)\]\.name"[^>]*value="([^"]*)"', block)
        assert names == [("0", "Beta"), ("1", "Gamma"), ("2", "Alpha")]
        assert block.count('data-line-op="up" aria-label') == 3
        assert 'data-line-op="up" aria-label="Monter la ligne 1" disabled' in block
        patch(ws, seq := seq + 1, "remove_line", index=1)
        block = until(ws, "ack")["blocks"]["lines"]
        names = re.findall(r'data-path="lines\[(\d)\]\.name"[^>]*value="([^"]*)"', block)
        assert names == [("0", "Beta"), ("1", "Alpha")]
        assert 'data-line-op="down" aria-label="Descendre la ligne 2" disabled' in block
