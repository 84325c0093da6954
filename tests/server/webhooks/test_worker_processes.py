"""Fault tests with real worker processes and a real receiver on loopback."""

from __future__ import annotations

import dataclasses
import signal
import threading
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from server.db.tenants import Company
from server.db.webhooks import WebhookSubscription, WebhookSubscriptionCompany
from server.settings import Settings
from server.webhooks.outbox import emit
from server.webhooks.signing import new_secret
from tests.server.helpers import Partner, in_db
from tests.server.webhooks.processes import kill_hard, worker_process
from tests.server.webhooks.receiver import Answer, Received, Receiver


def _endpoints(settings: Settings, partner_id: int, receiver: Receiver, count: int) -> list[int]:
    """`count` companies, each followed by its own endpoint /ep/<n>."""

    async def work(session: AsyncSession) -> list[int]:
        companies = [Company(partner_id=partner_id, name=f"C{n}") for n in range(count)]
        session.add_all(companies)
        await session.flush()
        for n, company in enumerate(companies):
            subscription = WebhookSubscription(
                partner_id=partner_id,
                url=receiver.url(f"/ep/{n}"),
                events=["*"],
                all_companies=False,
                secret=new_secret(),
            )
            session.add(subscription)
            await session.flush()
            session.add(
                WebhookSubscriptionCompany(subscription_id=subscription.id, company_id=company.id)
            )
        return [company.id for company in companies]

    return in_db(settings, work)


def _emit(settings: Settings, partner_id: int, company_ids: list[int], total: int) -> None:
    async def work(session: AsyncSession) -> None:
        for seq in range(total):
            await emit(
                session,
                partner_id=partner_id,
                company_id=company_ids[seq % len(company_ids)],
                event_type="contact.updated",
                object_type="contact",
                object_id=seq + 1,
                obj={"seq": seq},
            )

    in_db(settings, work)


def _sequences(receiver: Receiver) -> dict[str, list[int]]:
    by_path: dict[str, list[int]] = defaultdict(list)
    for request in receiver.requests():
        by_path[request.path].append(request.event["data"]["object"]["seq"])
    return by_path


def test_killing_the_worker_mid_delivery_loses_no_event(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    settings = dataclasses.replace(
        settings, webhooks=dataclasses.replace(settings.webhooks, lease_seconds=2.0)
    )
    [company] = _endpoints(settings, partner_a.id, receiver, 1)
    hang = Answer(200, delay=5.0)
    receiver.script["/ep/0"] = [Answer()] * 4 + [hang] + [Answer()] * 6 + [hang] + [Answer()]
    hung = threading.Event()

    def watch(request: Received) -> None:
        if len(receiver.requests()) in {5, 12}:
            hung.set()

    receiver.on_request = watch
    _emit(settings, partner_a.id, [company], 20)
    for _kill in range(2):
        with worker_process(settings) as worker:
            assert hung.wait(30), "the receiver never saw the request to hang on"
            hung.clear()
            kill_hard(worker)
            assert worker.returncode == -signal.SIGKILL
    with worker_process(settings) as worker:
        receiver.wait_for(lambda: set(_sequences(receiver)["/ep/0"]) == set(range(20)))
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    received = _sequences(receiver)["/ep/0"]
    assert received == sorted(received)  # re-sent ones come again before anything later
    assert len(received) >= 22  # the two interrupted deliveries were sent again
    ids: dict[int, set[str]] = defaultdict(set)
    for request in receiver.requests():
        ids[request.event["data"]["object"]["seq"]].add(request.event["id"])
    assert all(len(event_ids) == 1 for event_ids in ids.values())  # duplicates keep their id


def test_a_thousand_events_over_fifty_endpoints_arrive_in_order(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    companies = _endpoints(settings, partner_a.id, receiver, 50)
    for n in range(5):
        receiver.script[f"/ep/{n}"] = [Answer(500), Answer(503), Answer(200)]
    _emit(settings, partner_a.id, companies, 1000)
    expected = {f"/ep/{n}": list(range(n, 1000, 50)) for n in range(50)}
    # Two workers share the queue; the lease outlasts any wait for SQLite's write lock.
    options = {"BLANCHE_WEBHOOKS_CONCURRENCY": "25", "BLANCHE_WEBHOOKS_LEASE_SECONDS": "60"}
    with worker_process(settings, **options), worker_process(settings, **options):
        receiver.wait_for(
            lambda: (
                {path: sorted(set(seqs)) for path, seqs in _sequences(receiver).items()} == expected
            ),
            timeout=60,
        )
    sequences = _sequences(receiver)
    for path, seqs in sequences.items():
        deduplicated = list(dict.fromkeys(seqs))
        assert deduplicated == expected[path], path
        assert seqs == sorted(seqs), path
    odd = {p: s for p, s in sequences.items() if len(s) != 20}
    assert {path: len(seqs) for path, seqs in odd.items()} == {f"/ep/{n}": 22 for n in range(5)}
