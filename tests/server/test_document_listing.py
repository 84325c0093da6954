"""A page of documents (server/api/documents/listing.py): written by orjson, its bytes
must be those `pydantic_core.to_json` writes, whatever the values; read in two
statements, it holds only whole summaries, whatever happened between them."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import to_json
from sqlalchemy import delete, event, null, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.api.documents.listing import page_json
from server.api.documents.views import DocumentSummary
from server.db.documents import DocumentRow
from server.settings import Settings
from tests.server.helpers import Partner, in_db

_UTC_OR_OFFSET = st.sampled_from(
    [dt.UTC, None, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-9))]
)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(),  # control characters, non-ASCII, lone surrogates
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(places=2, min_value=-(10**12), max_value=10**12),
    st.dates(),
    st.datetimes(timezones=_UTC_OR_OFFSET),
)
_PAGES = st.recursive(
    _VALUES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(st.dictionaries(st.text(), _PAGES, max_size=6))
def test_a_page_is_written_as_to_json_writes_it(page: dict[str, Any]) -> None:
    assert page_json(page) == to_json(page)


def test_amounts_and_times_as_a_summary_has_them() -> None:
    item = {
        "balance": Decimal("1481.40"),
        "refund_due": Decimal("0.00"),
        "issue_date": dt.date(2026, 3, 2),
        "created_at": dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
        "updated_at": dt.datetime(2026, 3, 2, 9, 30, 0, 120000, tzinfo=dt.UTC),
    }
    page = {"items": [item], "next_cursor": None}
    assert page_json(page) == to_json(page)
    assert b'"created_at":"2026-03-02T09:30:00Z"' in page_json(page)


def test_a_document_deleted_between_the_page_and_its_content_is_left_out(
    partner_a: Partner, settings: Settings, app: Any
) -> None:
    """A row stored without totals is summarized from its content, read by a second
    statement: on PostgreSQL that one sees a delete committed in between (SQLite reads
    both in one snapshot). Either way the page holds whole summaries, and its cursor
    still follows the rows read."""
    company = partner_a.company()["id"]
    kept = [partner_a.draft(company)["id"] for _ in range(2)]
    gone = partner_a.draft(company)["id"]

    async def as_before_migration_0007(session: AsyncSession) -> None:
        await session.execute(
            update(DocumentRow).where(DocumentRow.id == gone).values(totals=null())
        )

    async def delete_it(session: AsyncSession) -> None:
        await session.execute(delete(DocumentRow).where(DocumentRow.id == gone))

    in_db(settings, as_before_migration_0007)
    engine = app.state.services.engine.sync_engine
    deleted: list[bool] = []

    def after_the_page(*args: Any) -> None:
        statement = args[2]
        if not deleted and "LIMIT" in statement and "FROM documents" in statement:
            deleted.append(True)  # by another connection, committed before the next statement
            worker = threading.Thread(target=in_db, args=(settings, delete_it))
            worker.start()
            worker.join()

    event.listen(engine, "after_cursor_execute", after_the_page)
    try:
        page = partner_a.ok(partner_a.get(f"/companies/{company}/documents", params={"limit": "3"}))
    finally:
        event.remove(engine, "after_cursor_execute", after_the_page)
    assert deleted
    assert all(list(item) == list(DocumentSummary.model_fields) for item in page["items"])
    listed = [item["id"] for item in page["items"]]
    if settings.database_url.startswith("sqlite"):
        assert listed == [gone, *reversed(kept)]
    else:
        assert listed == list(reversed(kept))
    assert page["next_cursor"] is not None  # three rows were read: there may be more
