"""Theme studio sign-in: a one-time login link, exchanged for a studio session.

The partner's backend (API key) mints a link valid 15 minutes; opening it in
the studio exchanges it, once, for a session valid 8 hours. Both are signed
with the service's rotating keys (itsdangerous), each with its own salt, so
neither can pass for the other or for an editor token. One-time use is
recorded in `studio_link_uses` (the link id is the primary key: a second
exchange, even concurrent, fails on the insert).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Final

from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.tenants import Partner
from server.db.themes import StudioLinkUse

LINK_SALT: Final = "blanche.studio-link.v1"
SESSION_SALT: Final = "blanche.studio-session.v1"
LINK_SECONDS: Final = 15 * 60
SESSION_SECONDS: Final = 8 * 3600
LOGIN_PATH: Final = "/studio/login"
MAX_TOKEN_LENGTH: Final = 2000


class StudioLinkError(Exception):
    """The link or session is expired, used, tampered with, or of another kind."""


class StudioGrant(BaseModel):
    """What a link or a session grants: the studio of one partner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner_id: int
    link_id: str  # the link this grant comes from (a session keeps its link's id)
    email: str | None  # who the link was sent to, when it was emailed
    expires_at: dt.datetime


class StudioLinks:
    def __init__(self, signing_keys: Sequence[str]) -> None:
        self._links = URLSafeTimedSerializer(list(signing_keys), salt=LINK_SALT)
        self._sessions = URLSafeTimedSerializer(list(signing_keys), salt=SESSION_SALT)

    def mint_link(
        self, partner_id: int, now: dt.datetime, email: str | None = None
    ) -> tuple[str, StudioGrant]:
        grant = StudioGrant(
            partner_id=partner_id,
            link_id=secrets.token_hex(16),
            email=email,
            expires_at=(now + dt.timedelta(seconds=LINK_SECONDS)).replace(microsecond=0),
        )
        return self._links.dumps(grant.model_dump(mode="json")), grant

    def login_url(self, studio_url: str, token: str) -> str:
        return f"{studio_url.rstrip('/')}{LOGIN_PATH}?t={token}"

    def read_link(self, token: str, now: dt.datetime) -> StudioGrant:
        return _read(self._links, token, LINK_SECONDS, now)

    def mint_session(self, link: StudioGrant, now: dt.datetime) -> tuple[str, StudioGrant]:
        grant = link.model_copy(
            update={
                "expires_at": (now + dt.timedelta(seconds=SESSION_SECONDS)).replace(microsecond=0)
            }
        )
        return self._sessions.dumps(grant.model_dump(mode="json")), grant

    def read_session(self, token: str, now: dt.datetime) -> StudioGrant:
        return _read(self._sessions, token, SESSION_SECONDS, now)


def _read(
    serializer: URLSafeTimedSerializer, token: str, max_age: int, now: dt.datetime
) -> StudioGrant:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise StudioLinkError("missing or too long")
    try:
        grant = StudioGrant.model_validate(serializer.loads(token, max_age=max_age))
    except (BadData, ValidationError):
        raise StudioLinkError("invalid or expired") from None
    if grant.expires_at <= now:
        raise StudioLinkError("expired")
    return grant


async def redeem_link(
    session: AsyncSession, links: StudioLinks, token: str, now: dt.datetime
) -> tuple[str, StudioGrant]:
    """Exchange a login link for a session token; the caller commits. Raises
    StudioLinkError when the link is invalid, expired, used, or its partner gone."""
    link = links.read_link(token, now)
    if await session.get(Partner, link.partner_id) is None:
        raise StudioLinkError("no such partner")
    used = await session.scalar(
        select(StudioLinkUse.link_id).where(StudioLinkUse.link_id == link.link_id)
    )
    if used is not None:
        raise StudioLinkError("already used")
    session.add(StudioLinkUse(link_id=link.link_id, partner_id=link.partner_id, used_at=now))
    await session.flush()  # a concurrent exchange of the same link fails here
    return links.mint_session(link, now)
