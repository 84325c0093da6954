"""Gapless numbering under concurrent finalizations, on both engines."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from editor.work_pool import WorkPool
from invoicing.model import Document
from server.db.documents import DocumentRow, JournalEntry
from server.db.engine import create_engine, session_factory
from server.db.migrate import upgrade_database
from server.db.tenants import Company, Partner
from server.documents.content import store_content
from server.documents.finalize import finalize
from server.documents.journal import JournalSeal, bind_seal, verify_journal
from server.settings import sqlite_url
from tests.server.helpers import document_body


async def _finalize_concurrently(
    url: str,
    var_dir: Path,
    documents: int,
    workers: int,
    migrate: bool = False,
) -> list[str]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    bind_seal(sessions, JournalSeal((b"test-journal-key",), var_dir / "journal" / "heads"))
    checker = WorkPool(warm=False)  # the real official check, in a worker process
    try:
        if migrate:
            await upgrade_database(engine)
        async with sessions() as session, session.begin():
            partner = Partner(name="P", origins=[], whitelisted_ips=[], default_editor_options={})
            session.add(partner)
            await session.flush()
            company = Company(partner_id=partner.id, name="C", seller={}, series={}, legal_notes=[])
            session.add(company)
            await session.flush()
            template = Document.model_validate(document_body(lines=2))
            ids = []
            for _ in range(documents):
                row = DocumentRow(partner_id=partner.id, company_id=company.id, status="draft")
                store_content(row, template)
                session.add(row)
                await session.flush()
                ids.append(row.id)
            company_id = company.id
        queue: asyncio.Queue[int] = asyncio.Queue()
        for document_id in ids:
            queue.put_nowait(document_id)

        async def worker() -> None:
            while not queue.empty():
                document_id = queue.get_nowait()
                await finalize(
                    sessions.begin, company_id, document_id, dt.date(2026, 3, 2), checker
                )

        await asyncio.gather(*(worker() for _ in range(workers)))
        async with sessions() as session, session.begin():
            report = await verify_journal(session, company_id)
            assert report.ok, report.problems
            assert report.entries == documents
            assert report.sealed_to == report.anchored_to == documents
            positions = list(
                await session.scalars(
                    select(JournalEntry.document_id).order_by(JournalEntry.position)
                )
            )
            assert len(set(positions)) == documents
            return list(
                await session.scalars(
                    select(DocumentRow.number).where(DocumentRow.company_id == company_id)
                )
            )
    finally:
        checker.close()
        await engine.dispose()


@pytest.mark.postgres
def test_200_finalizations_from_8_workers_on_postgresql(postgres: object, tmp_path: Path) -> None:
    from tests.server.conftest import _fresh_database
    from tests.server.postgres_server import PostgresServer

    assert isinstance(postgres, PostgresServer)
    url = asyncio.run(_fresh_database(postgres))
    numbers = asyncio.run(_finalize_concurrently(url, tmp_path, 200, 8))
    assert sorted(numbers) == [f"F-2026-{n:05d}" for n in range(1, 201)]


def test_concurrent_finalizations_on_sqlite(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "blanche.db")
    numbers = asyncio.run(_finalize_concurrently(url, tmp_path, 40, 4, migrate=True))
    assert sorted(numbers) == [f"F-2026-{n:05d}" for n in range(1, 41)]
