"""Recording lifecycle statuses: once each, with a webhook event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import DocumentRow
from server.db.pa import LifecycleEntry
from server.pa.statuses import NEXT_STEP_EN, label
from server.webhooks.outbox import emit

PLATFORM_STEPS = ("200", "201", "202", "213")


def entry_out(entry: LifecycleEntry) -> dict[str, Any]:
    return {
        "code": entry.code,
        "label": label(entry.code, "fr"),
        "label_en": label(entry.code, "en"),
        "at": entry.at.isoformat(),
        "issuer": entry.issuer,
        "reason": entry.reason,
        "amount": None if entry.amount is None else f"{entry.amount:.2f}",
        "next_step": NEXT_STEP_EN.get(entry.code),
    }


async def record(
    session: AsyncSession,
    document: DocumentRow,
    *,
    code: str,
    at: dt.datetime,
    issuer: str,
    source: str,
    reason: str | None = None,
    amount: Decimal | None = None,
) -> LifecycleEntry | None:
    """Store a status unless this source already gave it; emit
    `document.lifecycle` in the same transaction. None when it was known."""
    known = await session.scalar(
        select(LifecycleEntry.id).where(
            LifecycleEntry.document_id == document.id,
            LifecycleEntry.code == code,
            LifecycleEntry.source == source,
        )
    )
    if known is not None:
        return None
    entry = LifecycleEntry(
        partner_id=document.partner_id,
        company_id=document.company_id,
        document_id=document.id,
        code=code,
        # Lifecycle messages carry seconds (CDAR format 204): keep ours alike.
        at=at.replace(microsecond=0),
        issuer=issuer,
        reason=reason[:2000] if reason else None,
        amount=amount,
        source=source[:120],
    )
    session.add(entry)
    await session.flush()
    await emit(
        session,
        partner_id=document.partner_id,
        company_id=document.company_id,
        event_type="document.lifecycle",
        object_type="document",
        object_id=document.id,
        obj={"document_id": document.id, "number": document.number, **entry_out(entry)},
    )
    return entry


async def history(session: AsyncSession, document_id: int) -> list[LifecycleEntry]:
    # Within one second, the platform's own steps (deposit, rejection) come first.
    platform_first = case((LifecycleEntry.code.in_(PLATFORM_STEPS), 0), else_=1)
    rows = await session.scalars(
        select(LifecycleEntry)
        .where(LifecycleEntry.document_id == document_id)
        .order_by(LifecycleEntry.at, platform_first, LifecycleEntry.id)
    )
    return list(rows)
