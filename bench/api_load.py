"""Create-draft and list under load (issue 14's throughput target): 50 clients in a
second process, on SQLite and PostgreSQL, against the service in this process and as
`blanche serve --workers 2` runs it, the recommended setup on both databases
(docs/decisions.md, "API throughput"). The targets are judged on the latter.
The clients speak HTTP/1.1 through bench/http_load.py: httpx would cost them more
CPU than the service spends. Each phase starts once the service is idle, and its
CPU per request is given per process (and for the PostgreSQL server): on a shared
machine req/s and p99 say mostly how much CPU the other programs left."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]
import uvloop

from bench.api import (
    API,
    PostgresUnavailable,
    _settings,
    api_server,
    draft_body,
    postgres_server,
)
from bench.context import SMALL_LINES, Context
from bench.editor import onboard, tenant
from bench.http_load import Connection, Reply, prepared_request
from bench.report import Row
from bench.service_cpu import Meter, postgres_server_meter, service_tree, settle, spent
from bench.service_cpu import this_process as this_process_meter
from bench.timing import Samples

LOAD_CLIENTS = 50
LOAD_SECONDS = 10.0
SERVE_WORKERS = 2  # the machine's cores
# Issue 14: 10x the throughput measured then (list 21 req/s, create 49), p99 <= 250 ms.
TARGET_REQUESTS_PER_SECOND = {"create": 490, "list": 210}
TARGET_P99_MS = 250.0

LoadResult = tuple[list[int], int, float]  # durations (ns), errors, the load process's CPU s


def load_process(
    base: str, api_key: str, company_id: int, operation: str, clients: int, seconds: float
) -> LoadResult:
    """In the load process: `clients` concurrent clients repeating `operation`
    (create or list) for `seconds`: per-request durations (ns), errors, and the
    CPU seconds the clients spent. On uvloop, as the service runs."""
    cpu = time.process_time()
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        durations, errors = runner.run(
            _load(base, api_key, company_id, operation, clients, seconds)
        )
    return durations, errors, time.process_time() - cpu


async def _load(
    base: str, api_key: str, company_id: int, operation: str, clients: int, seconds: float
) -> tuple[list[int], int]:
    port = int(base.rsplit(":", 1)[1])
    headers = {"Authorization": f"Bearer {api_key}"}
    path = f"{API}/companies/{company_id}/documents"
    if operation == "create":
        body = json.dumps(draft_body()).encode()
        request = prepared_request("POST", f"127.0.0.1:{port}", path, headers, body)
    else:
        request = prepared_request("GET", f"127.0.0.1:{port}", path, headers)
    durations: list[int] = []
    deadline = time.perf_counter() + seconds
    errors = await asyncio.gather(
        *(_client(port, operation, request, deadline, durations) for _ in range(clients))
    )
    return durations, sum(errors)


def _check_first(operation: str, reply: Reply) -> None:
    """A client's first answer is read in full: a page of documents, or a draft."""
    if reply.status >= 400:
        return
    data = json.loads(reply.body)
    if operation == "create" and not isinstance(data.get("id"), int):
        raise RuntimeError(f"create answered without an id: {reply.body[:200]!r}")
    if operation == "list" and not data.get("items"):
        raise RuntimeError(f"list answered an empty page: {reply.body[:200]!r}")


async def _client(
    port: int, operation: str, request: bytes, deadline: float, durations: list[int]
) -> int:
    """One client repeating `request` until `deadline`; returns its error count."""
    errors = 0
    first = True
    connection = await Connection.open(port)
    try:
        while time.perf_counter() < deadline:
            start = time.perf_counter_ns()
            try:
                reply = await connection.send(request)
            except ConnectionError:
                errors += 1
                await connection.close()
                connection = await Connection.open(port)
                continue
            durations.append(time.perf_counter_ns() - start)
            if reply.status >= 400:
                errors += 1
            if first:
                _check_first(operation, reply)
                first = False
    finally:
        await connection.close()
    return errors


_LOAD_LABELS = {
    "create": f"api: create draft (POST), {SMALL_LINES} lines",
    "list": "api: list documents (GET), page of 50",
}


def rows(ctx: Context) -> list[Row]:
    return [
        *load_rows(ctx, "sqlite"),
        *load_rows(ctx, "postgresql"),
        *load_rows(ctx, "sqlite", SERVE_WORKERS),
        *load_rows(ctx, "postgresql", SERVE_WORKERS),
    ]


