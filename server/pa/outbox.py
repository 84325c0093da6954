"""The PA outbox: what must reach the company's platform, written in the
transaction that made it necessary, claimed by workers with a lease.

Claims are short transactions (`FOR UPDATE SKIP LOCKED` on PostgreSQL; on
SQLite the write lock serializes them); calls to the platform happen outside
any transaction. A worker that dies leaves a lease that expires, and the
flow's tracking id (ours, stable) makes a second submission of the same flow
recognisable by the platform: nothing is lost, nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import DocumentRow
from server.db.pa import PaAttempt, PaConnection, PaTransmission
from server.pa import cdar


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    lease_token: str
    company_id: int
    document_id: int | None
    kind: str
    state: str
    tracking_id: str
    filename: str
    media_type: str
    payload: bytes | None
    flow_id: str | None
    attempts: int


def invoice_tracking_id(document: DocumentRow) -> str:
    """Our document id, plus a random part so that two Blanche databases (a
    test and a production instance) never send the same id to one platform.
    Drawn once, stored with the transmission: every retry sends the same."""
    return f"blanche-doc-{document.id}-{uuid.uuid4().hex[:12]}"


async def connection_of(session: AsyncSession, company_id: int) -> PaConnection | None:
    return await session.get(PaConnection, company_id)


async def enqueue_invoice(session: AsyncSession, document: DocumentRow) -> PaTransmission | None:
    """Queue an issued invoice for the company's PA (none when not connected)."""
    if await connection_of(session, document.company_id) is None:
        return None
    transmission = PaTransmission(
        partner_id=document.partner_id,
        company_id=document.company_id,
        document_id=document.id,
        kind="invoice",
        tracking_id=invoice_tracking_id(document),
        filename=f"{document.number or document.id}.pdf",
        media_type="application/pdf",
    )
    session.add(transmission)
    await session.flush()
    return transmission


async def enqueue_status(
    session: AsyncSession,
    document: DocumentRow,
    *,
    code: str,
    at: dt.datetime,
    source: str,
    amount: Decimal | None = None,
    currency: str = "EUR",
    reason: str | None = None,
) -> PaTransmission | None:
    """Queue a lifecycle status the seller sends (212 Encaissée after a payment)."""
    if await connection_of(session, document.company_id) is None or document.number is None:
        return None
    message = cdar.StatusMessage(
        message_id=f"blanche-{source}",
        issued_at=at,
        invoice_number=document.number,
        invoice_issue_date=document.issue_date,
        code=code,
        role=cdar.ROLE_SELLER,
        reason=reason,
        amount=amount,
        currency=currency,
    )
    transmission = PaTransmission(
        partner_id=document.partner_id,
        company_id=document.company_id,
        document_id=document.id,
        kind="lifecycle",
        tracking_id=f"blanche-{source}",
        filename=f"{document.number}-{code}.xml",
        media_type="application/xml",
        payload=cdar.build(message),
    )
    session.add(transmission)
    await session.flush()
    return transmission


async def claim(
    session: AsyncSession, now: dt.datetime, limit: int, postgres: bool, lease_seconds: float
) -> list[Claimed]:
    """Lease up to `limit` due transmissions (pending, or submitted and
    waiting for their acknowledgement)."""
    query = (
        select(PaTransmission)
        .where(
            PaTransmission.state.in_(("pending", "submitted")),
            PaTransmission.next_attempt_at <= now,
            or_(PaTransmission.lease_expires_at.is_(None), PaTransmission.lease_expires_at <= now),
        )
        .order_by(PaTransmission.next_attempt_at, PaTransmission.id)
        .limit(limit)
    )
    if postgres:
        query = query.with_for_update(skip_locked=True)
    rows = list(await session.scalars(query))
    claimed = []
    for row in rows:
        row.lease_token = uuid.uuid4().hex
        row.lease_expires_at = now + dt.timedelta(seconds=lease_seconds)
        claimed.append(
            Claimed(
                id=row.id,
                lease_token=row.lease_token,
                company_id=row.company_id,
                document_id=row.document_id,
                kind=row.kind,
                state=row.state,
                tracking_id=row.tracking_id,
                filename=row.filename,
                media_type=row.media_type,
                payload=row.payload,
                flow_id=row.flow_id,
                attempts=row.attempts,
            )
        )
    await session.flush()
    return claimed


async def leased(session: AsyncSession, claimed: Claimed) -> PaTransmission | None:
    """The row, if this worker's lease still holds it (else another took over)."""
    row = await session.scalar(
        select(PaTransmission).where(PaTransmission.id == claimed.id).with_for_update()
    )
    if row is None or row.lease_token != claimed.lease_token:
        return None
    return row


def log(
    session: AsyncSession,
    row: PaTransmission,
    *,
    step: str,
    outcome: str,
    now: dt.datetime,
    http_status: int | None = None,
    error: str | None = None,
    action: str | None = None,
) -> None:
    session.add(
        PaAttempt(
            transmission_id=row.id,
            at=now,
            step=step,
            outcome=outcome,
            http_status=http_status,
            error=error,
            action=action,
        )
    )
