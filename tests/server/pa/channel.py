"""Helpers for the PA channel tests: connect a company, run the worker until
something holds."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from server.pa.settings import PaSettings
from server.pa.worker import PaWorker
from server.settings import Settings
from tests.server.helpers import Partner, document_body
from tests.server.pa.processes import CLIENT_SECRET

FAST = PaSettings(
    allow_private_targets=True, poll_seconds=0.05, status_poll_seconds=0.1, lease_seconds=2.0
)


def connect(partner: Partner, company_id: int, sandbox: str) -> dict[str, Any]:
    # A client id of its own: the sandbox shows each client only its flows.
    body = {"url": sandbox, "client_id": f"test-{uuid.uuid4()}", "client_secret": CLIENT_SECRET}
    return partner.ok(partner.put(f"/companies/{company_id}/pa", body))  # type: ignore[no-any-return]


def connected_company(partner: Partner, sandbox: str) -> dict[str, Any]:
    company = partner.company()
    connect(partner, company["id"], sandbox)
    return company


def transmissions(partner: Partner, company_id: int) -> list[dict[str, Any]]:
    return partner.ok(partner.get(f"/companies/{company_id}/pa/transmissions"))["items"]  # type: ignore[no-any-return]


def issue(partner: Partner, company_id: int, note: str | None = None) -> dict[str, Any]:
    body = document_body()
    if note is not None:
        body["notes"] = [*body.get("notes", []), {"text": note}]
    draft = partner.ok(partner.post(f"/companies/{company_id}/documents", body), 201)
    return partner.ok(partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def codes(partner: Partner, document_id: int) -> list[str]:
    items = partner.ok(partner.get(f"/documents/{document_id}/lifecycle"))["items"]
    return [item["code"] for item in items]


def run_worker_until(
    settings: Settings, done: Callable[[], bool], timeout: float = 30.0, pa: PaSettings = FAST
) -> None:
    async def run() -> None:
        worker = PaWorker(settings, pa)
        try:
            deadline = time.monotonic() + timeout
            while not done():
                if time.monotonic() > deadline:
                    raise AssertionError("the PA worker did not get there in time")
                if not await worker.run_once():
                    await asyncio.sleep(0.05)
        finally:
            await worker.close()

    asyncio.run(run())


def sandbox_flows(sandbox: str) -> dict[str, Any]:
    return httpx.get(f"{sandbox}/sandbox/flows", timeout=5).json()  # type: ignore[no-any-return]


def fault(sandbox: str, **spec: Any) -> None:
    httpx.post(f"{sandbox}/sandbox/faults", json=spec, timeout=5).raise_for_status()
