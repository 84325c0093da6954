"""One tenant never stalls another through the editor or heavy work (issue 14): each
attack runs against the real service in its own process while another partner
keeps calling the API and pinging its editor, which must be answered meanwhile,
without errors; and nothing of the attacker's valid work is lost."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from invoicing.limits import MAX_LINES
from tests.server.editor_clients import (
    bystander,
    closed_with,
    open_tab,
    until,
)
from tests.server.editor_service import Service, Tenant, onboard, service_process

ORIGIN_A, ORIGIN_B = "https://app.a.example", "https://app.b.example"


def _start(var: Path, **env: str) -> tuple[Any, list[str]]:
    keys = onboard(var, ORIGIN_A, ORIGIN_B)
    return service_process(var, **env), keys


def _quantities(count: int, value: str, first_seq: int = 1) -> list[dict[str, Any]]:
    return [
        {"type": "patch", "seq": first_seq + i, "op": "set", "path": f"lines[{i}].quantity"}
        | {"value": value}
        for i in range(count)
    ]


def _workers(service: Service) -> list[int]:
    """The service's worker processes (spawned by multiprocessing)."""
    found = []
    for pid in service.children():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.spawn" in command and b"resource_tracker" not in command:
            found.append(pid)
    return found


# --- a hello carrying many pending patches ------------------------------------------------


def test_a_hello_with_pending_patches_on_a_long_draft_stalls_nobody_and_loses_nothing(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    serving, (key_a, key_b) = _start(var)
    with serving as service, httpx.Client(base_url=service.url, timeout=300) as http:
        a = Tenant(http, key_a, ORIGIN_A).setup()
        b = Tenant(http, key_b, ORIGIN_B).setup()
        long_draft = a.draft(lines=MAX_LINES)
        token = a.editor_token(long_draft)
        asyncio.run(_hello_attack(service, a, b, token, long_draft))
        saved = a.call("GET", f"/documents/{long_draft}").json()["document"]
        assert [line["quantity"] for line in saved["lines"]] == ["7"] * MAX_LINES


async def _hello_attack(service: Service, a: Tenant, b: Tenant, token: str, doc: int) -> None:
    loop = asyncio.get_running_loop()
    other = await bystander(service, b)
    running = asyncio.create_task(other.run(service.url))
    try:
        # Beyond the bound: refused at once, with its own code.
        too_many = await open_tab(
            service, token, "attacker-tab-01", pending=_quantities(MAX_LINES + 1, "7")
        )
        assert await closed_with(too_many) == (4413, ["too_many_pending"])

        await asyncio.sleep(0.2)  # the bystander is going
        sent = loop.time()
        ws = await open_tab(service, token, "attacker-tab-01", pending=_quantities(MAX_LINES, "7"))
        welcome = await until(ws, "welcome")
        welcomed = loop.time()
        assert welcome["seq"] == MAX_LINES
        api, pings = other.served_between(sent, welcomed)
        assert api > 0 and pings > 0, (api, pings)  # served while the hello was handled
        await ws.send(json.dumps({"type": "action", "id": "s1", "action": "save"}))
        result = await until(ws, "result", seconds=300)
        assert result["ok"] is True, result
        await ws.close()
    finally:
        other.stop()
        await running
        await other.ws.close()
    assert other.failures == []
