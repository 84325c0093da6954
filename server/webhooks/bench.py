"""Webhook benchmarks (for `make bench`, never for tests): events per second from
the outbox to a local receiver, and finalize-to-delivery latency.

    python -m server.webhooks.bench [--database-url URL]

Each function builds a throwaway database (SQLite under a temporary directory,
or a given URL), a receiver on 127.0.0.1, and runs the real worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from queue import Empty
from typing import Any

import httpx

from invoicing.samples import FRENCH_LEGAL_NOTES, demo_invoice, seller
from server.db.engine import create_engine, session_factory
from server.db.migrate import upgrade_database
from server.db.tenants import Company, Partner
from server.db.webhooks import WebhookSubscription, WebhookSubscriptionCompany
from server.settings import Settings, WebhookSettings, sqlite_url
from server.webhooks.outbox import emit
from server.webhooks.signing import new_secret
from server.webhooks.worker import WebhookWorker


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        arrived = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
        event = json.loads(body)
        self.server.arrivals.put((event["id"], event["type"], event["data"]["id"], arrived))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops concurrent connections


def _serve(port_out: Any, arrivals: Any) -> None:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.arrivals = arrivals  # type: ignore[attr-defined]
    port_out.put(server.server_address[1])
    server.serve_forever()


class Arrivals:
    """What the receiver process got: first arrival time per event id and per
    (type, object id)."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue
        self.events: dict[str, float] = {}
        self.objects: dict[tuple[str, int], float] = {}
        self.count = 0

    def drain(self) -> None:
        while True:
            try:
                event_id, event_type, object_id, arrived = self._queue.get_nowait()
            except Empty:
                return
            self.count += 1
            self.events.setdefault(event_id, arrived)
            self.objects.setdefault((event_type, object_id), arrived)


@contextmanager
def _receiver() -> Iterator[tuple[str, Arrivals]]:
    """A receiver in its own process, so it does not compete with the worker for the GIL."""
    context = multiprocessing.get_context("spawn")
    port_out, arrivals = context.Queue(), context.Queue()
    process = context.Process(target=_serve, args=(port_out, arrivals), daemon=True)
    process.start()
    try:
        port = port_out.get(timeout=30)
        yield f"http://127.0.0.1:{port}", Arrivals(arrivals)
    finally:
        process.terminate()
        process.join(timeout=10)


def _settings(directory: Path, database_url: str | None, **hooks: Any) -> Settings:
    webhooks = WebhookSettings(allow_http=True, allow_private_targets=True, **hooks)
    return Settings(
        var_dir=directory,
        database_url=database_url or sqlite_url(directory / "bench.db"),
        signing_keys=("bench-signing-key",),
        account_creations_per_hour=1_000_000,
        webhooks=webhooks,
    )


