"""Issue 12: what the official check at finalization adds to a finalize.

`server.documents.finalize.finalize` in-process on a migrated SQLite file, one
finalization at a time, 20-line e-invoicing drafts (BR-FR in scope): with the work
pool's official check (XSD + Factur-X EN 16931 + BR-FR in another process), and, as
the same-run anchor, with a checker that answers "no finding" at once. The two
alternate draft by draft, so both see the same machine."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.api import _settings, draft_body
from bench.context import SMALL_LINES, Context
from bench.editor import onboard
from bench.report import Row, format_ms
from bench.timing import Samples
from invoicing.model import Document
from invoicing.profiles import Profile

DRAFTS = 60  # per mode
BASE = "http://bench.invalid"


class NoCheck:
    """The anchor: finalize as if the official check answered at once with nothing."""

    async def check(self, document: Document, profile: Profile, french: bool) -> dict[str, Any]:
        return {"xsd_valid": True, "errors": []}


async def _company(http: httpx.AsyncClient, headers: dict[str, str]) -> int:
    from invoicing.samples import FRENCH_LEGAL_NOTES, seller

    company = await http.post(
        "/api/v1/companies",
        headers=headers,
        json={
            "name": "Atelier Blanc",
            "seller": seller().model_dump(mode="json", exclude_none=True),
            "legal_notes": [note.model_dump(mode="json") for note in FRENCH_LEGAL_NOTES],
            "payment_term": {"kind": "days", "days": 30},
        },
    )
    company.raise_for_status()
    return int(company.json()["id"])


async def _run(settings: Any, api_key: str, drafts: int) -> tuple[Samples, Samples]:
    from server.app import create_app
    from server.documents.finalize import finalize
    from server.documents.payments import paris_today

    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http,
    ):
        services = app.state.services
        headers = {"Authorization": f"Bearer {api_key}"}
        company_id = await _company(http, headers)
        ids = []
        for _ in range(2 * drafts + 2):
            created = await http.post(
                f"/api/v1/companies/{company_id}/documents", headers=headers, json=draft_body()
            )
            created.raise_for_status()
            ids.append(created.json()["id"])
        today = paris_today(services.clock())
        timed: dict[str, tuple[list[int], list[int]]] = {"check": ([], []), "none": ([], [])}
        checkers = {"check": services.work, "none": NoCheck()}
        for index, document_id in enumerate(ids):
            mode = "check" if index % 2 == 0 else "none"
            cpu_start, start = time.process_time_ns(), time.perf_counter_ns()
            await finalize(
                services.sessions.begin,
                company_id,
                document_id,
                today,
                checkers[mode],
                services.read_sessions.begin,
            )
            wall, cpu = time.perf_counter_ns() - start, time.process_time_ns() - cpu_start
            if index >= 2:  # the first of each mode warms the pool and the caches
                timed[mode][0].append(wall)
                timed[mode][1].append(cpu)
    check, none = timed["check"], timed["none"]
    return (
        Samples(tuple(sorted(check[0])), tuple(sorted(check[1]))),
        Samples(tuple(sorted(none[0])), tuple(sorted(none[1]))),
    )


def rows(ctx: Context) -> list[Row]:
    from server.settings import sqlite_url

    name = f"finalize (fast rules + official check in the pool + issue), {SMALL_LINES} lines"
    anchor = f"finalize without the official check (same run), {SMALL_LINES} lines"
    var = Path(tempfile.mkdtemp(prefix="blanche-bench-finalize-"))
    try:
        settings = _settings(var, sqlite_url(var / "blanche.db"), BASE)
        drafts = max(10, round(DRAFTS * ctx.scale))
        api_key = onboard(settings.database_url, "https://bench.example")
        check, none = asyncio.run(_run(settings, api_key, drafts))
    finally:
        shutil.rmtree(var, ignore_errors=True)
    ctx.measured["finalize_official"] = check
    ctx.measured["finalize_no_check"] = none
    added = check.p50_ms - none.p50_ms
    return [
        Row(
            name,
            None,
            check,
            f"SQLite, one at a time, e-invoicing (BR-FR); the official check adds "
            f"{format_ms(added)} at p50 to the anchor below; cpu: this process only "
            "(the check runs in a pool worker)",
        ),
        Row(anchor, None, none, "same drafts, a checker that answers at once"),
    ]
