"""The PA channel's tables: each company's connection, the transmission outbox
with its attempt log, and the lifecycle statuses of each document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class PaConnection(Base):
    """Where a company's invoices go. The client secret is stored encrypted
    (server.pa.secrets) with a key kept outside the database."""

    __tablename__ = "pa_connections"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    client_id: Mapped[str] = mapped_column(String(200))
    secret_ciphertext: Mapped[str] = mapped_column(Text)
    # monthly | decade | bimonthly: when e-reporting files are sent (VAT regime)
    e_reporting_cadence: Mapped[str] = mapped_column(String(10), default="monthly")
    # Lifecycle messages already read: the platform's own time of the newest.
    status_cursor: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    next_poll_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class PaTransmission(Base):
    """One flow to send (an invoice, a lifecycle status, an e-reporting file),
    written in the transaction that made it necessary (the outbox).

    state: `pending` (to send) -> `submitted` (the PA has it; waiting for its
    acknowledgement) -> `done` (acknowledged Ok or Error) | `failed` (needs a
    person: `action` says what to do)."""

    __tablename__ = "pa_transmissions"
    __table_args__ = (
        UniqueConstraint("tracking_id"),
        Index("ix_pa_transmissions_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # invoice | lifecycle | e_reporting
    tracking_id: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    # None for an invoice: its Factur-X PDF is rendered when it is sent.
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    lease_token: Mapped[str | None] = mapped_column(String(40), default=None)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    flow_id: Mapped[str | None] = mapped_column(String(100), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    action: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class PaAttempt(Base):
    """The transmission log: one row per call made for a transmission."""

    __tablename__ = "pa_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transmission_id: Mapped[int] = mapped_column(
        ForeignKey("pa_transmissions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    step: Mapped[str] = mapped_column(String(20))  # submit | acknowledgement
    outcome: Mapped[str] = mapped_column(String(20))  # ok | pending | retry | failed | rejected
    http_status: Mapped[int | None] = mapped_column(Integer, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    action: Mapped[str | None] = mapped_column(Text, default=None)


class LifecycleEntry(Base):
    """A lifecycle status of one document: from the platform (200, 213), the
    buyer (205, 210...), or the seller (212, sent by us)."""

    __tablename__ = "document_lifecycle"
    __table_args__ = (UniqueConstraint("document_id", "code", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    code: Mapped[str] = mapped_column(String(3))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    issuer: Mapped[str] = mapped_column(String(20))  # platform | buyer | seller
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(19, 2), default=None)
    # What makes a repeat recognisable: the platform's flow id, or our own.
    source: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
