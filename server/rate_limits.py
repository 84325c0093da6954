"""Account creation limits: N per hour per partner, or 1 per minute when the
call comes from one of the partner's whitelisted IPs (a sliding window)."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, func, select

from server.db.housekeeping import RateLimitEvent
from server.db.tenants import Partner
from server.endpoint import ApiCall
from server.problems import refused_request

ACCOUNT_CREATION = "account_creation"


async def consume_account_creation(call: ApiCall) -> None:
    """Count one account creation, or answer 429 with Retry-After."""
    partner = call.caller.partner
    settings = call.services.settings
    if call.caller.client_ip is not None and call.caller.client_ip in partner.whitelisted_ips:
        limit, window = settings.whitelisted_account_creations_per_minute, dt.timedelta(minutes=1)
        bucket = f"{ACCOUNT_CREATION}:whitelisted"
    else:
        per_hour = partner.account_creations_per_hour
        limit = settings.account_creations_per_hour if per_hour is None else per_hour
        window, bucket = dt.timedelta(hours=1), ACCOUNT_CREATION
    now = call.services.clock()
    since = now - window
    session = call.session
    # Concurrent creations of one partner queue here (PostgreSQL; SQLite already does).
    await session.execute(select(Partner.id).where(Partner.id == partner.id).with_for_update())
    await session.execute(
        delete(RateLimitEvent).where(
            RateLimitEvent.partner_id == partner.id,
            RateLimitEvent.bucket == bucket,
            RateLimitEvent.at <= since,
        )
    )
    count, oldest = (
        await session.execute(
            select(func.count(), func.min(RateLimitEvent.at)).where(
                RateLimitEvent.partner_id == partner.id, RateLimitEvent.bucket == bucket
            )
        )
    ).one()
    if count >= limit:
        wait = window if oldest is None else oldest + window - now
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise refused_request(
            429,
            "rate_limited",
            "Too many account creations",
            f"rate_limited.accounts_{_window_name(window)}",
            headers={"Retry-After": str(seconds)},
            limits={"limit": limit, "wait": seconds},
        )
    session.add(RateLimitEvent(partner_id=partner.id, bucket=bucket, at=now))


def _window_name(window: dt.timedelta) -> str:
    return "minute" if window == dt.timedelta(minutes=1) else "hour"
