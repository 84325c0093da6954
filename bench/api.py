"""Issue 3's service benchmarks, through the real HTTP API of a real uvicorn server:
finalize throughput and latency under 8 concurrent clients (SQLite, PostgreSQL).
Create-draft / list under 50 clients: bench/api_load.py."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.context import SMALL_LINES, Context
from bench.editor import loopback_socket, onboard, serving, tenant
from bench.report import Row
from bench.timing import Samples
from invoicing.samples import demo_invoice

API = "/api/v1"
FINALIZE_WORKERS = 8
FINALIZE_DOCUMENTS = 200
LOAD_CLIENTS = 50
LOAD_SECONDS = 10.0
KEYS = ("bench-api-signing-key-0123456789",)
_NUMBER = re.compile(r"^(.*?)(\d+)$")


def rows(ctx: Context) -> list[Row]:
    return [
        finalize_row(ctx, "sqlite"),
        finalize_row(ctx, "postgresql"),
    ]


def draft_body() -> dict[str, Any]:
    """A 20-line French invoice as a partner posts it: no number, no issue date."""
    document = demo_invoice(SMALL_LINES).model_copy(
        update={"number": None, "issue_date": None, "payment_reference": None}
    )
    return document.model_dump(mode="json", exclude_none=True)


def _settings(var: Path, database_url: str, public_url: str) -> Any:
    from server.settings import LimitSettings, Settings

    return Settings(
        var_dir=var,
        database_url=database_url,
        signing_keys=KEYS,
        public_url=public_url,
        account_creations_per_hour=1_000_000,
        # One partner is the whole load here: its rate is not what is measured (the
        # work slots and their fair sharing stay as configured by default).
        limits=LimitSettings(rate_per_second=1e6, burst=1_000_000, partner_in_flight=1000),
    )


@contextmanager
def api_server(database_url: str | None) -> Iterator[tuple[str, str, int]]:
    """A migrated database (SQLite in a temporary directory unless given), a
    partner, a company, and the app under uvicorn: (base URL, API key, company id)."""
    from server.app import create_app
    from server.process_tuning import prepare_process
    from server.settings import sqlite_url

    var = Path(tempfile.mkdtemp(prefix="blanche-bench-api-"))
    sock = loopback_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        settings = _settings(var, database_url or sqlite_url(var / "blanche.db"), base)
        api_key = onboard(settings.database_url, "https://bench.example")
        prepare_process()  # as `blanche serve` prepares its process
        with serving(create_app(settings), sock), httpx.Client(base_url=base, timeout=60) as http:
            company_id = tenant(http, api_key).company_id
            yield base, api_key, company_id
    finally:
        shutil.rmtree(var, ignore_errors=True)


class PostgresUnavailable(Exception):
    """The throwaway PostgreSQL could not be started here."""


@contextmanager
def postgres_database() -> Iterator[str]:
    """A throwaway PostgreSQL 15, started as the tests start it: its URL."""
    with postgres_server() as (url, _):
        yield url


@contextmanager
def postgres_server() -> Iterator[tuple[str, Path]]:
    """A throwaway PostgreSQL 15: its URL and its data directory."""
    from tests.server.postgres_server import new_server

    server = new_server()
    try:
        try:
            server.start()
        except (OSError, subprocess.SubprocessError, RuntimeError) as error:
            raise PostgresUnavailable(str(error)) from error
        # The server is thrown away afterwards: its default database will do.
        yield server.url("postgres"), server.data_dir
    finally:
        server.stop()


# --- finalize ------------------------------------------------------------------------------


async def _finalize_run(
    base: str, api_key: str, company_id: int, documents: int
) -> tuple[list[int], list[str], float]:
    """Create `documents` + 1 drafts, finalize one to warm up, then the rest from 8
    concurrent clients: per-finalize durations (ns), all the numbers given, and the
    concurrent phase's seconds."""
    headers = {"Authorization": f"Bearer {api_key}"}
    body = draft_body()
    async with httpx.AsyncClient(base_url=base + API, headers=headers, timeout=120) as http:
        ids: list[int] = []
        for _ in range(documents + 1):
            created = await http.post(f"/companies/{company_id}/documents", json=body)
            created.raise_for_status()
            ids.append(int(created.json()["id"]))
        # Untimed: the first finalize loads the XSD and warms the server's caches.
        warm = await http.post(f"/documents/{ids.pop()}/finalize")
        warm.raise_for_status()
        numbers = [str(warm.json()["number"])]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for document_id in ids:
        queue.put_nowait(document_id)
    durations: list[int] = []

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base + API, headers=headers, timeout=120) as http:
            while not queue.empty():
                document_id = queue.get_nowait()
                start = time.perf_counter_ns()
                response = await http.post(f"/documents/{document_id}/finalize")
                durations.append(time.perf_counter_ns() - start)
                if response.status_code != 200:
                    raise RuntimeError(f"finalize {response.status_code}: {response.text[:500]}")
                numbers.append(str(response.json()["number"]))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(FINALIZE_WORKERS)))
    return durations, numbers, time.perf_counter() - started


def gapless(numbers: list[str]) -> bool:
    """Distinct, one prefix, and counters 1..n with no gap."""
    parsed = [_NUMBER.match(number) for number in numbers]
    if any(match is None for match in parsed):
        return False
    prefixes = {match.group(1) for match in parsed if match is not None}
    counters = sorted(int(match.group(2)) for match in parsed if match is not None)
    return len(prefixes) == 1 and counters == list(range(1, len(numbers) + 1))


def finalize_row(ctx: Context, engine: str) -> Row:
    name = f"api: finalize, {FINALIZE_WORKERS} clients, {SMALL_LINES} lines, {engine}"
    documents = max(40, round(FINALIZE_DOCUMENTS * ctx.scale))
    try:
        database = postgres_database() if engine == "postgresql" else _no_database()
        with database as url, api_server(url) as (base, api_key, company_id):
            durations, numbers, seconds = asyncio.run(
                _finalize_run(base, api_key, company_id, documents)
            )
    except PostgresUnavailable as error:
        return Row(name, None, None, f"PostgreSQL did not start: {str(error)[:80]}")
    ordered = "distinct and consecutive" if gapless(numbers) else "NOT GAPLESS"
    # Client and server share this process: no per-request CPU time, cpu = wall.
    samples = Samples(tuple(sorted(durations)), tuple(sorted(durations)))
    ctx.measured[f"api_finalize_{engine}"] = samples
    return Row(
        name,
        None,
        samples,
        f"{documents / seconds:.0f} docs/s over {documents} drafts; numbers {ordered} "
        f"({min(numbers)}..{max(numbers)}, 1 untimed warm-up); HTTP round trip, cpu = wall",
    )


@contextmanager
def _no_database() -> Iterator[None]:
    yield None
