"""The memory backend's contacts and products, searched within the session's company."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from editor.backend import ActionRefused, Contact, EditorSession, NewContact, NotFound, Product
from editor.memory_backend.store import Company, MemoryStore
from invoicing.field_errors import FieldError
from invoicing.model import VatCategory

_DIGITS = re.compile(r"\d+")


class MemoryCatalogue(MemoryStore):
    def add_contact(self, company: Company, contact: NewContact) -> Contact:
        stored = Contact(
            id=next(self._ids),
            kind=contact.kind,
            name=contact.name,
            siren=contact.siren,
            siret=contact.siret,
            vat_id=contact.vat_id,
            email=contact.email,
            address=contact.address,
        )
        self.contacts[stored.id] = (company.id, stored)
        return stored

    def add_product(
        self,
        company: Company,
        name: str,
        unit_price: str,
        *,
        unit: str = "C62",
        vat_rate: str | None = "20",
        vat_category: VatCategory = VatCategory.STANDARD,
    ) -> Product:
        product = Product(
            id=next(self._ids),
            name=name,
            unit_price=Decimal(unit_price),
            unit=unit,
            vat_category=vat_category,
            vat_rate=None if vat_rate is None else Decimal(vat_rate),
        )
        self.products[product.id] = (company.id, product)
        return product

    def _company_contacts(self, session: EditorSession) -> list[Contact]:
        return [c for company_id, c in self.contacts.values() if company_id == session.company_id]

    async def search_contacts(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Contact]:
        needle = query.casefold()
        found = [
            contact
            for contact in self._company_contacts(session)
            if needle
            in " ".join(
                filter(None, (contact.name, contact.siren, contact.address.city, contact.email))
            ).casefold()
        ]
        return sorted(found, key=lambda c: c.name.casefold())[:limit]

    async def contact(self, session: EditorSession, contact_id: int) -> Contact:
        entry = self.contacts.get(contact_id)
        if entry is None or entry[0] != session.company_id:
            raise NotFound()
        return entry[1]

    async def create_contact(self, session: EditorSession, contact: NewContact) -> Contact:
        errors = []
        for key, length in (("siren", 9), ("siret", 14)):
            value = getattr(contact, key)
            if value is not None and not (_DIGITS.fullmatch(value) and len(value) == length):
                errors.append(FieldError(key, f"{length} digits"))
        if errors:
            raise ActionRefused("validation_failed", "the contact is not valid", errors)
        return self.add_contact(self._company(session), contact)

    async def search_products(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Product]:
        needle = query.casefold()
        found = [
            product
            for company_id, product in self.products.values()
            if company_id == session.company_id and needle in product.name.casefold()
        ]
        return sorted(found, key=lambda p: p.name.casefold())[:limit]

    async def product(self, session: EditorSession, product_id: int) -> Product:
        entry = self.products.get(product_id)
        if entry is None or entry[0] != session.company_id:
            raise NotFound()
        return entry[1]
