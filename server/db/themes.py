"""Published partner themes (one row per version) and used studio login links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, UtcDateTime, utcnow


class PartnerTheme(Base):
    """One published version of a partner's theme.

    Rows are never updated or deleted: an old CSS URL keeps answering (pages
    cached with it still render), and the history is the list of rows.
    `Partner.theme_ref` holds the CSS path of the current version."""

    __tablename__ = "partner_themes"
    __table_args__ = (UniqueConstraint("partner_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    theme: Mapped[dict[str, Any]] = mapped_column(JSON)  # themes.Theme as JSON
    css_text: Mapped[str] = mapped_column(Text)
    css_sha256: Mapped[str] = mapped_column(String(64), index=True)
    published_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class StudioLinkUse(Base):
    """A studio login link that was exchanged: each link works once."""

    __tablename__ = "studio_link_uses"

    link_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    used_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
