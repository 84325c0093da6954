"""`editor.backend.EditorBackend` on the service's database.

Sessions come from the signed editor tokens (server/editor/tokens.py), checked
again against the database on every `hello`: the company, the user and the
document must still belong to the partner. Each call runs in its own
transaction, filtered by the session's partner and company; the service's
problems (`Problem`) reach the editor as `ActionRefused` with the same code,
detail and field errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from editor.backend import (
    ActionRefused,
    Branding,
    Contact,
    DepositInvoice,
    Draft,
    DraftCustomer,
    EditorLocale,
    EditorOptions,
    EditorSession,
    EmailDraft,
    InvoiceBalance,
    NewContact,
    NewDeposit,
    NewEmail,
    NewPayment,
    NotFound,
    Product,
    SentEmail,
    SessionExpired,
    SessionInvalid,
)
from editor.logo.image import LogoImageLinks
from invoicing.model import Document, DocumentKind, Note
from invoicing.totals import Totals
from server.api.documents.crud import company_legal_notes
from server.db.documents import DocumentRow
from server.db.tenants import Company, Partner, User
from server.documents.finalize import finalize
from server.documents.payments import paris_today
from server.documents.status import Status
from server.draft_batches import DraftBatches
from server.editor import catalogue, documents, emails, settlement
from server.editor.logo import LogoLink, LogoLinks, remove_company_logo
from server.editor.pdf import PdfLink, PdfLinks
from server.editor.tokens import EditorScope, TokenError, TokenExpired
from server.editor.xml import check_xml, xml_link
from server.extra_settings import SmtpSettings
from server.printed_look import document_logo_sha256
from server.problems import Problem, Refusal
from server.services import Services
from server.themes.links import ThemeLinks


def session_key(token: str) -> str:
    """Stable per token, and not the token (which is never stored nor logged)."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _locale(text: str | None) -> EditorLocale | None:
    return "en" if text == "en" else "fr" if text == "fr" else None


def editor_session(scope: EditorScope, key: str, *, can_email: bool = False) -> EditorSession:
    options = scope.options
    return EditorSession(
        key=key,
        partner_id=scope.partner_id,
        company_id=scope.company_id,
        user_id=scope.user_id,
        document_id=scope.document_id,
        new_kind=DocumentKind(scope.new_kind) if scope.new_kind else None,
        parent_origin=scope.parent_origin,
        options=EditorOptions(
            hide_preview_after_save=options.hide_preview_after_save,
            contacts=options.contacts,
            hidden_buttons=frozenset(options.hidden_buttons),
            locale=options.locale,
            logo_upload=options.logo_upload,
        ),
        expires_at=scope.expires_at,
        can_email=can_email,
    )


async def _grants_hold(db: AsyncSession, scope: EditorScope) -> bool:
    """The token's company, user and document still belong to its partner."""
    company = await db.scalar(
        select(Company.id).where(
            Company.id == scope.company_id, Company.partner_id == scope.partner_id
        )
    )
    user = await db.scalar(
        select(User.id).where(User.id == scope.user_id, User.company_id == scope.company_id)
    )
    if company is None or user is None:
        return False
    if scope.document_id is None:
        return True
    document = await db.scalar(
        select(DocumentRow.id).where(
            DocumentRow.id == scope.document_id,
            DocumentRow.company_id == scope.company_id,
            DocumentRow.partner_id == scope.partner_id,
        )
    )
    return document is not None


def _refusal(problem: Problem, locale: str | None = None) -> NotFound | ActionRefused:
    """The service's problem as the editor's refusal (same code, detail, field errors);
    a flow's refusal (`documents.refusals.Refusal`) also said in the session's language."""
    if problem.status == 404:
        return NotFound()
    detail = problem.detail or problem.title
    if isinstance(problem, Refusal) and locale is not None:
        said = problem.localized(locale)
        return ActionRefused(problem.code, detail, said.errors, message=said.detail)
    return ActionRefused(problem.code, detail, problem.errors)


