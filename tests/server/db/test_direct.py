"""A `DirectStatement` reads, writes and fails as `session.execute` of its statement."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, literal, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.direct import DirectStatement
from server.db.engine import create_engine, read_session_factory
from server.db.webhooks import WebhookEvent, WebhookSubscription
from server.settings import Settings
from tests.server.helpers import Partner, in_db

_EVENTS = WebhookEvent.metadata.tables[WebhookEvent.__tablename__]
_SUBSCRIPTIONS = WebhookSubscription.metadata.tables[WebhookSubscription.__tablename__]
_NEW_EVENT = insert(_EVENTS).values(
    {name: bindparam(name) for name in ("event_id", "partner_id", "type", "payload", "created_at")}
)
_EVENT_OF = select(_EVENTS.c.event_id, _EVENTS.c.created_at).where(
    _EVENTS.c.partner_id == bindparam("partner_id")
)


def _event(partner_id: int, event_id: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "partner_id": partner_id,
        "type": "document.created",
        "payload": "{}",
        "created_at": at,
    }


def test_rows_come_back_as_their_columns_read_them(partner_a: Partner, settings: Settings) -> None:
    """Values go through the columns' bind processors and come back through their
    result processors (an aware datetime, JSON decoded), as `session.execute` gives them."""
    at = dt.datetime(2026, 3, 1, 12, 30, 15, 250, tzinfo=dt.UTC)
    subscription = insert(_SUBSCRIPTIONS).values(
        partner_id=partner_a.id,
        url="https://hooks.example/",
        secret="s",
        events=["document.created", "é"],
    )
    subscriptions = DirectStatement(
        select(_SUBSCRIPTIONS.c.events, _SUBSCRIPTIONS.c.url)
        .where(_SUBSCRIPTIONS.c.partner_id == bindparam("partner_id"))
        .limit(5)  # a parameter the statement gives itself
    )

    async def work(session: AsyncSession) -> None:
        await session.execute(subscription)
        direct = DirectStatement(_NEW_EVENT)
        await session.run_sync(
            lambda sync: direct.run_many_in(
                sync, [_event(partner_a.id, "e-1", at), _event(partner_a.id, "e-2", at)]
            )
        )
        read = DirectStatement(_EVENT_OF)
        rows = await session.run_sync(read.rows_in, {"partner_id": partner_a.id})
        executed = (await session.execute(_EVENT_OF, {"partner_id": partner_a.id})).all()
        assert sorted(rows) == sorted(tuple(row) for row in executed)
        assert sorted(rows) == [("e-1", at), ("e-2", at)]
        found = await session.run_sync(subscriptions.rows_in, {"partner_id": partner_a.id})
        assert found == [(["document.created", "é"], "https://hooks.example/")]

    in_db(settings, work)


def test_a_refused_write_raises_as_sqlalchemys_execution_would(
    partner_a: Partner, settings: Settings
) -> None:
    """An IntegrityError the API answers 409 for, not the driver's own exception."""
    at = dt.datetime.now(dt.UTC)
    direct = DirectStatement(_NEW_EVENT)

    async def work(session: AsyncSession) -> None:
        await session.run_sync(
            lambda sync: direct.run_many_in(sync, [_event(partner_a.id, "same", at)])
        )
        with pytest.raises(IntegrityError) as raised:
            await session.run_sync(
                lambda sync: direct.run_many_in(sync, [_event(partner_a.id, "same", at)])
            )
        dialect = (await session.connection()).dialect
        assert raised.value.statement == direct.compiled(dialect).sql

    in_db(settings, work)


def test_a_write_in_a_read_transaction_fails_as_sqlalchemys_execution_would(
    partner_a: Partner, settings: Settings
) -> None:
    """The same exception class as `session.execute` raises: on SQLite an
    OperationalError, which the API answers 503 for."""
    direct = DirectStatement(_NEW_EVENT)
    event = _event(partner_a.id, "read-only", dt.datetime.now(dt.UTC))

    async def refused(run: Any) -> type[BaseException]:
        engine = create_engine(settings.database_url)
        try:
            async with read_session_factory(engine)() as session, session.begin():
                await session.execute(select(literal(1)))
                with pytest.raises(DBAPIError) as raised:
                    await run(session)
                return type(raised.value)
        finally:
            await engine.dispose()

    async def both() -> tuple[type[BaseException], type[BaseException]]:
        executed = await refused(lambda session: session.execute(_NEW_EVENT, event))
        direct_run = await refused(
            lambda session: session.run_sync(lambda sync: direct.run_many_in(sync, [event]))
        )
        return executed, direct_run

    executed, direct_run = asyncio.run(both())
    assert direct_run is executed
    if settings.database_url.startswith("sqlite"):
        assert direct_run is OperationalError
