"""Concurrent payments and credit notes on one invoice (SQLite and PostgreSQL):
the invoice row lock keeps them within the balance and what was invoiced."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import DocumentRow
from server.db.engine import create_engine, session_factory
from server.documents.finalize import issue as issue_planned
from server.documents.finalize import plan_finalization
from server.documents.journal import JournalSeal, bind_seal, verify_journal
from server.documents.payments import record_payment
from server.problems import Problem
from server.settings import Settings
from tests.server.documents.flows import get, invoice_body, issue
from tests.server.helpers import Partner

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
Job = Callable[[AsyncSession], Awaitable[None]]


async def _race(settings: Settings, work: list[Job]) -> list[bool]:
    """Run each job in its own transaction, all at once: which ones went through."""
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    bind_seal(sessions, JournalSeal.for_settings(settings))

    async def attempt(job: Job) -> bool:
        try:
            async with sessions() as session, session.begin():
                await job(session)
            return True
        except Problem:
            return False

    try:
        return list(await asyncio.gather(*(attempt(job) for job in work)))
    finally:
        await engine.dispose()


def _issuing(company_id: int, document_id: int) -> Job:
    """Finalization's planning and issuing steps in one transaction (the official
    check between them runs outside any transaction and is not what races here)."""

    async def job(session: AsyncSession) -> None:
        plan = await plan_finalization(session, company_id, document_id, NOW.date())
        assert await issue_planned(session, plan, company_id, document_id, NOW.date())

    return job


async def _verified(settings: Settings, company_id: int) -> bool:
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    bind_seal(sessions, JournalSeal.for_settings(settings))
    try:
        async with sessions() as session, session.begin():
            report = await verify_journal(session, company_id)
            return report.ok
    finally:
        await engine.dispose()


def test_concurrent_payments_stay_within_the_balance(
    partner_a: Partner, settings: Settings
) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("1", "100.00", "20")))  # 120.00 due

    def pay(amount: str) -> Job:
        async def job(session: AsyncSession) -> None:
            row = await session.scalar(
                select(DocumentRow).where(DocumentRow.id == invoice["id"])  # no lock: the flow's
            )
            assert row is not None
            await record_payment(
                session,
                row,
                amount=Decimal(amount),
                paid_on=NOW.date(),
                means_code="58",
                reference=None,
                now=NOW,
            )

        return job

    done = asyncio.run(_race(settings, [pay("40.00") for _ in range(6)]))
    assert done.count(True) == 3
    shown = get(partner_a, invoice["id"])
    assert (shown["status"], shown["paid_amount"], shown["balance"]) == ("paid", "120.00", "0.00")
    assert len(partner_a.ok(partner_a.get(f"/documents/{invoice['id']}/payments"))["items"]) == 3
    assert asyncio.run(_verified(settings, company))


def test_concurrent_credit_notes_never_over_credit(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()["id"]
    invoice = issue(partner_a, company, invoice_body(("2", "50.00", "20")))
    body = {"lines": [{"index": 0, "quantity": "2"}]}
    drafts = [
        partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/credit-note", body), 201)["id"]
        for _ in range(4)
    ]

    def issue_note(note_id: int) -> Job:
        return _issuing(company, note_id)

    done = asyncio.run(_race(settings, [issue_note(note) for note in drafts]))
    assert done.count(True) == 1
    shown = get(partner_a, invoice["id"])
    assert shown["status"] == "cancelled" and shown["credited_amount"] == "120.00"
    assert asyncio.run(_verified(settings, company))


def test_a_payment_beside_a_credit_note_being_issued_never_deadlocks(
    partner_a: Partner, settings: Settings
) -> None:
    """Finalizing locks the company, then the invoice it credits; a payment locks
    its company before its invoice too (server/documents/locks.py). In the other
    order, PostgreSQL aborts one of them with a deadlock."""
    company = partner_a.company()["id"]
    for _ in range(4):
        invoice = issue(partner_a, company, invoice_body(("2", "50.00", "20")))  # 120.00
        body = {"lines": [{"index": 0, "quantity": "1"}]}
        note = partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/credit-note", body), 201)

        async def pay(session: AsyncSession, invoice_id: int = invoice["id"]) -> None:
            row = await session.scalar(select(DocumentRow).where(DocumentRow.id == invoice_id))
            assert row is not None
            await record_payment(
                session,
                row,
                amount=Decimal("30.00"),
                paid_on=NOW.date(),
                means_code="58",
                reference=None,
                now=NOW,
            )

        credit = _issuing(company, note["id"])
        assert asyncio.run(_race(settings, [pay, credit])) == [True, True]
        shown = get(partner_a, invoice["id"])
        assert (shown["paid_amount"], shown["credited_amount"]) == ("30.00", "60.00")
    assert asyncio.run(_verified(settings, company))
