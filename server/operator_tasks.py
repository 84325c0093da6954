"""What the operator CLI does, as plain async functions over a session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.api.editor.sessions import normalized_origin
from server.api_keys import NewKey, create_key, revoke_key
from server.db.tenants import ApiKey, Company, Partner


class OperatorError(ValueError):
    """Bad operator input, reported without a traceback."""


@dataclass(frozen=True, slots=True)
class NewPartner:
    partner_id: int
    key: NewKey


async def create_partner(
    session: AsyncSession,
    name: str,
    origins: list[str],
    ips: list[str],
    module_name: str | None = None,
) -> NewPartner:
    normalized = []
    for origin in origins:
        value = normalized_origin(origin)
        if value is None:
            raise OperatorError(f"{origin!r} is not an origin (https://host[:port])")
        normalized.append(value)
    if not name.strip():
        raise OperatorError("the partner needs a name")
    partner = Partner(
        name=name.strip(),
        module_name=module_name or "Facturation",
        origins=normalized,
        whitelisted_ips=ips,
        default_editor_options={},
    )
    session.add(partner)
    await session.flush()
    return NewPartner(
        partner.id, await create_key(session, partner.id, label="created with partner")
    )


async def list_partners(session: AsyncSession) -> list[tuple[Partner, int, int]]:
    """Each partner with its number of companies and of active keys."""
    companies = (
        select(func.count())
        .where(Company.partner_id == Partner.id)
        .correlate(Partner)
        .scalar_subquery()
    )
    keys = (
        select(func.count())
        .where(ApiKey.partner_id == Partner.id, ApiKey.revoked_at.is_(None))
        .correlate(Partner)
        .scalar_subquery()
    )
    rows = await session.execute(select(Partner, companies, keys).order_by(Partner.id))
    return [(row[0], row[1], row[2]) for row in rows]


async def new_key(session: AsyncSession, partner_id: int, company_id: int | None) -> NewKey:
    if await session.get(Partner, partner_id) is None:
        raise OperatorError(f"no partner {partner_id}")
    if company_id is not None:
        company = await session.get(Company, company_id)
        if company is None or company.partner_id != partner_id:
            raise OperatorError(f"partner {partner_id} has no company {company_id}")
    return await create_key(session, partner_id, company_id)


async def revoke(session: AsyncSession, key_id: int) -> None:
    if not await revoke_key(session, key_id):
        raise OperatorError(f"no key {key_id}")
