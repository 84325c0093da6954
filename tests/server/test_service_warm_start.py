"""A service process starts its work pool's first worker as it starts, in the
background (editor.pool_worker.prewarm): it answers at once, and the first save of
the process, whose official check runs in that worker, does not wait for a worker to
be spawned and warmed up (measured in docs/decisions.md)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from tests.server.editor_clients import open_tab, until
from tests.server.editor_service import Service, Tenant, onboard, service_process

ORIGIN = "https://app.a.example"


async def _save(service: Service, token: str) -> dict[str, Any]:
    ws = await open_tab(service, token, "warm-start-tab-1")
    await until(ws, "welcome")
    await ws.send(json.dumps({"type": "action", "id": "s1", "action": "save"}))
    result = await until(ws, "result")
    await ws.close()
    return result


def test_the_first_worker_starts_with_the_service_and_the_pool_takes_it_over(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    (key,) = onboard(var, ORIGIN)
    with service_process(var) as service, httpx.Client(base_url=service.url, timeout=120) as http:
        started = service.work_pool_workers()
        assert len(started) == 1  # before any job was asked
        # The service answers while its worker warms up: nothing waits for it.
        tenant = Tenant(http, key, ORIGIN).setup()
        token = tenant.editor_token(tenant.draft(lines=3))
        result = asyncio.run(_save(service, token))
        assert result["ok"] is True, result
        saved = [e for e in result["events"] if e["type"] == "document.saved"]
        assert saved and saved[0]["payload"]["valid"] is True  # the official check ran: ok
        # The pool took that worker over (a second one may start beside it when two
        # checks wait at once, the first one done by the warm worker).
        assert started[0] in service.work_pool_workers()
