"""What a document is printed with besides its content: the seller's logo and the
partner's theme, the same on the editor's preview and on the PDF.

- A draft prints the company's logo of the moment (`company_logos`).
- An issued document prints the logo of its issue: `freeze_logo`, in the
  finalization's transaction, keeps that logo by digest (`logo_images`) and names
  it for the document (`issued_document_logos`); a later change of the company's
  logo never reaches it. A document issued without a logo prints none.
- The theme is the partner's published one (its document colours,
  server.themes.pdf), or the default theme: what the preview links.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.db.company_logos import CompanyLogo, IssuedDocumentLogo, LogoImage
from server.db.documents import DocumentRow
from server.db.tenants import Partner
from server.documents.status import Status
from server.themes.pdf import pdf_theme_css
from server.themes.store import current_theme
from themes import build_theme
from themes.model import DEFAULT_THEME


@dataclass(frozen=True, slots=True)
class PrintedLogo:
    media_type: str
    content: bytes
    sha256: str

    @property
    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.content).decode('ascii')}"


def look_digest(logo_sha256: str | None, theme_css: str) -> str:
    """Names a look in a cache key: the logo's digest and the theme's."""
    theme = hashlib.sha256(theme_css.encode()).hexdigest()
    return f"{logo_sha256 or '-'}:{theme}"


@dataclass(frozen=True, slots=True)
class PrintedLook:
    logo: PrintedLogo | None
    theme_css: str

    @property
    def digest(self) -> str:
        return look_digest(self.logo.sha256 if self.logo else None, self.theme_css)


LookLoader = Callable[[], Awaitable[PrintedLook]]


@dataclass(frozen=True, slots=True)
class DraftLook:
    """A draft's look named by its logo's stored digest: a draft's PDF asked again
    unchanged is found by it, and the image itself is read (`load`) only when the
    PDF must be rendered."""

    logo_sha256: str | None
    theme_css: str
    load: LookLoader

    @property
    def digest(self) -> str:
        return look_digest(self.logo_sha256, self.theme_css)


async def company_logo(db: AsyncSession, company_id: int) -> PrintedLogo | None:
    row = await db.get(CompanyLogo, company_id)
    return None if row is None else PrintedLogo(row.media_type, row.content, row.sha256)


async def freeze_logo(db: AsyncSession, row: DocumentRow) -> None:
    """`row` is being issued: it will print the company's logo of now. The image
    is copied in the database (never through here) the first time it is issued; the
    finalization holds the company's row lock, so no other one copies it meanwhile."""
    company_id = row.company_id
    sha256 = await db.scalar(select(CompanyLogo.sha256).where(CompanyLogo.company_id == company_id))
    if sha256 is None:
        return
    kept = await db.scalar(
        select(LogoImage.sha256).where(
            LogoImage.company_id == company_id, LogoImage.sha256 == sha256
        )
    )
    if kept is None:
        columns = ("company_id", "sha256", "media_type", "content")
        await db.execute(
            insert(LogoImage).from_select(
                columns,
                select(*(getattr(CompanyLogo, name) for name in columns)).where(
                    CompanyLogo.company_id == company_id
                ),
            )
        )
    db.add(IssuedDocumentLogo(document_id=row.id, company_id=company_id, sha256=sha256))
    await db.flush()


async def issued_logo(db: AsyncSession, document_id: int) -> PrintedLogo | None:
    found = (
        await db.execute(
            select(LogoImage)
            .join(
                IssuedDocumentLogo,
                (IssuedDocumentLogo.company_id == LogoImage.company_id)
                & (IssuedDocumentLogo.sha256 == LogoImage.sha256),
            )
            .where(IssuedDocumentLogo.document_id == document_id)
        )
    ).scalar_one_or_none()
    return None if found is None else PrintedLogo(found.media_type, found.content, found.sha256)


async def document_logo(
    db: AsyncSession, company_id: int, document_id: int | None, status: str
) -> PrintedLogo | None:
    """The logo the document prints: its issue's once issued, else the company's."""
    if document_id is not None and status != Status.DRAFT:
        return await issued_logo(db, document_id)
    return await company_logo(db, company_id)


async def document_logo_sha256(
    db: AsyncSession, company_id: int, document_id: int | None, status: str
) -> str | None:
    """The digest of `document_logo`'s image, its bytes not read."""
    if document_id is not None and status != Status.DRAFT:
        return await db.scalar(
            select(IssuedDocumentLogo.sha256).where(IssuedDocumentLogo.document_id == document_id)
        )
    return await db.scalar(select(CompanyLogo.sha256).where(CompanyLogo.company_id == company_id))


async def logo_image(db: AsyncSession, company_id: int, sha256: str) -> PrintedLogo | None:
    """The company's logo of digest `sha256`: its current one or one its issued
    documents keep (the editor's preview loads it by digest: editor.logo.image)."""
    for table in (CompanyLogo, LogoImage):
        found = (
            await db.execute(
                select(table.media_type, table.content).where(
                    table.company_id == company_id, table.sha256 == sha256
                )
            )
        ).one_or_none()
        if found is not None:
            return PrintedLogo(found.media_type, found.content, sha256)
    return None


@cache
def _default_theme_css() -> str:
    return pdf_theme_css(build_theme(DEFAULT_THEME))


async def partner_theme_css(db: AsyncSession, partner_id: int) -> str:
    """The theme the editor links (server.themes.links): the published one while the
    partner has one, else the default."""
    partner = await db.get(Partner, partner_id)
    current = None
    if partner is not None and partner.theme_ref:
        current = await current_theme(db, partner)
    return _default_theme_css() if current is None else pdf_theme_css(current.built)


async def printed_look(db: AsyncSession, row: DocumentRow, partner_id: int) -> PrintedLook:
    logo = await document_logo(db, row.company_id, row.id, row.status)
    return PrintedLook(logo, await partner_theme_css(db, partner_id))


async def draft_look(
    db: AsyncSession,
    read_sessions: async_sessionmaker[AsyncSession],
    row: DocumentRow,
    partner_id: int,
) -> DraftLook:
    """The draft `row`'s look, its logo by digest; the image is read when `load` is
    called, in a short read-only transaction of its own (after `db`'s has ended)."""
    company_id = row.company_id
    sha256 = await document_logo_sha256(db, company_id, None, Status.DRAFT)
    theme_css = await partner_theme_css(db, partner_id)

    async def load() -> PrintedLook:
        if sha256 is None:
            return PrintedLook(None, theme_css)
        async with read_sessions() as reading, reading.begin():
            # The company changed its logo meanwhile and the image of that digest is
            # gone: its logo of now, as the draft prints.
            logo = await logo_image(reading, company_id, sha256) or await company_logo(
                reading, company_id
            )
        return PrintedLook(logo, theme_css)

    return DraftLook(sha256, theme_css, load)


def look_when_rendered(
    read_sessions: async_sessionmaker[AsyncSession], row: DocumentRow, partner_id: int
) -> LookLoader:
    """`printed_look` of `row`, read in a short read-only transaction of its own
    when called: an issued document's PDF, once stored, needs neither logo nor theme."""

    async def load() -> PrintedLook:
        async with read_sessions() as db, db.begin():
            return await printed_look(db, row, partner_id)

    return load
