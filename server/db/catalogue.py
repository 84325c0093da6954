"""What a company invoices to and sells: contacts (customers) and products."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # person | company
    name: Mapped[str] = mapped_column(String(1000))
    siren: Mapped[str | None] = mapped_column(String(20), default=None)
    siret: Mapped[str | None] = mapped_column(String(20), default=None)
    vat_id: Mapped[str | None] = mapped_column(String(40), default=None)
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(100), default=None)
    address: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    electronic_address: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ContactMerge(Base):
    """The record of a merge: which contacts were folded into which."""

    __tablename__ = "contact_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    source_ids: Mapped[list[int]] = mapped_column(JSON)
    moved_document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    merged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Product(Base):
    """A catalogue item. Prices and rates are decimal text: exact on every engine."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    unit: Mapped[str] = mapped_column(String(35), default="C62")
    unit_price: Mapped[str] = mapped_column(String(40))
    vat_category: Mapped[str] = mapped_column(String(3), default="S")
    vat_rate: Mapped[str | None] = mapped_column(String(12), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
