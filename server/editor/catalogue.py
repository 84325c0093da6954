"""The company's contacts and products as the editor sees them.

Searches and lookups are scoped to the session's partner and company; a
contact created inline is validated by the REST API's own model (the same
rules, the same messages) and announced to webhooks like one made by the API.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import ValidationError
from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from editor.backend import ActionRefused, Contact, EditorSession, NewContact, NotFound, Product
from invoicing.field_errors import FieldError, field_errors
from invoicing.input_messages import Language
from invoicing.model import Address, VatCategory
from server.api.contacts import ContactIn, ContactOut
from server.db.catalogue import Contact as ContactRow
from server.db.catalogue import Product as ProductRow
from server.webhooks.events import contact_event


def _contact(row: ContactRow) -> Contact:
    return Contact(
        id=row.id,
        kind="person" if row.kind == "person" else "company",
        name=row.name,
        siren=row.siren,
        siret=row.siret,
        vat_id=row.vat_id,
        email=row.emails[0] if row.emails else None,
        address=Address.model_validate(row.address or {}),
    )


def _product(row: ProductRow) -> Product:
    return Product(
        id=row.id,
        name=row.name,
        unit_price=Decimal(row.unit_price),
        unit=row.unit,
        description=row.description,
        vat_category=VatCategory(row.vat_category),
        vat_rate=None if row.vat_rate is None else Decimal(row.vat_rate),
    )


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_contacts(
    db: AsyncSession, session: EditorSession, query: str, limit: int
) -> list[Contact]:
    statement = select(ContactRow).where(
        ContactRow.partner_id == session.partner_id,
        ContactRow.company_id == session.company_id,
        ContactRow.merged_into_id.is_(None),
    )
    if query:
        pattern = _like(query[:200])
        statement = statement.where(
            or_(
                func.lower(ContactRow.name).like(pattern, escape="\\"),
                ContactRow.siren.like(pattern, escape="\\"),
                ContactRow.siret.like(pattern, escape="\\"),
                func.lower(ContactRow.vat_id).like(pattern, escape="\\"),
                func.lower(cast(ContactRow.emails, String)).like(pattern, escape="\\"),
                func.lower(cast(ContactRow.address, String)).like(pattern, escape="\\"),
            )
        )
    rows = await db.scalars(statement.order_by(func.lower(ContactRow.name)).limit(limit))
    return [_contact(row) for row in rows]


async def contact(db: AsyncSession, session: EditorSession, contact_id: int) -> Contact:
    row = await db.scalar(
        select(ContactRow).where(
            ContactRow.id == contact_id,
            ContactRow.partner_id == session.partner_id,
            ContactRow.company_id == session.company_id,
        )
    )
    if row is None:
        raise NotFound()
    if row.merged_into_id is not None:  # follow a merge to the contact that was kept
        return await contact(db, session, row.merged_into_id)
    return _contact(row)


def _contact_in(new: NewContact, language: Language) -> ContactIn:
    data = {
        "kind": new.kind,
        "name": new.name,
        "siren": new.siren,
        "siret": new.siret,
        "vat_id": new.vat_id,
        "emails": [new.email] if new.email else [],
        "address": new.address.model_dump(mode="json", exclude_none=True),
    }
    try:
        return ContactIn.model_validate(data)
    except ValidationError as error:
        errors = [
            FieldError("email" if e.field.startswith("emails") else e.field, e.message)
            for e in field_errors(error, language)
        ]
        raise ActionRefused("validation_failed", "the contact is not valid", errors) from None


async def create_contact(db: AsyncSession, session: EditorSession, new: NewContact) -> Contact:
    body = _contact_in(new, session.options.locale)
    row = ContactRow(
        partner_id=session.partner_id,
        company_id=session.company_id,
        **body.model_dump(mode="json"),
    )
    db.add(row)
    await db.flush()
    shown = ContactOut.model_validate(row).model_dump(mode="json")
    await contact_event(db, row.partner_id, row.company_id, row.id, "contact.created", shown)
    return _contact(row)


async def search_products(
    db: AsyncSession, session: EditorSession, query: str, limit: int
) -> list[Product]:
    statement = select(ProductRow).where(
        ProductRow.partner_id == session.partner_id,
        ProductRow.company_id == session.company_id,
    )
    if query:
        statement = statement.where(
            func.lower(ProductRow.name).like(_like(query[:200]), escape="\\")
        )
    rows = await db.scalars(statement.order_by(func.lower(ProductRow.name)).limit(limit))
    return [_product(row) for row in rows]


async def product(db: AsyncSession, session: EditorSession, product_id: int) -> Product:
    row = await db.scalar(
        select(ProductRow).where(
            ProductRow.id == product_id,
            ProductRow.partner_id == session.partner_id,
            ProductRow.company_id == session.company_id,
        )
    )
    if row is None:
        raise NotFound()
    return _product(row)