class DatabaseEditorBackend:
    def __init__(
        self,
        services: Services,
        pdf_links: PdfLinks,
        themes: ThemeLinks,
        smtp: Callable[[], SmtpSettings] = SmtpSettings,
    ) -> None:
        self._services = services
        self._pdf_links = pdf_links
        self._logo_links = LogoLinks.beside(pdf_links)
        self._logo_images = LogoImageLinks(pdf_links.signing_keys)
        self._xml_links = PdfLinks(pdf_links.signing_keys, pdf_links.public_url, kind="xml")
        self._smtp = smtp
        self._themes = themes
        self._batches = DraftBatches(self._store_drafts, self._save_draft)

    @asynccontextmanager
    async def _transaction(self, locale: str | None = None) -> AsyncIterator[AsyncSession]:
        try:
            async with self._services.sessions() as db, db.begin():
                yield db
        except Problem as problem:
            raise _refusal(problem, locale) from None

    # --- the session --------------------------------------------------------------------

    async def resolve_session(self, token: str) -> EditorSession:
        try:
            scope = self._services.editor_tokens.read(token, self._services.clock())
        except TokenExpired as expired:
            raise SessionExpired(_locale(expired.locale)) from None
        except TokenError:
            raise SessionInvalid() from None
        async with self._transaction() as db:
            if not await _grants_hold(db, scope):
                raise SessionInvalid()
        return editor_session(scope, session_key(token), can_email=self._smtp().configured)

    async def branding(self, session: EditorSession) -> Branding:
        async with self._transaction(session.options.locale) as db:
            partner = await db.get(Partner, session.partner_id)
            if partner is None:
                raise NotFound()
            return await self._themes.branding(db, partner)

    # --- drafts and documents -----------------------------------------------------------

    async def open_draft(self, session: EditorSession, document_id: int | None = None) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await documents.open_draft(db, session, document_id)

    async def save_draft(self, session: EditorSession, draft: Draft, *, expected_seq: int) -> Draft:
        if draft.document_id is None:  # its first save creates the document
            return await self._save_draft(session, draft, expected_seq)
        return await self._batches.save(session, draft, expected_seq)

    async def _store_drafts(self, saves: Sequence[tuple[EditorSession, Draft, int]]) -> list[bool]:
        async with self._transaction() as db:
            return await documents.store_drafts(db, saves)

    async def _save_draft(self, session: EditorSession, draft: Draft, expected_seq: int) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await documents.save_draft(db, session, draft, expected_seq)

    async def save_document(
        self, session: EditorSession, draft: Draft, document: Document
    ) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await documents.save_document(db, session, draft, document)

    async def finalize(self, session: EditorSession, document_id: int) -> Draft:
        """Checked and issued by server.documents.finalize, between short transactions
        of its own (the official check runs in the process pool, outside any)."""
        services = self._services
        async with self._transaction(session.options.locale) as db:
            await documents.document_of(db, session, document_id)  # the session's own
        try:
            await finalize(
                services.sessions.begin,
                session.company_id,
                document_id,
                paris_today(services.clock()),
                services.work,
                services.read_sessions.begin,
            )
        except Problem as problem:
            raise _refusal(problem, session.options.locale) from None
        async with self._transaction(session.options.locale) as db:
            return await documents.finalized_draft(db, session, document_id)

    async def mark_paid(self, session: EditorSession, document_id: int, paid_on: dt.date) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await documents.mark_paid(db, session, document_id, paid_on)

    async def convert_quote(self, session: EditorSession, document_id: int) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await documents.convert_quote(db, session, document_id)

    async def create_credit_note(
        self,
        session: EditorSession,
        document_id: int,
        lines: Sequence[tuple[int, Decimal]] | None = None,
    ) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await documents.create_credit_note(db, session, document_id, lines)

    async def record_payment(
        self, session: EditorSession, document_id: int, payment: NewPayment
    ) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await settlement.pay(db, session, document_id, payment)

    async def balance(self, session: EditorSession, document_id: int) -> InvoiceBalance:
        async with self._transaction(session.options.locale) as db:
            return await settlement.balance(db, session, document_id)

    async def credit_total(
        self, session: EditorSession, document_id: int, lines: Sequence[tuple[int, Decimal]]
    ) -> Totals:
        async with self._transaction(session.options.locale) as db:
            return await settlement.credit_total(db, session, document_id, lines)

    async def duplicate(self, session: EditorSession, document_id: int) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await settlement.duplicate(db, session, document_id)

    async def delete_document(self, session: EditorSession, document_id: int) -> None:
        async with self._transaction(session.options.locale) as db:
            await settlement.delete(db, session, document_id)

    async def create_deposit(self, session: EditorSession, deposit: NewDeposit) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await settlement.create_deposit(db, session, deposit)

    async def set_deposit_amount(
        self, session: EditorSession, document_id: int, amount: Decimal, vat_rate: Decimal
    ) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await settlement.set_deposit_amount(db, session, document_id, amount, vat_rate)

    async def deposit_invoices(
        self, session: EditorSession, document_id: int, customer: DraftCustomer | None = None
    ) -> Sequence[DepositInvoice]:
        async with self._transaction(session.options.locale) as db:
            return await settlement.deposit_invoices(db, session, document_id, customer)

    async def deduct_deposits(
        self, session: EditorSession, document_id: int, deposit_ids: Sequence[int]
    ) -> Draft:
        async with self._transaction(session.options.locale) as db:
            return await settlement.deduct_deposits(db, session, document_id, deposit_ids)

    async def pdf_url(self, session: EditorSession, document_id: int) -> str:
        async with self._transaction(session.options.locale) as db:
            row = await documents.document_of(db, session, document_id)
            if row.status == Status.DRAFT:
                draft = await documents.current_draft(db, row)
                if not draft.saved:
                    raise ActionRefused("not_saved", "save the document first")
        return self._pdf_links.url(
            PdfLink(
                partner_id=session.partner_id,
                company_id=session.company_id,
                document_id=document_id,
                locale=session.options.locale,
            )
        )

    # --- the seller's logo --------------------------------------------------------------

    async def document_logo(self, session: EditorSession, document_id: int | None) -> str | None:
        async with self._transaction() as db:
            if document_id is None:
                sha256 = await document_logo_sha256(db, session.company_id, None, "draft")
            else:
                row = await documents.document_of(db, session, document_id)
                sha256 = await document_logo_sha256(db, row.company_id, row.id, row.status)
        return self._logo_images.path(session.company_id, sha256) if sha256 else None

    async def legal_notes(self, session: EditorSession) -> list[Note]:
        async with self._transaction() as db:
            return company_legal_notes(await documents.company_of(db, session))

    async def logo_upload_url(self, session: EditorSession) -> str:
        return self._logo_links.url(
            LogoLink(
                partner_id=session.partner_id,
                company_id=session.company_id,
                locale=session.options.locale,
            )
        )

    async def remove_logo(self, session: EditorSession) -> None:
        await remove_company_logo(self._services, session.partner_id, session.company_id)

    async def xml_url(self, session: EditorSession, document_id: int) -> str:
        async with self._transaction(session.options.locale) as db:
            check_xml(await documents.document_of(db, session, document_id))
        return xml_link(self._xml_links, session, document_id)

    async def email_draft(self, session: EditorSession, document_id: int) -> EmailDraft:
        async with self._transaction(session.options.locale) as db:
            return await emails.email_draft(db, self._smtp(), session, document_id)

    async def send_email(
        self, session: EditorSession, document_id: int, email: NewEmail
    ) -> SentEmail:
        async with self._transaction(session.options.locale) as db:
            return await emails.send_email(
                db, self._services, self._smtp(), session, document_id, email
            )

    # --- contacts and products ----------------------------------------------------------

    async def search_contacts(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Contact]:
        async with self._transaction(session.options.locale) as db:
            return await catalogue.search_contacts(db, session, query, limit)

    async def contact(self, session: EditorSession, contact_id: int) -> Contact:
        async with self._transaction(session.options.locale) as db:
            return await catalogue.contact(db, session, contact_id)

    async def create_contact(self, session: EditorSession, contact: NewContact) -> Contact:
        async with self._transaction(session.options.locale) as db:
            return await catalogue.create_contact(db, session, contact)

    async def search_products(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Product]:
        async with self._transaction(session.options.locale) as db:
            return await catalogue.search_products(db, session, query, limit)

    async def product(self, session: EditorSession, product_id: int) -> Product:
        async with self._transaction(session.options.locale) as db:
            return await catalogue.product(db, session, product_id)
