"""The events the service emits, one function per kind of object, so every
caller builds the same payload (the object as the API shows it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.api.documents.views import document_out
from server.db.documents import DocumentRow
from server.webhooks.outbox import Emitted, emit, emit_in


async def document_event(
    session: AsyncSession, row: DocumentRow, event_type: str, shown: str | None = None
) -> Emitted:
    """`document.created`, `.saved`, `.finalized`, `.paid` or `.cancelled`
    (call it after the row is flushed, in the transaction that changed it);
    `shown`: the row's `document_out` JSON text when the caller has it already."""
    return await session.run_sync(document_event_in, row, event_type, shown)


def document_event_in(
    session: Session, row: DocumentRow, event_type: str, shown: str | None = None
) -> Emitted:
    """`document_event`, for code already running in the session's greenlet."""
    return emit_in(
        session,
        partner_id=row.partner_id,
        company_id=row.company_id,
        event_type=event_type,
        object_type="document",
        object_id=row.id,
        obj=document_out(row).model_dump_json() if shown is None else shown,
    )


async def contact_event(
    session: AsyncSession,
    partner_id: int,
    company_id: int,
    contact_id: int,
    event_type: str,
    obj: dict[str, Any],
) -> Emitted:
    return await emit(
        session,
        partner_id=partner_id,
        company_id=company_id,
        event_type=event_type,
        object_type="contact",
        object_id=contact_id,
        obj=obj,
    )


async def company_created(
    session: AsyncSession, partner_id: int, company_id: int, obj: dict[str, Any]
) -> Emitted:
    return await emit(
        session,
        partner_id=partner_id,
        company_id=company_id,
        event_type="company.created",
        object_type="company",
        object_id=company_id,
        obj=obj,
    )
