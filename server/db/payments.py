"""Payments received on issued invoices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class PaymentRow(Base):
    """One payment of (part of) an invoice. `amount` is decimal text: SQLite has
    no exact decimal type, and money is never a float here."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    amount: Mapped[str] = mapped_column(String(24))
    paid_on: Mapped[dt.date] = mapped_column(Date)
    means_code: Mapped[str] = mapped_column(String(35))
    reference: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
