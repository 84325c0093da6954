"""API keys verified lately (server/verified_keys.py): what the process remembers,
and when it forgets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server import operator_tasks
from server.api_keys import digest
from server.db.tenants import ApiKey
from server.db.tenants import Partner as PartnerRow
from server.verified_keys import VerifiedKeys
from tests.server.helpers import Partner, in_db


class Ticking:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _key_id(partner: Partner) -> Any:
    async def work(session: AsyncSession) -> int:
        key = await session.scalar(select(ApiKey).where(ApiKey.key_sha256 == digest(partner.key)))
        assert key is not None
        return key.id

    return work


def test_a_key_revoked_in_this_process_is_refused_at_once(
    partner_a: Partner, settings: Any
) -> None:
    assert partner_a.get("/partner").status_code == 200  # verified, remembered
    key_id = in_db(settings, _key_id(partner_a))

    async def revoke(session: AsyncSession) -> None:
        await operator_tasks.revoke(session, key_id)

    in_db(settings, revoke)
    assert partner_a.get("/partner").status_code == 401


def test_a_partner_changed_in_this_process_is_read_again(partner_a: Partner, settings: Any) -> None:
    assert partner_a.ok(partner_a.get("/partner"))["name"] == "Partner A"

    async def rename(session: AsyncSession) -> None:
        partner = await session.get(PartnerRow, partner_a.id)
        assert partner is not None
        partner.name = "Partner A, renamed"

    in_db(settings, rename)
    assert partner_a.ok(partner_a.get("/partner"))["name"] == "Partner A, renamed"


def test_a_key_revoked_elsewhere_stops_working_when_its_time_is_up(
    app: Any, partner_a: Partner, settings: Any
) -> None:
    """Another process's revocation (bulk SQL here: no session event in this
    process) is seen once the key's verification expires."""
    keys: VerifiedKeys = app.state.services.verified_keys
    clock = Ticking()
    keys._clock = clock  # type: ignore[misc]
    assert partner_a.get("/partner").status_code == 200

    async def revoke(session: AsyncSession) -> None:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.partner_id == partner_a.id)
            .values(revoked_at=ApiKey.created_at)
        )

    in_db(settings, revoke)
    clock.now += keys.seconds + 0.001
    assert partner_a.get("/partner").status_code == 401


def test_expiry_and_forgetting() -> None:
    clock = Ticking()
    keys = VerifiedKeys(5.0, clock)
    partner = PartnerRow(id=7, name="P")
    keys.keep("d1", partner, None)
    keys.keep("d2", PartnerRow(id=8, name="Q"), 3)
    found = keys.find("d1")
    assert found is not None and found.partner is partner and found.key_company_id is None
    clock.now += 4.9
    assert keys.find("d2") is not None
    keys.forget_partners({7})
    assert keys.find("d1") is None and keys.find("d2") is not None
    clock.now += 0.2
    assert keys.find("d2") is None


def test_nothing_is_kept_when_the_time_is_zero() -> None:
    keys = VerifiedKeys(0.0, Ticking())
    keys.keep("d1", PartnerRow(id=7, name="P"), None)
    assert keys.find("d1") is None
