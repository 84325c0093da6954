"""One line limit (invoicing.limits.MAX_LINES) in the editor: no patch grows a
draft past it, and a draft stored above it still opens and shows the error."""

from __future__ import annotations

from editor.demo import DemoWorld
from invoicing.limits import MAX_LINES, TOO_MANY_LINES_EN, TOO_MANY_LINES_FR
from invoicing.model import Document, DocumentKind, Line
from tests.editor.conftest import Mint
from tests.editor.conftest import TestClient as TestClient
from tests.editor.tabs import patch, tab, until


def _stored(world: DemoWorld, lines: int) -> int:
    line = Line(name="Pose", quantity="1", net_price="10")
    document = Document(kind=DocumentKind.INVOICE, lines=[line] * lines)
    return world.backend.add_document(world.company, document)


def test_a_draft_at_the_limit_takes_no_more_line(
    client: TestClient, world: DemoWorld, mint: Mint
) -> None:
    document_id = _stored(world, MAX_LINES)
    with tab(client, mint(document_id=document_id, locale="en")) as ws:
        welcome = until(ws, "welcome")
        assert "BL-LINES-MAX" not in {f["rule_id"] for f in welcome["findings"]}
        patch(ws, 1, "add_line")
        ack = until(ws, "ack")
        assert ack["outcome"] == "rejected"
        assert str(MAX_LINES) in ack["error"]
        patch(ws, 2, "remove_line", index=0)
        assert until(ws, "ack")["outcome"] == "applied"
        patch(ws, 3, "add_line")
        assert until(ws, "ack")["outcome"] == "applied"


def test_a_draft_stored_above_the_limit_opens_and_shows_the_error_on_its_field(
    client: TestClient, world: DemoWorld, mint: Mint
) -> None:
    for locale, text in (("fr", TOO_MANY_LINES_FR), ("en", TOO_MANY_LINES_EN)):
        document_id = _stored(world, MAX_LINES + 1)
        with tab(client, mint(document_id=document_id, locale=locale)) as ws:
            welcome = until(ws, "welcome")
            found = [f for f in welcome["findings"] if f["rule_id"] == "BL-LINES-MAX"]
            assert len(found) == 1
            assert found[0]["fields"] == ["lines"] and found[0]["severity"] == "error"
            assert found[0]["message"] == text
            patch(ws, 1, "remove_line", index=0)  # back at the limit: the error goes
            ack = until(ws, "ack")
            assert ack["outcome"] == "applied"
            assert "BL-LINES-MAX" not in {f["rule_id"] for f in ack["findings"]}
