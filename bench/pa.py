"""The PA channel against `blanche pa-sandbox` (its own process): transmission
throughput (a backlog of issued invoices drained by one worker) and the latency
from finalize to "200 Déposée" seen through the API (worker in its own process),
on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.api import KEYS, PostgresUnavailable, draft_body, postgres_database
from bench.context import SMALL_LINES, Context
from bench.editor import loopback_socket, onboard, serving, tenant
from bench.report import Row
from bench.timing import Samples
from tests.server.pa.processes import free_port
from tests.server.worker_processes import stop_process

API = "/api/v1"
BACKLOG = 60
LATENCY_SAMPLES = 20
SANDBOX_SECRET = "bench-sandbox-secret"
ROOT = Path(__file__).resolve().parents[1]


def rows(ctx: Context) -> list[Row]:
    return [row for engine in ("sqlite", "postgresql") for row in _rows(ctx, engine)]


@contextmanager
def _process(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        stop_process(process)


@contextmanager
def _sandbox(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    args = ["pa-sandbox", "--port", str(port), "--client-secret", SANDBOX_SECRET]
    with _process(args, env):
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/sandbox/flows", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the PA sandbox did not start") from None
                time.sleep(0.1)
        yield url


def _environment(var: Path, database_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "BLANCHE_VAR_DIR": str(var),
        "BLANCHE_DATABASE_URL": database_url,
        "BLANCHE_SIGNING_KEYS": ",".join(KEYS),
        "BLANCHE_PA_ALLOW_PRIVATE_TARGETS": "1",
        "BLANCHE_PA_SECRET_KEY": Fernet.generate_key().decode(),
    }


def _rows(ctx: Context, engine: str) -> list[Row]:
    throughput = f"pa: transmission backlog drained, {SMALL_LINES} lines, {engine}"
    latency = f"pa: finalize -> 200 Déposée via the API, {engine}"
    try:
        database = postgres_database() if engine == "postgresql" else _nothing()
        with database as url:
            return _measure(ctx, url, throughput, latency)
    except PostgresUnavailable as error:
        note = f"PostgreSQL did not start: {str(error)[:80]}"
        return [Row(throughput, None, None, note), Row(latency, None, None, note)]


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _measure(ctx: Context, database_url: str | None, throughput: str, latency: str) -> list[Row]:
    from server.app import create_app
    from server.settings import Settings, sqlite_url

    var = Path(tempfile.mkdtemp(prefix="blanche-bench-pa-"))
    url = database_url or sqlite_url(var / "blanche.db")
    env = _environment(var, url)
    saved = {key: os.environ.get(key) for key in env if key.startswith("BLANCHE_PA_")}
    os.environ.update({k: v for k, v in env.items() if k.startswith("BLANCHE_PA_")})
    sock = loopback_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        settings = Settings(
            var_dir=var,
            database_url=url,
            signing_keys=KEYS,
            public_url=base,
            account_creations_per_hour=1_000_000,
        )
        api_key = onboard(url, "https://bench.example")
        with (
            _sandbox(env) as sandbox,
            serving(create_app(settings), sock),
            httpx.Client(base_url=base, timeout=120) as http,
        ):
            company_id = tenant(http, api_key).company_id
            headers = {"Authorization": f"Bearer {api_key}"}
            connection = {"url": sandbox, "client_id": "bench", "client_secret": SANDBOX_SECRET}
            http.put(f"{API}/companies/{company_id}/pa", json=connection, headers=headers)
            backlog = max(12, round(BACKLOG * ctx.scale))
            seconds = _drain(settings, http, headers, company_id, backlog)
            samples = _latencies(
                env, http, headers, company_id, max(5, round(LATENCY_SAMPLES * ctx.scale))
            )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(var, ignore_errors=True)
    per_flow = Samples((int(seconds / backlog * 1e9),), (int(seconds / backlog * 1e9),))
    return [
        Row(
            throughput,
            None,
            per_flow,
            f"{backlog / seconds:.1f} flows/s: {backlog} issued invoices, one worker, PDF rendered "
            "when sent (submit + acknowledgement)",
        ),
        Row(
            latency,
            None,
            samples,
            "finalize answered -> lifecycle 200 seen by GET; worker process (poll 0.25 s), "
            "sandbox acknowledges after 0.2 s; cpu = wall",
        ),
    ]


def _issue(http: httpx.Client, headers: dict[str, str], company_id: int) -> int:
    created = http.post(
        f"{API}/companies/{company_id}/documents", json=draft_body(), headers=headers
    )
    created.raise_for_status()
    document_id = int(created.json()["id"])
    http.post(f"{API}/documents/{document_id}/finalize", headers=headers).raise_for_status()
    return document_id


def _deposited(http: httpx.Client, headers: dict[str, str], document_id: int) -> bool:
    items = http.get(f"{API}/documents/{document_id}/lifecycle", headers=headers).json()["items"]
    return any(item["code"] == "200" for item in items)


def _done(http: httpx.Client, headers: dict[str, str], company_id: int) -> int:
    log = http.get(f"{API}/companies/{company_id}/pa/transmissions", headers=headers).json()
    return sum(1 for item in log["items"] if item["state"] == "done")


def _drain(
    settings: Any, http: httpx.Client, headers: dict[str, str], company_id: int, n: int
) -> float:
    from server.pa.settings import PaSettings
    from server.pa.worker import PaWorker

    ids = [_issue(http, headers, company_id) for _ in range(n)]
    pa = PaSettings(allow_private_targets=True, poll_seconds=0.02, status_poll_seconds=60)

    async def run() -> float:
        worker = PaWorker(settings, pa)
        started = time.perf_counter()
        try:
            while _done(http, headers, company_id) < len(ids):
                if not await worker.run_once():
                    await asyncio.sleep(0.02)
        finally:
            await worker.close()
        return time.perf_counter() - started

    return asyncio.run(run())


def _latencies(
    env: dict[str, str], http: httpx.Client, headers: dict[str, str], company_id: int, n: int
) -> Samples:
    durations: list[int] = []
    with _process(["pa", "worker"], env):
        _issue(http, headers, company_id)  # warm-up: the worker's first PDF loads the PDF compiler
        time.sleep(3)
        for _ in range(n):
            document_id = _issue(http, headers, company_id)
            start = time.perf_counter_ns()
            while not _deposited(http, headers, document_id):
                if time.perf_counter_ns() - start > 60e9:
                    raise RuntimeError("no 200 Déposée within 60 s")
                time.sleep(0.01)
            durations.append(time.perf_counter_ns() - start)
    ordered = tuple(sorted(durations))
    return Samples(ordered, ordered)
