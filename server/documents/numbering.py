"""Gapless, chronological numbers per company and series: `F-2026-00001`.

The counter row is locked (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite
transactions already hold the write lock from their first statement), so
concurrent finalizations queue; it is updated in the finalizing transaction,
so a failed finalization gives its number back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import NumberingCounter
from server.db.tenants import Company
from server.documents.refusals import fr_date
from server.problems import Refusal

DEFAULT_PREFIXES = {"invoice": "F", "credit_note": "A", "deposit_invoice": "F", "quote": "D"}


@dataclass(frozen=True, slots=True)
class Number:
    series: str  # e.g. F-2026
    sequence: int
    text: str  # e.g. F-2026-00001


def prefix_of(company: Company, kind: str) -> str:
    return company.series.get(kind) or DEFAULT_PREFIXES[kind]


def series_of(company: Company, kind: str, issue_date: dt.date) -> str:
    return f"{prefix_of(company, kind)}-{issue_date.year}"


def _number(series: str, sequence: int) -> Number:
    return Number(series, sequence, f"{series}-{sequence:05d}")


async def upcoming_number(
    session: AsyncSession, company: Company, kind: str, issue_date: dt.date
) -> Number:
    """The number the next finalization in this series will most likely take (read
    without a lock: another finalization may take it first)."""
    series = series_of(company, kind, issue_date)
    last = await session.scalar(
        select(NumberingCounter.last_value).where(
            NumberingCounter.company_id == company.id, NumberingCounter.series == series
        )
    )
    return _number(series, (last or 0) + 1)


async def _locked_counter(session: AsyncSession, company_id: int, series: str) -> NumberingCounter:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(NumberingCounter)
        .values(company_id=company_id, series=series, last_value=0)
        .on_conflict_do_nothing(index_elements=["company_id", "series"])
    )
    counter = await session.scalar(
        select(NumberingCounter)
        .where(NumberingCounter.company_id == company_id, NumberingCounter.series == series)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert counter is not None
    return counter


async def take_number(
    session: AsyncSession, company: Company, kind: str, issue_date: dt.date
) -> Number:
    series = series_of(company, kind, issue_date)
    counter = await _locked_counter(session, company.id, series)
    if counter.last_issue_date is not None and issue_date < counter.last_issue_date:
        last = counter.last_issue_date
        en = (
            f"Series {series} already has a document dated {last}; numbers "
            "must follow the dates: use that date or a later one."
        )
        fr = (
            f"La série {series} a déjà un document daté du {fr_date(last)} ; les numéros "
            "suivent les dates : choisissez cette date ou une date postérieure."
        )
        raise Refusal(
            422,
            "chronology",
            "Issue date earlier than the previous number",
            en,
            fr,
            errors=[("issue_date", en, fr)],
        )
    counter.last_value += 1
    counter.last_issue_date = issue_date
    await session.flush()
    return _number(series, counter.last_value)
