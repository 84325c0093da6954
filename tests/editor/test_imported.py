"""An imported document opened in the editor: the view receives where its
stated amounts differ from EN 16931 (editor-ux owns how it looks)."""

from __future__ import annotations

from pathlib import Path

from editor.demo import DemoWorld
from invoicing.cii.reader import read_cii
from tests.editor.conftest import Mint
from tests.editor.conftest import TestClient as TestClient
from tests.editor.tabs import patch, tab, until

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "invoicing" / "samples"


def test_an_import_shows_its_amount_warnings_until_its_amounts_are_edited(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    document = read_cii((SAMPLES_DIR / "gross_prices.xml").read_bytes()).imported_document
    document_id = world.backend.add_document(world.company, document)
    with tab(client, mint(document_id=document_id, locale="en")) as ws:
        welcome = until(ws, "welcome")
        html = welcome["html"]
        assert 'class="bl-import" data-import-faithful="true"' in html
        assert "BT-131 line 2: stated 80.00, computed 67.22; likely cause: gross vs net" in html
        assert "175,19" in welcome["html"] or "175.19" in welcome["html"]  # stated, kept

        # The editor cannot write what the file stated.
        patch(ws, 1, path="imported.stated.line_total", value="1.00")
        assert until(ws, "ack")["outcome"] != "applied"

        patch(ws, 2, path="lines[1].quantity", value="2")
        ack = until(ws, "ack")
        assert ack["outcome"] == "applied"
        assert "188.89" in ack["fragments"]["totals"]  # EN 16931 computes it now

    with tab(client, mint(document_id=document_id, locale="fr"), tab_id="tab-two-0002") as ws:
        html = until(ws, "welcome")["html"]
        assert 'data-import-faithful="false"' in html
        assert "Importé puis modifié" in html
