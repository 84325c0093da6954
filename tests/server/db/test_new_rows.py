"""A row written by `insert_new` is what `session.add` and a flush would leave."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import DateTime, Exists, Integer, String, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from server.db.documents import DocumentRow
from server.db.new_rows import insert_new, insert_new_if_in
from server.db.tenants import Company
from server.db.webhooks import WebhookEvent
from server.settings import Settings
from tests.server.helpers import Partner, in_db


def test_a_new_row_is_written_with_its_defaults_and_stays_in_the_session(
    partner_a: Partner, settings: Settings
) -> None:
    company_id = partner_a.company()["id"]

    async def work(session: AsyncSession) -> tuple[int, dt.datetime]:
        row = DocumentRow(
            partner_id=partner_a.id, company_id=company_id, kind="invoice", content="{}"
        )
        await insert_new(session, row)
        assert row in session and row not in session.new and not session.dirty
        assert row.status == "draft" and row.buyer_name == "" and row.number is None
        assert row.created_at.tzinfo is dt.UTC
        row.buyer_name = "Changed later"  # persistent: the next flush updates it
        await session.flush()
        return row.id, row.created_at

    row_id, created_at = in_db(settings, work)

    async def read(session: AsyncSession) -> DocumentRow:
        found = await session.scalar(select(DocumentRow).where(DocumentRow.id == row_id))
        assert found is not None
        return found

    stored = in_db(settings, read)
    assert (stored.status, stored.kind, stored.buyer_name) == ("draft", "invoice", "Changed later")
    assert stored.created_at == created_at and stored.finalized_at is None


def test_changes_pending_in_the_session_are_written_first(
    partner_a: Partner, settings: Settings
) -> None:
    company_id = partner_a.company()["id"]

    async def work(session: AsyncSession) -> None:
        company = await session.get(Company, company_id)
        assert company is not None
        company.name = "Renamed"
        assert session.dirty
        await insert_new(
            session,
            DocumentRow(partner_id=partner_a.id, company_id=company_id, kind="quote", content="{}"),
        )
        assert not session.dirty

    in_db(settings, work)
    assert partner_a.ok(partner_a.get(f"/companies/{company_id}"))["name"] == "Renamed"


class _Other(DeclarativeBase):
    pass


class _DatabaseDefault(_Other):
    __tablename__ = "database_default"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(10), server_default="x")


class _SqlDefault(_Other):
    __tablename__ = "sql_default"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=func.now())


@pytest.mark.parametrize("row", [_DatabaseDefault(), _SqlDefault()])
def test_a_default_the_database_computes_is_refused_before_anything_is_written(
    row: _Other, settings: Settings
) -> None:
    async def work(session: AsyncSession) -> None:
        with pytest.raises(ValueError, match="a default insert_new cannot write"):
            await insert_new(session, row)  # type: ignore[arg-type]

    in_db(settings, work)


def test_a_refused_insert_raises_as_sqlalchemys_execution_would(
    partner_a: Partner, settings: Settings
) -> None:
    """An IntegrityError the API answers 409 for, not the driver's own exception."""

    def event(event_id: str) -> WebhookEvent:
        return WebhookEvent(
            event_id=event_id, partner_id=partner_a.id, type="document.created", payload="{}"
        )

    async def work(session: AsyncSession) -> None:
        await insert_new(session, event("same-id"))
        with pytest.raises(IntegrityError):
            await insert_new(session, event("same-id"))

    in_db(settings, work)


def _company_named() -> Exists:
    table = Company.__table__
    return (
        select(table.c.id)
        .where(table.c.id == bindparam("named_id"), table.c.name == bindparam("named"))
        .exists()
    )


def test_a_row_written_if_a_condition_holds_is_written_only_then(
    partner_a: Partner, settings: Settings
) -> None:
    company_id = partner_a.company("Atelier Blanc")["id"]
    condition = (("company_named", "test"), _company_named)

    def draft() -> DocumentRow:
        return DocumentRow(
            partner_id=partner_a.id, company_id=company_id, kind="invoice", content="{}"
        )

    async def work(session: AsyncSession) -> tuple[int | None, DocumentRow]:
        refused = draft()
        params = {"named_id": company_id, "named": "Atelier Noir"}
        assert not await session.run_sync(insert_new_if_in, refused, condition, params)
        assert refused not in session and "id" not in refused.__dict__
        assert "status" not in refused.__dict__  # left as it was: no default filled in
        written = draft()
        params = {"named_id": company_id, "named": "Atelier Blanc"}
        assert await session.run_sync(insert_new_if_in, written, condition, params)
        assert written in session and not session.new and not session.dirty
        assert written.status == "draft" and written.created_at.tzinfo is dt.UTC
        return written.id, written

    row_id, _written = in_db(settings, work)

    async def read(session: AsyncSession) -> list[int]:
        return list(await session.scalars(select(DocumentRow.id)))

    assert in_db(settings, read) == [row_id]
