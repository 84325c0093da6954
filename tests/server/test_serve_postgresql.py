"""The documented multi-process setup: several `blanche serve` on one PostgreSQL,
each with its webhook worker, share the load and deliver no event twice."""

from __future__ import annotations

import asyncio
import itertools
from contextlib import ExitStack
from pathlib import Path

import httpx
import psutil
import pytest

from tests.server.conftest import _fresh_database
from tests.server.helpers import company_body
from tests.server.postgres_server import PostgresServer
from tests.server.serve_process import new_partner, service_environment, serving, wait_gone
from tests.server.webhooks.receiver import Answer, running_receiver

ENDPOINTS = ("/a", "/b", "/c")
CONTACTS = 12
DELAY = 0.25  # each endpoint answers slowly, so one worker cannot overlap two deliveries


@pytest.mark.postgres
def test_two_services_and_two_workers_share_the_load_without_duplicates(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    url = asyncio.run(_fresh_database(postgres))
    env = service_environment(tmp_path / "var", database_url=url)
    env["BLANCHE_WEBHOOKS_CONCURRENCY"] = "1"  # one delivery at a time per worker
    env["BLANCHE_WEBHOOKS_RETRY_WINDOW_SECONDS"] = "120"
    with ExitStack() as stack:
        receiver = stack.enter_context(running_receiver())
        for path in ENDPOINTS:
            receiver.script[path] = [Answer(200, delay=DELAY)]
        first = stack.enter_context(serving(env, tmp_path / "first.log", "--workers", "2"))
        second = stack.enter_context(serving(env, tmp_path / "second.log"))
        key = new_partner(env)
        headers = {"Authorization": f"Bearer {key}"}
        clients = [
            stack.enter_context(httpx.Client(base_url=f"{s.base_url}/api/v1", headers=headers))
            for s in (first, second)
        ]
        for path in ENDPOINTS:
            body = {"url": receiver.url(path), "events": ["contact.created"]}
            assert clients[0].post("/webhooks", json=body).status_code == 201
        company = clients[1].post("/companies", json=company_body()).json()
        names = [f"contact {n:02d}" for n in range(CONTACTS)]
        for name, client in zip(names, itertools.cycle(clients), strict=False):
            created = client.post(
                f"/companies/{company['id']}/contacts", json={"kind": "person", "name": name}
            )
            assert created.status_code == 201, created.text
        receiver.wait_for(lambda: len(receiver.requests()) >= CONTACTS * len(ENDPOINTS), 120)
        for path in ENDPOINTS:
            got = receiver.requests(path)
            assert [r.event["data"]["object"]["name"] for r in got] == names, path
            assert len({r.event["id"] for r in got}) == CONTACTS
        arrivals = sorted(r.at for r in receiver.requests())
        overlapping = sum(1 for a, b in itertools.pairwise(arrivals) if b - a < DELAY)
        # With one delivery at a time per worker, overlapping deliveries need both workers.
        assert overlapping > 0
        family = [psutil.Process(first.process.pid), *first.descendants()]
        assert len(family) >= 4  # the supervisor, its 2 processes, the webhook worker
        first.process.kill()  # kill -9 of `blanche serve --workers 2`
        first.process.wait()
        assert wait_gone(family) == []
    assert "Traceback" not in first.output() + second.output()
