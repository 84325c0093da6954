"""What partners' other systems need: work-order settings and the partner's own
references for contacts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class WorkOrderSettings(Base):
    """How a partner's finished work orders become draft invoices."""

    __tablename__ = "work_order_settings"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    description_as: Mapped[str] = mapped_column(String(10), default="line")  # line | note
    skip_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    default_product_name: Mapped[str | None] = mapped_column(String(1000), default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ContactExternalRef(Base):
    """A partner system's id for a contact (e.g. its CRM customer number)."""

    __tablename__ = "contact_external_refs"
    __table_args__ = (UniqueConstraint("company_id", "external_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    external_ref: Mapped[str] = mapped_column(String(200))
