"""Partners (the SaaS that embed Blanche), their API keys, companies and users."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    module_name: Mapped[str] = mapped_column(String(200), default="Facturation")
    origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    whitelisted_ips: Mapped[list[str]] = mapped_column(JSON, default=list)
    default_editor_options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    theme_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    # The partner's public site, linked from every email footer (never ours).
    website: Mapped[str | None] = mapped_column(String(2000), default=None)
    account_creations_per_hour: Mapped[int | None] = mapped_column(Integer, default=None)
    users_per_company: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), default=None)
    prefix: Mapped[str] = mapped_column(String(16))
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)


class Company(Base):
    """The end user's business: its seller identity and invoicing defaults."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    name: Mapped[str] = mapped_column(String(1000))
    seller: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    series: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    payment_terms: Mapped[str | None] = mapped_column(Text, default=None)
    # invoicing.model.PaymentTerm as JSON: the due date of new documents
    payment_term: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    legal_notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Days a quote stays valid after its issue date: its validity date (BT-9) if none given
    quote_validity_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    profile: Mapped[str] = mapped_column(String(20), default="en16931")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class User(Base):
    """A person of one company, under one partner brand."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    name: Mapped[str] = mapped_column(String(1000))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
