"""Documents, their numbering counters and the per-company hash journal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class DocumentRow(Base):
    """One invoice, credit note, deposit invoice or quote.

    `content` is the `invoicing.model.Document` as JSON; `xml` is the CII
    written at finalization and never rewritten (the journal hashes it).
    """

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("company_id", "series", "sequence"),
        # Lists, newest first (migration 0014 says why the partner leads). Lookups by
        # partner, or by company, use this index or the unique one (migration 0015).
        Index("ix_documents_partner_id_company_id_id", "partner_id", "company_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    series: Mapped[str | None] = mapped_column(String(40), default=None)
    sequence: Mapped[int | None] = mapped_column(Integer, default=None)
    number: Mapped[str | None] = mapped_column(String(60), default=None)
    issue_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    buyer_name: Mapped[str] = mapped_column(String(1000), default="")
    content: Mapped[str] = mapped_column(Text)
    # The content's totals as the API shows them (server/documents/content.py,
    # written with the content); None on rows stored before migration 0007.
    totals: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    xml: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    xml_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    paid_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    payment_means_code: Mapped[str | None] = mapped_column(String(35), default=None)
    payment_reference: Mapped[str | None] = mapped_column(String(200), default=None)
    # Money already settled on an issued invoice (decimal text, kept in step by
    # server/documents/payments.py and credit_notes/): the balance is read from them.
    paid_total: Mapped[str | None] = mapped_column(String(24), default=None)
    credited_total: Mapped[str | None] = mapped_column(String(24), default=None)
    # On a credit note made from an invoice: what it credits (credit_notes.scope.CreditScope).
    credit_scope: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # On a quote: the invoice it was converted into (its number once issued).
    converted_into_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    converted_into_number: Mapped[str | None] = mapped_column(String(60), default=None)
    # On a deposit invoice: the final invoice that deducts it.
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    finalized_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)


class NumberingCounter(Base):
    """The last number given in one series of one company (e.g. `F-2026`).

    Finalization locks this row, so numbers are consecutive under concurrency,
    and it rolls back with the transaction, so no number is ever lost."""

    __tablename__ = "numbering_counters"
    __table_args__ = (UniqueConstraint("company_id", "series"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    series: Mapped[str] = mapped_column(String(40))
    last_value: Mapped[int] = mapped_column(Integer, default=0)
    last_issue_date: Mapped[dt.date | None] = mapped_column(Date, default=None)


class JournalEntry(Base):
    """One legally significant fact of a document (its issue, then each later
    event: sent, payment, credit note, cancellation), chained to the previous
    entry of the same company and sealed with the journal key (see
    server/documents/journal/ and docs/journal.md).

    `format` 1: entries made before facts were chained (the hash covers the
    document's content and XML); 2: the hash covers `kind` and `facts`."""

    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("company_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    position: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    number: Mapped[str] = mapped_column(String(60))
    xml_sha256: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    format: Mapped[int] = mapped_column(Integer, default=2, server_default="1")
    kind: Mapped[str] = mapped_column(String(40), default="issued", server_default="issued")
    facts: Mapped[str | None] = mapped_column(Text, default=None)
    key_id: Mapped[str | None] = mapped_column(String(16), default=None)
    seal: Mapped[str | None] = mapped_column(String(64), default=None)
