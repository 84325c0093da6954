"""The official check, debounced and run in the process pool, pushed to the tab."""

from __future__ import annotations

from editor.demo import DemoWorld
from editor.work_pool import WorkPool
from tests.editor.conftest import Clock, Mint, TestClient, make_app
from tests.editor.tabs import action, complete_invoice, patch, tab, until


def test_the_official_check_runs_when_the_user_pauses_and_on_save(
    world: DemoWorld, clock: Clock, mint: Mint
) -> None:
    checker = WorkPool()
    with TestClient(make_app(world, clock, checker)) as client, tab(client, mint()) as ws:
        assert until(ws, "welcome")["official"]["state"] == "pending"
        seq = complete_invoice(ws, world)
        official = until(ws, "official", timeout=60)
        assert official["seq"] == seq
        assert official["state"] == "ok", official["html"]
        assert "EN 16931 + BR-FR" in official["html"]

        patch(ws, seq + 1, path="lines[1].net_price", value="abc")
        # The tab was shown a result: the first patch after it says the check is pending...
        assert until(ws, "ack")["official"]["state"] == "pending"
        skipped = until(ws, "official")
        assert skipped["state"] == "skipped"  # a value that cannot be read: no XML to check

        patch(ws, seq + 2, path="lines[1].net_price", value="7,90")
        assert until(ws, "ack")["official"]["state"] == "pending"
        patch(ws, seq + 3, path="lines[1].net_price", value="7,95")
        assert "official" not in until(ws, "ack")  # ... and the next ones need not repeat it
        patch(ws, seq + 4, path="lines[1].net_price", value="7,90")
        until(ws, "ack")
        saved = action(ws, "save")
        assert saved["ok"] and saved["events"][-1]["payload"]["valid"] is True, saved["events"]
