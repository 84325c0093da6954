"""The editor's working copy of a document, beside the document itself.

`documents.content` is always a valid `Document` (what the REST API shows and
what is finalized). The editor works on the JSON as the user typed it,
half-typed values included, with the number of the last patch applied to it:
that pair lives here, one row per document opened in the editor, and is saved
by compare-and-set on `seq` (exactly-once patches across reconnects and
processes). `synced_at` is the document's `updated_at` when this row last
agreed with it: a document changed elsewhere (the REST API) shows as a
different `updated_at`, and the editor's copy is then stale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class EditorDraft(Base):
    __tablename__ = "editor_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), unique=True
    )
    # sha256(token)[:32] of the session that created the document: a new-document
    # session finds its draft again after a reload or a reconnect to another process.
    session_key: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), default=None
    )
    saved: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
