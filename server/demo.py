"""`blanche demo`: a demo partner, company and user for `make run`, and the URLs to try:
the standalone editor, and the example partner page (`blanche serve
--host-page-port`) embedding the editor from another origin."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from editor.parent_origin import ParentOrigins
from invoicing.samples import FRENCH_LEGAL_NOTES, seller
from server.api_keys import create_key, find_active_key
from server.db.catalogue import Contact, Product
from server.db.pa import PaConnection
from server.db.tenants import Company, Partner, User
from server.editor.tokens import EditorOptions, EditorScope, EditorTokens
from server.pa.secrets import encrypt
from server.settings import Settings

DEMO_PARTNER = "Demo partner"
KEY_FILE = "demo-api-key"
HOST_PAGE_PORT = 8001
CONTACTS = (
    {
        "kind": "company",
        "name": "Boulangerie Dupont & Fils",
        "siren": "552100554",
        "siret": "55210055400013",
        "vat_id": "FR96552100554",
        "emails": ["contact@boulangerie-dupont.example"],
        "address": {
            "line1": "3 place du Marché",
            "postcode": "69100",
            "city": "Villeurbanne",
            "country": "FR",
        },
    },
    {
        "kind": "person",
        "name": "Camille Martin",
        "emails": ["camille.martin@example.org"],
        "address": {
            "line1": "14 rue Paul Bert",
            "postcode": "69003",
            "city": "Lyon",
            "country": "FR",
        },
    },
)
PRODUCTS = (
    ("Intervention technicien", "65.00", "HUR", "20"),
    ("Déplacement", "35.00", "C62", "20"),
    ("Câble RJ45 Cat.6 — 5 m", "7.90", "C62", "20"),
    ("Abonnement maintenance mensuel", "49.00", "MON", "20"),
)


@dataclass(frozen=True, slots=True)
class Demo:
    api_key: str
    editor_url: str
    host_page_url: str


async def _partner(session: AsyncSession, origins: list[str]) -> Partner:
    partner = await session.scalar(select(Partner).where(Partner.name == DEMO_PARTNER))
    if partner is None:
        partner = Partner(
            name=DEMO_PARTNER,
            module_name="Facturation",
            origins=origins,
            whitelisted_ips=[],
            default_editor_options={},
        )
        session.add(partner)
        await session.flush()
    else:
        missing = [origin for origin in origins if origin not in partner.origins]
        if missing:
            partner.origins = [*partner.origins, *missing]
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
            payment_terms="Paiement à 30 jours par virement.",
            payment_term={"kind": "days", "days": 30},  # the due date of its invoices
        )
        session.add(company)
        await session.flush()
        _catalogue(session, company)
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


def _catalogue(session: AsyncSession, company: Company) -> None:
    """A few customers and products, to search from the editor."""
    for contact in CONTACTS:
        session.add(Contact(partner_id=company.partner_id, company_id=company.id, **contact))
    for name, price, unit, rate in PRODUCTS:
        session.add(
            Product(
                partner_id=company.partner_id,
                company_id=company.id,
                name=name,
                unit_price=price,
                unit=unit,
                vat_category="S",
                vat_rate=rate,
            )
        )


SANDBOX_SECRET = "sandbox-secret"  # blanche pa-sandbox's default


def host_origin(port: int) -> str:
    return f"http://127.0.0.1:{port}"


async def _connect_to_sandbox(
    session: AsyncSession, settings: Settings, company: Company, url: str
) -> None:
    """The demo company sends its invoices to `blanche pa-sandbox`, so that the
    whole lifecycle shows out of the box."""
    connection = await session.get(PaConnection, company.id)
    if connection is None:
        connection = PaConnection(company_id=company.id, partner_id=company.partner_id)
        session.add(connection)
    connection.url, connection.client_id = url, f"blanche-demo-{company.id}"
    connection.secret_ciphertext = encrypt(settings.var_dir, SANDBOX_SECRET)
    await session.flush()


async def prepare_demo(
    session: AsyncSession,
    settings: Settings,
    host_page_port: int = HOST_PAGE_PORT,
    pa_sandbox_url: str | None = None,
) -> Demo:
    origin, host = settings.public_url, host_origin(host_page_port)
    partner = await _partner(session, [origin, host])
    company, user = await _company_and_user(session, partner)
    if pa_sandbox_url:
        await _connect_to_sandbox(session, settings, company, pa_sandbox_url)
    expires_at = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=24)).replace(microsecond=0)
    tokens = EditorTokens(settings.signing_keys)

    def token(parent_origin: str) -> str:
        scope = EditorScope(
            partner_id=partner.id,
            company_id=company.id,
            user_id=user.id,
            document_id=None,
            new_kind="invoice",
            parent_origin=parent_origin,
            options=EditorOptions(),
            expires_at=expires_at,
        )
        return tokens.mint(scope)

    framed = ParentOrigins(settings.signing_keys).editor_url(origin, host, token(host))
    return Demo(
        api_key=await _api_key(session, settings, partner),
        editor_url=f"{origin}/editor#t={token(origin)}",
        host_page_url=f"{host}/?editor={quote(framed, safe='')}",
    )
