"""Partner API keys: random, shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.base import utcnow
from server.db.tenants import ApiKey, Partner

KEY_PREFIX = "bk_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewKey:
    id: int
    secret: str  # shown once, never stored


async def create_key(
    session: AsyncSession, partner_id: int, company_id: int | None = None, label: str = ""
) -> NewKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        partner_id=partner_id,
        company_id=company_id,
        prefix=secret[:10],
        key_sha256=digest(secret),
        label=label,
    )
    session.add(row)
    await session.flush()
    return NewKey(row.id, secret)


async def find_active_key(session: AsyncSession, secret: str) -> ApiKey | None:
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    row = await session.scalar(select(ApiKey).where(ApiKey.key_sha256 == digest(secret)))
    if row is None or row.revoked_at is not None:
        return None
    return row


async def find_active_key_and_partner(
    session: AsyncSession, secret: str
) -> tuple[ApiKey, Partner] | None:
    """The active key and its partner, in one query (every API request asks)."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    found = (
        await session.execute(
            select(ApiKey, Partner)
            .join(Partner, Partner.id == ApiKey.partner_id)
            .where(ApiKey.key_sha256 == digest(secret), ApiKey.revoked_at.is_(None))
        )
    ).first()
    return None if found is None else (found[0], found[1])


async def revoke_key(session: AsyncSession, key_id: int) -> bool:
    row = await session.get(ApiKey, key_id)
    if row is None:
        return False
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return True
