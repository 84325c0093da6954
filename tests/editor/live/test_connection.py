"""The live channel over Starlette's TestClient, against the in-memory backend: hello,
patches and acks, sessions, two tabs, what an update carries."""

from __future__ import annotations

import re

import pytest

from editor.demo import DemoWorld
from tests.editor.conftest import HOST, Clock, Mint, make_app
from tests.editor.conftest import TestClient as TestClient
from tests.editor.tabs import close_code, next_json, patch, tab, until

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


def test_choosing_a_term_rewrites_the_terms_text_in_every_tab(
    client: TestClient, mint: Mint
) -> None:
    """The demo company's default text, "Paiement à 30 jours par virement.", follows the
    term chosen: the writer is told the new text too (its field shows what prints)."""
    token = mint()
    with tab(client, token, "tab-first-001") as first:
        until(first, "welcome")
        with tab(client, token, "tab-second-01") as second:
            until(second, "welcome")
            patch(first, 1, path="payment_term.kind", value="days_end_of_month")
            ack = until(first, "ack")
            said = "Paiement à 30 jours fin de mois par virement."
            assert ack["values"] == {"payment_terms": said}
            assert until(second, "remote")["values"] == {
                "payment_term.kind": "days_end_of_month",
                "payment_terms": said,
            }
            patch(first, 2, path="subject", value="Chantier")
            assert "values" not in until(first, "ack")  # the writer's own typing: never echoed


def test_the_same_tab_reconnecting_replaces_its_old_socket(client: TestClient, mint: Mint) -> None:
    token = mint()
    with tab(client, token, "tab-same-0001") as old:
        until(old, "welcome")
        with tab(client, token, "tab-same-0001") as new:
            assert until(new, "welcome")["read_only"] is None
            assert until(old, "superseded") == {"type": "superseded"}
            assert close_code(old) == 4409


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