@contextmanager
def served(database_url: str | None, workers: int) -> Iterator[tuple[str, str, int, Meter]]:
    """The service with a partner and a company: (base URL, API key, company id, the
    meter of the service's CPU seconds). `workers` 0: in this process (uvicorn in a
    thread, `api_server`); N: `blanche serve --workers N` (the production setup,
    webhook worker included), its processes measured together."""
    if workers == 0:
        with api_server(database_url) as (base, api_key, company_id):
            yield base, api_key, company_id, this_process_meter()
        return
    from server.settings import sqlite_url
    from tests.server.service_process import running_service

    var = Path(tempfile.mkdtemp(prefix="blanche-bench-serve-"))
    try:
        settings = _settings(var, database_url or sqlite_url(var / "blanche.db"), "")
        api_key = onboard(settings.database_url, "https://bench.example")
        with running_service(settings, workers) as (base, pid):
            with httpx.Client(base_url=base, timeout=60) as http:
                company_id = tenant(http, api_key).company_id
            yield base, api_key, company_id, service_tree(psutil.Process(pid))
    finally:
        shutil.rmtree(var, ignore_errors=True)


@contextmanager
def _database(engine: str) -> Iterator[tuple[str | None, Meter | None]]:
    """The database URL (None: SQLite in the service's var) and the meter of the
    database server's CPU (None for SQLite: it is the service's own)."""
    if engine != "postgresql":
        yield None, None
        return
    with postgres_server() as (url, data_dir):
        yield url, postgres_server_meter(data_dir)


def load_rows(ctx: Context, engine: str = "sqlite", workers: int = 0) -> list[Row]:
    """Creates, then lists (pages of 50 of the documents just created), each phase
    from 50 clients in a second process, started once the service is idle; the CPU
    the service's processes (and PostgreSQL) spend per request is measured per phase
    (the clients' is not in it)."""
    seconds = max(2.0, LOAD_SECONDS * ctx.scale)
    spawn = multiprocessing.get_context("spawn")
    label = "SQLite" if engine == "sqlite" else "PostgreSQL"
    setup = f"blanche serve --workers {workers}" if workers else "one process"
    results: dict[str, tuple[LoadResult, dict[str, float], float]] = {}
    try:
        with (
            _database(engine) as (url, database_cpu),
            served(url, workers) as (base, api_key, company_id, service_cpu),
            spawn.Pool(1) as pool,
        ):
            # Untimed: every process of the service answers a few first.
            pool.apply(load_process, (base, api_key, company_id, "create", LOAD_CLIENTS, 1.0))
            for operation in _LOAD_LABELS:
                settle(service_cpu)
                before = {**service_cpu(), **(database_cpu() if database_cpu else {})}
                result = pool.apply(
                    load_process, (base, api_key, company_id, operation, LOAD_CLIENTS, seconds)
                )
                cpu = spent(service_cpu, before)
                if database_cpu is not None:
                    cpu.update(spent(database_cpu, before))
                results[operation] = (result, cpu, os.getloadavg()[0])
    except PostgresUnavailable as error:
        return [Row(f"api: create draft / list, {engine}, {setup}", None, None, str(error)[:80])]
    out: list[Row] = []
    for operation, ((durations, errors, client_cpu), cpu, load) in results.items():
        samples = Samples(tuple(sorted(durations)), tuple(sorted(durations)))
        ctx.measured[f"api_{operation}_load_{engine}_{workers}"] = samples
        requests = max(1, len(durations))
        rate = len(durations) / seconds
        verdict = ""
        if workers:
            met = rate >= TARGET_REQUESTS_PER_SECOND[operation] and samples.p99_ms <= TARGET_P99_MS
            verdict = (
                f" Target >= {TARGET_REQUESTS_PER_SECOND[operation]} req/s with p99 <= "
                f"{TARGET_P99_MS:.0f} ms: {'met' if met else 'not met'}."
            )
        out.append(
            Row(
                f"{_LOAD_LABELS[operation]}, {LOAD_CLIENTS} clients, {engine}, {setup}",
                None,
                samples,
                f"{rate:.0f} req/s for {seconds:.0f} s from a second process, {label}; "
                f"{errors} errors; CPU per request: {_cpu_text(cpu, requests)}, clients "
                f"{client_cpu * 1000 / requests:.2f} ms; load average {load:.1f} on "
                f"{os.cpu_count()} cores; cpu = wall (client-side timing).{verdict}",
            )
        )
    return out


def _cpu_text(cpu: dict[str, float], requests: int) -> str:
    """`service 7.10 ms (process 1 3.40, process 2 3.70, PA worker 0.20, ...)`"""

    def ms(seconds: float) -> str:
        return f"{seconds * 1000 / requests:.2f}"

    database = cpu.pop("PostgreSQL", None)
    text = f"service {ms(sum(cpu.values()))} ms"
    if len(cpu) > 1:
        roles = sorted(cpu, key=lambda role: (not role.startswith("process"), role))
        text += " (" + ", ".join(f"{role} {ms(cpu[role])}" for role in roles) + ")"
    if database is not None:
        text += f", PostgreSQL server {ms(database)} ms"
    return text
