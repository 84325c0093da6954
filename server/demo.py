"""`blanche demo`: a demo partner, company and user for `make run`, and the URLs to try."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.samples import FRENCH_LEGAL_NOTES, seller
from server.api_keys import create_key, find_active_key
from server.db.tenants import Company, Partner, User
from server.editor_tokens import EditorOptions, EditorScope, EditorTokens
from server.settings import Settings

DEMO_PARTNER = "Demo partner"
KEY_FILE = "demo-api-key"


@dataclass(frozen=True, slots=True)
class Demo:
    api_key: str
    editor_url: str
    host_page_url: str


async def _partner(session: AsyncSession, origin: str) -> Partner:
    partner = await session.scalar(select(Partner).where(Partner.name == DEMO_PARTNER))
    if partner is None:
        partner = Partner(
            name=DEMO_PARTNER,
            module_name="Facturation",
            origins=[origin],
            whitelisted_ips=[],
            default_editor_options={},
        )
        session.add(partner)
        await session.flush()
    elif origin not in partner.origins:
        partner.origins = [*partner.origins, origin]
    return partner


async def _company_and_user(session: AsyncSession, partner: Partner) -> tuple[Company, User]:
    company = await session.scalar(select(Company).where(Company.partner_id == partner.id))
    if company is None:
        company = Company(
            partner_id=partner.id,
            name="Atelier Blanc",
            seller=seller().model_dump(mode="json"),
            series={},
            legal_notes=[n.model_dump(mode="json") for n in FRENCH_LEGAL_NOTES],
        )
        session.add(company)
        await session.flush()
    user = await session.scalar(select(User).where(User.company_id == company.id))
    if user is None:
        user = User(partner_id=partner.id, company_id=company.id, name="Claire Martin")
        session.add(user)
        await session.flush()
    return company, user


async def _api_key(session: AsyncSession, settings: Settings, partner: Partner) -> str:
    """The demo key kept in var/ (embedded demo only), or a new one."""
    path = settings.var_dir / KEY_FILE
    if path.exists():
        secret = path.read_text().strip()
        key = await find_active_key(session, secret)
        if key is not None and key.partner_id == partner.id:
            return secret
    secret = (await create_key(session, partner.id, label="demo")).secret
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret + "\n")
    return secret


async def prepare_demo(session: AsyncSession, settings: Settings) -> Demo:
    origin = settings.public_url
    partner = await _partner(session, origin)
    company, user = await _company_and_user(session, partner)
    scope = EditorScope(
        partner_id=partner.id,
        company_id=company.id,
        user_id=user.id,
        document_id=None,
        new_kind="invoice",
        parent_origin=origin,
        options=EditorOptions(),
        expires_at=(dt.datetime.now(dt.UTC) + dt.timedelta(hours=24)).replace(microsecond=0),
    )
    token = EditorTokens(settings.signing_keys).mint(scope)
    return Demo(
        api_key=await _api_key(session, settings, partner),
        editor_url=f"{settings.public_url}/editor#t={token}",
        host_page_url=f"{settings.public_url}/embed/example.html",
    )
