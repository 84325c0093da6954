"""A keystroke makes no reference cycle: what it allocates goes by reference
counting, which is what lets the service run its collector rarely
(server/process_tuning.py)."""

from __future__ import annotations

import asyncio
import gc
from typing import cast

from starlette.websockets import WebSocket

from editor.demo import demo_world
from editor.live.connection import Connection, utcnow
from editor.parent_origin import ParentOrigins
from editor.routes import Editor
from invoicing.model import DocumentKind

KEYS = ("no-cycles-signing-key-0123456789abcdef",)


class _Tab:
    """Where the connection's pushes (autosave's `saved`) go: nowhere."""

    async def send_text(self, text: str) -> None:
        return None


def test_patches_their_updates_and_previews_leave_no_garbage_cycle() -> None:
    async def scenario() -> int:
        world = demo_world(KEYS)
        editor = Editor(world.backend, ParentOrigins(KEYS))
        token = world.backend.mint(
            company=world.company,
            user_id=world.user_id,
            parent_origin="https://app.partner.example",
            new_kind=DocumentKind.INVOICE,
        )
        connection = Connection(cast(WebSocket, _Tab()), editor.drafts, utcnow)
        connection.session = await world.backend.resolve_session(token)
        connection.branding = await world.backend.branding(connection.session)
        connection.tab = "tab-no-cycles"
        await connection.attach(await editor.drafts.open(connection.session))
        live = connection.live_draft
        edits = [
            {"op": "add_line"},
            {"op": "set", "path": "lines[0].name", "value": "Pose & <dépose> 🧱"},
            {"op": "set", "path": "lines[0].quantity", "value": "2,5"},
            {"op": "set", "path": "lines[0].net_price", "value": "x"},  # refused by the model
            {"op": "set", "path": "lines[0].net_price", "value": "65"},
            {"op": "add_line"},
            {"op": "move_line", "index": 1, "to": 0},
            {"op": "set", "path": "notes[0].text", "value": "Merci"},
            {"op": "set", "path": "lines[1].vat_category", "value": "E"},
        ]

        def keystroke(seq: int) -> None:
            edit = edits[seq % len(edits)]
            coroutine = connection.apply({"seq": seq, **edit})
            try:  # nothing here waits: run it to completion by hand
                coroutine.send(None)
            except StopIteration as done:
                connection.update(done.value)
            live.preview_for(connection.branding, connection.locale)

        for seq in range(1, 40):  # first renders, caches, lazy imports
            keystroke(seq)
        gc.collect()
        gc.disable()
        try:
            for seq in range(40, 240):
                keystroke(seq)
            found = gc.collect()
        finally:
            gc.enable()
        await live.close()
        return found

    assert asyncio.run(scenario()) == 0
