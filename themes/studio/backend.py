"""What the theme studio does, without Reflex: sign in, preview, publish, and
the themed previews (emails, first PDF page, an editor session).

Publishing calls `server.themes.store.publish_theme`, the function behind
`PUT /api/v1/partners/me/theme`. The studio reads and writes the service's
database and file storage directly (same settings, `BLANCHE_*`).
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.concurrency import run_in_threadpool

from editor.parent_origin import ParentOrigins, is_origin
from invoicing.model import Document, DocumentKind
from invoicing.samples import demo_invoice
from server.db.engine import create_engine, session_factory
from server.db.tenants import Company, Partner, User
from server.editor.tokens import EditorOptions, EditorScope, EditorTokens
from server.emails.branding import EmailBranding, InlineLogo, branding_from
from server.emails.render import document_facts, render_document_email
from server.emails.studio import send_new_login_notice
from server.extra_settings import ExtraSettings
from server.file_storage import DirectoryStorage
from server.problems import Problem
from server.settings import Settings
from server.themes.pdf import pdf_theme_css
from server.themes.store import (
    PreparedTheme,
    current_answer,
    current_theme,
    logo_storage_key,
    prepare_theme,
    publish_theme,
)
from server.themes.studio_links import StudioGrant, StudioLinkError, StudioLinks, redeem_link

logger = logging.getLogger("blanche.studio")

EDITOR_PREVIEW_SECONDS = 1800
PDF_PREVIEW_DPI = 60


class StudioSignedOut(Exception):
    """No valid studio session (never signed in, expired, or partner gone)."""


@dataclass(frozen=True, slots=True)
class Previews:
    summary: dict[str, Any]  # what the API answers for a preview
    quote_email_html: str
    invoice_email_html: str
    pdf_theme_css: str
    logo: InlineLogo | None  # the new upload, else the stored logo


@dataclass(frozen=True, slots=True)
class ThemeErrors:
    errors: list[dict[str, str]]  # [{field, message}]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StudioBackend:
    def __init__(
        self,
        settings: Settings,
        extra: ExtraSettings,
        *,
        clock: Any = _utc_now,
        engine: AsyncEngine | None = None,
    ) -> None:
        self.settings = settings
        self.extra = extra
        self.clock = clock
        self.engine = engine or create_engine(settings.database_url)
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.engine)
        self.storage = DirectoryStorage(settings.files_dir)
        self.links = StudioLinks(settings.signing_keys)
        self.editor_tokens = EditorTokens(settings.signing_keys)

    @property
    def studio_origin(self) -> str:
        parts = urlsplit(self.extra.studio.public_url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    async def aclose(self) -> None:
        await self.engine.dispose()

    # --- sessions ------------------------------------------------------------------------

    async def sign_in(self, link_token: str) -> str:
        """Exchange a login link for a session token (raises StudioSignedOut)."""
        now = self.clock()
        try:
            async with self.sessions() as session, session.begin():
                token, grant = await redeem_link(session, self.links, link_token, now)
        except StudioLinkError as error:
            raise StudioSignedOut(str(error)) from None
        if grant.email and self.extra.smtp.configured:
            await self._notify_sign_in(grant, now)
        return token

    async def _notify_sign_in(self, grant: StudioGrant, now: dt.datetime) -> None:
        assert grant.email is not None
        try:
            async with self.sessions() as session, session.begin():
                partner = await session.get(Partner, grant.partner_id)
                if partner is not None:
                    await send_new_login_notice(
                        session,
                        self.storage,
                        self.extra.smtp,
                        partner,
                        to=grant.email,
                        locale="fr",
                        now=now,
                    )
        except Problem:
            logger.warning("could not send the new sign-in notice", exc_info=True)

    def grant(self, session_token: str) -> StudioGrant:
        try:
            return self.links.read_session(session_token, self.clock())
        except StudioLinkError as error:
            raise StudioSignedOut(str(error)) from None

    async def _partner(self, session: AsyncSession, session_token: str) -> Partner:
        grant = self.grant(session_token)
        partner = await session.get(Partner, grant.partner_id)
        if partner is None:
            raise StudioSignedOut("no such partner")
        return partner

    # --- themes --------------------------------------------------------------------------

    async def current(self, session_token: str) -> tuple[str, dict[str, Any]]:
        """The partner's name and its current theme answer (as GET /partners/me/theme)."""
        async with self.sessions() as session:
            partner = await self._partner(session, session_token)
            return partner.name, current_answer(partner, await current_theme(session, partner))

    async def preview(
        self, session_token: str, body: Mapping[str, Any], language: str = "fr"
    ) -> Previews | ThemeErrors:
        """The previews, or the theme's refusals said in `language`."""
        async with self.sessions() as session:
            partner = await self._partner(session, session_token)
            try:
                prepared = prepare_theme(self.storage, partner, body)
            except Problem as problem:
                said = problem.localized(language)
                return ThemeErrors([error.as_dict() for error in said.errors])
            logo = self._logo_for_preview(partner, prepared)
        brand = branding_from(prepared.built, prepared.website, None)
        if logo is not None:
            brand = EmailBranding(brand.module_name, brand.tokens, brand.website, logo)
        return Previews(
            prepared.answer(partner.id),
            email_preview(brand, DocumentKind.QUOTE),
            email_preview(brand, DocumentKind.INVOICE),
            pdf_theme_css(prepared.built),
            logo,
        )

    def _logo_for_preview(self, partner: Partner, prepared: PreparedTheme) -> InlineLogo | None:
        logo = prepared.request.new_logo
        if logo is not None:
            return InlineLogo(logo.content, logo.media_type, logo.width, logo.height)
        ref = prepared.built.theme.logo
        if ref is None:
            return None
        content = self.storage.get(logo_storage_key(partner.id, ref.media_type, ref.sha256))
        return (
            None if content is None else InlineLogo(content, ref.media_type, ref.width, ref.height)
        )

    async def publish(self, session_token: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Publish exactly as `PUT /api/v1/partners/me/theme` does (raises Problem)."""
        async with self.sessions() as session, session.begin():
            partner = await self._partner(session, session_token)
            return await publish_theme(session, self.storage, partner, body, self.clock())

    async def pdf_preview(self, previews: Previews) -> str:
        """The first page of a demo invoice with this theme, as a PNG data URL."""
        return await run_in_threadpool(lambda: first_page_png(sample_invoice_pdf(previews)))

    # --- the embedded editor -------------------------------------------------------------

    async def editor_preview_url(self, session_token: str, locale: str = "fr") -> str | None:
        """An editor URL for a new quote of the partner's first company, framed by
        the studio; None when the partner has no company with a user yet."""
        if not is_origin(self.studio_origin):
            return None
        async with self.sessions() as session:
            partner = await self._partner(session, session_token)
            row = (
                await session.execute(
                    select(Company.id, User.id)
                    .join(User, User.company_id == Company.id)
                    .where(Company.partner_id == partner.id, User.partner_id == partner.id)
                    .order_by(Company.id, User.id)
                    .limit(1)
                )
            ).first()
        if row is None:
            return None
        company_id, user_id = row
        expires_at = (self.clock() + dt.timedelta(seconds=EDITOR_PREVIEW_SECONDS)).replace(
            microsecond=0
        )
        scope = EditorScope(
            partner_id=partner.id,
            company_id=company_id,
            user_id=user_id,
            document_id=None,
            new_kind="quote",
            parent_origin=self.studio_origin,
            options=EditorOptions(locale="en" if locale == "en" else "fr"),
            expires_at=expires_at,
        )
        token = self.editor_tokens.mint(scope)
        return ParentOrigins(self.settings.signing_keys).editor_url(
            self.settings.public_url, self.studio_origin, token
        )


@cache
def demo_document(kind: DocumentKind) -> Document:
    document = demo_invoice(3)
    number = "D-2026-00042" if kind is DocumentKind.QUOTE else "F-2026-00042"
    return document.model_copy(update={"kind": kind, "number": number})


def email_preview(brand: EmailBranding, kind: DocumentKind) -> str:
    document = demo_document(kind)
    words = {
        DocumentKind.QUOTE: "Bonjour,\n\nVoici notre devis, valable 30 jours.\n\nCordialement,",
        DocumentKind.INVOICE: "Bonjour,\n\nVeuillez trouver notre facture ci-jointe.\n\nMerci !",
    }
    rendered = render_document_email(
        brand,
        document_facts(document, f"{document.number}.pdf"),
        message=words[kind],
        logo_mode="data",
    )
    return rendered.html


def sample_invoice_pdf(previews: Previews) -> bytes:
    """The demo invoice in the theme's colours, without `previews.logo`: a document
    prints its seller's logo (each company's, `PUT /companies/{id}/logo`), never the
    partner's, whose brand stays on the editor around it."""
    from invoicing.pdf.render import render_pdf  # heavy: imported on first use

    return render_pdf(demo_document(DocumentKind.INVOICE), theme_css=previews.pdf_theme_css)


def first_page_png(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                *("pdftoppm", "-png", "-r", str(PDF_PREVIEW_DPI), "-f", "1", "-l", "1"),
                *("-singlefile", str(source), str(Path(work) / "page")),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        png = (Path(work) / "page.png").read_bytes()
    return "data:image/png;base64," + base64.b64encode(png).decode()
