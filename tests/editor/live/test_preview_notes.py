"""A draft's preview prints what issuing will: once a private person is chosen as the
customer, the company's B2B-only legal notes (the 40 € recovery indemnity, the late
payment penalties) leave the preview at once, as they leave the issued invoice; they
come back for a business customer. Notes the user typed stay."""

from __future__ import annotations

from editor.demo import DemoWorld
from tests.editor.conftest import Mint, TestClient
from tests.editor.tabs import patch, tab, until

INDEMNITY = "Indemnité forfaitaire pour frais de recouvrement"
PENALTIES = "Pénalités de retard"
DISCOUNT = "Pas d&#39;escompte"


def _contact(world: DemoWorld, kind: str) -> int:
    return next(c.id for _, c in world.backend.contacts.values() if c.kind == kind)


def test_choosing_a_private_customer_drops_the_b2b_notes_from_the_preview(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    with tab(client, mint()) as ws:
        welcome = until(ws, "welcome")
        assert INDEMNITY in welcome["preview"] and PENALTIES in welcome["preview"]
        patch(ws, 1, "set_customer", contact_id=_contact(world, "person"))
        until(ws, "ack")
        private = until(ws, "preview")["html"]
        assert INDEMNITY not in private and PENALTIES not in private
        assert DISCOUNT in private  # not a B2B-only mention
        patch(ws, 2, path="notes[3].text", value="Pénalités de retard : voir nos CGV.")
        patch(ws, 3, path="notes[3].subject", value="PMD")
        while until(ws, "ack")["seq"] != 3:
            pass
        typed = until(ws, "preview")["html"]
        assert "voir nos CGV" in typed  # the user's own note is printed
        patch(ws, 4, "set_customer", contact_id=_contact(world, "company"))
        until(ws, "ack")
        business = until(ws, "preview")["html"]
        assert INDEMNITY in business and PENALTIES in business
