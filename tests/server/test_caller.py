"""A caller in a write transaction attaches its partner to the session only when
the handler asks for it; then the handler's changes to it are written."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.caller import Caller
from server.db.tenants import Partner as PartnerRow
from server.settings import Settings
from tests.server.helpers import Partner, in_db


def _verified(settings: Settings, partner_id: int) -> PartnerRow:
    """The partner row as a verified key keeps it: loaded once, detached."""

    async def load(session: AsyncSession) -> PartnerRow:
        row = await session.get(PartnerRow, partner_id)
        assert row is not None
        return row

    return in_db(settings, load)


def test_the_partner_is_attached_when_asked_for_and_its_changes_are_written(
    partner_a: Partner, settings: Settings
) -> None:
    verified = _verified(settings, partner_a.id)

    async def work(session: AsyncSession) -> None:
        caller = await Caller(verified, None, None).attached_to(session)
        assert caller.partner_id == partner_a.id
        assert not list(session.identity_map.values())  # a write that never asks: no merge
        partner = caller.partner
        assert partner is not verified and partner in session and caller.partner is partner
        partner.website = "https://changed.example"

    in_db(settings, work)
    assert verified.website != "https://changed.example"  # shared by requests: untouched

    async def read(session: AsyncSession) -> str | None:
        return await session.scalar(select(PartnerRow.website).where(PartnerRow.id == partner_a.id))

    assert in_db(settings, read) == "https://changed.example"


def test_outside_a_write_transaction_the_partner_is_the_verified_one(
    partner_a: Partner, settings: Settings
) -> None:
    verified = _verified(settings, partner_a.id)
    assert Caller(verified, None, None).partner is verified