async def _tenant(settings: Settings, base_url: str, endpoints: int) -> tuple[int, list[int]]:
    """A partner with `endpoints` companies, each followed by its own endpoint."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
        async with session_factory(engine)() as session, session.begin():
            partner = Partner(name="Bench", origins=["https://bench.example"])
            session.add(partner)
            await session.flush()
            companies = []
            for n in range(endpoints):
                company = Company(partner_id=partner.id, name=f"Bench {n}")
                subscription = WebhookSubscription(
                    partner_id=partner.id,
                    url=f"{base_url}/ep/{n}",
                    events=["*"],
                    all_companies=False,
                    secret=new_secret(),
                )
                session.add_all([company, subscription])
                await session.flush()
                session.add(
                    WebhookSubscriptionCompany(
                        subscription_id=subscription.id, company_id=company.id
                    )
                )
                companies.append(company.id)
            return partner.id, companies
    finally:
        await engine.dispose()


@dataclass(frozen=True, slots=True)
class Throughput:
    events: int
    endpoints: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds


async def _throughput(settings: Settings, events: int, endpoints: int) -> Throughput:
    with _receiver() as (base_url, arrivals):
        partner_id, companies = await _tenant(settings, base_url, endpoints)
        engine = create_engine(settings.database_url)
        try:
            async with session_factory(engine)() as session, session.begin():
                for n in range(events):
                    await emit(
                        session,
                        partner_id=partner_id,
                        company_id=companies[n % endpoints],
                        event_type="contact.updated",
                        object_type="contact",
                        object_id=n + 1,
                        obj={"seq": n, "name": "Boulangerie Dupont & Fils"},
                    )
        finally:
            await engine.dispose()
        async with WebhookWorker(settings) as worker:
            started = time.perf_counter()
            await worker.run(until_idle=True, timeout=600)
            seconds = time.perf_counter() - started
        deadline = time.monotonic() + 10
        while len(arrivals.events) < events and time.monotonic() < deadline:
            arrivals.drain()
            await asyncio.sleep(0.01)
        assert len(arrivals.events) == events, "not every event arrived"
    return Throughput(events, endpoints, seconds)


def outbox_throughput(
    events: int = 2000,
    endpoints: int = 20,
    concurrency: int = 32,
    database_url: str | None = None,
) -> Throughput:
    """Events per second from a filled outbox to a local receiver (one worker)."""
    with tempfile.TemporaryDirectory(prefix="blanche-bench-") as directory:
        settings = _settings(
            Path(directory), database_url, concurrency=concurrency, poll_seconds=0.01
        )
        return asyncio.run(_throughput(settings, events, endpoints))


@dataclass(frozen=True, slots=True)
class Latency:
    samples: int
    poll_seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float


async def _latency(settings: Settings, samples: int) -> Latency:
    from server.app import create_app
    from server.operator_tasks import create_partner

    with _receiver() as (base_url, arrivals):
        engine = create_engine(settings.database_url)
        try:
            await upgrade_database(engine)
            async with session_factory(engine)() as session, session.begin():
                key = (await create_partner(session, "Bench", ["https://bench.example"], [])).key
        finally:
            await engine.dispose()
        app = create_app(settings, migrate=False)
        headers = {"Authorization": f"Bearer {key.secret}"}
        transport = httpx.ASGITransport(app)
        latencies: list[float] = []
        stop = asyncio.Event()
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="https://b.test/api/v1") as http,
            WebhookWorker(settings) as worker,
        ):
            running = asyncio.create_task(worker.run(stop))
            hook = {"url": f"{base_url}/latency", "events": ["document.finalized"]}
            (await http.post("/webhooks", json=hook, headers=headers)).raise_for_status()
            body = {
                "name": "Bench",
                "seller": seller().model_dump(mode="json", exclude_none=True),
                "legal_notes": [n.model_dump(mode="json") for n in FRENCH_LEGAL_NOTES],
            }
            company = (await http.post("/companies", json=body, headers=headers)).json()
            document = demo_invoice(3).model_dump(mode="json", exclude_none=True)
            document.update(number=None, issue_date=None, payment_reference=None)
            rng = random.Random(6)
            for _ in range(samples):
                # A random moment of the worker's poll cycle, as in real use.
                await asyncio.sleep(rng.uniform(0, settings.webhooks.poll_seconds))
                created = await http.post(
                    f"/companies/{company['id']}/documents", json=document, headers=headers
                )
                draft_id = created.json()["id"]
                started = time.perf_counter()
                finalized = await http.post(f"/documents/{draft_id}/finalize", headers=headers)
                finalized.raise_for_status()
                while ("document.finalized", draft_id) not in arrivals.objects:
                    arrivals.drain()
                    await asyncio.sleep(0.001)
                latencies.append(arrivals.objects[("document.finalized", draft_id)] - started)
            stop.set()
            await running
    ordered = sorted(latencies)
    return Latency(
        samples=samples,
        poll_seconds=settings.webhooks.poll_seconds,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000,
        max_ms=ordered[-1] * 1000,
    )


def finalize_to_delivery_latency(
    samples: int = 200, poll_seconds: float = 0.5, database_url: str | None = None
) -> Latency:
    """From the start of `POST /documents/{id}/finalize` to the receiver getting
    `document.finalized`, with the worker polling every `poll_seconds`."""
    with tempfile.TemporaryDirectory(prefix="blanche-bench-") as directory:
        settings = _settings(Path(directory), database_url, poll_seconds=poll_seconds)
        return asyncio.run(_latency(settings, samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    throughput = outbox_throughput(args.events, database_url=args.database_url)
    print(f"{'benchmark':44} {'result':>28}")
    print(
        f"{'outbox -> receiver, ' + str(throughput.events) + ' events / 20 endpoints':44} "
        f"{throughput.events_per_second:>17.0f} events/s"
    )
    for poll in (0.5, 0.05):
        latency = finalize_to_delivery_latency(args.samples, poll, args.database_url)
        print(
            f"{f'finalize -> delivery (poll {poll} s)':44} "
            f"p50 {latency.p50_ms:6.1f} ms  p99 {latency.p99_ms:6.1f} ms"
        )


if __name__ == "__main__":
    main()
