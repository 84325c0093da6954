"""PostgreSQL compresses a created draft's content and its event's payload with lz4
(migration 0016), which costs the server less CPU than pglz."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.settings import Settings
from tests.server.helpers import Partner, document_body, in_db


def test_a_drafts_content_and_its_events_payload_are_compressed_with_lz4(
    partner_a: Partner, settings: Settings
) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite stores text as it is")
    company = partner_a.company()["id"]
    draft = partner_a.ok(
        partner_a.post(f"/companies/{company}/documents", document_body(lines=40)), 201
    )

    async def compression(session: AsyncSession) -> tuple[str, str]:
        content = await session.scalar(
            text("SELECT pg_column_compression(content) FROM documents WHERE id = :id"),
            {"id": draft["id"]},
        )
        payload = await session.scalar(
            text(
                "SELECT pg_column_compression(payload) FROM webhook_events "
                "WHERE type = 'document.created' ORDER BY id DESC LIMIT 1"
            )
        )
        return content, payload

    assert in_db(settings, compression) == ("lz4", "lz4")
