"""The editor's "send by email" on the service: the same `send_document_email` as
`POST /api/v1/documents/{id}/send-email`, for the session's own document, and the
defaults its dialog proposes."""

from __future__ import annotations

from typing import cast

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from editor.backend import (
    ActionRefused,
    DocumentStatus,
    EditorSession,
    EmailDraft,
    NewEmail,
    NotFound,
    SentEmail,
)
from invoicing.original_language import ORIGINAL_LANGUAGE
from server.db.tenants import Partner
from server.documents.content import load_content
from server.documents.locks import lock_company
from server.documents.status import Status
from server.editor.documents import document_of
from server.emails.documents import SendEmailIn, default_recipient, send_document_email
from server.emails.render import default_document_subject, document_facts
from server.emails.smtp import ensure_configured
from server.extra_settings import SmtpSettings
from server.problems import invalid_body
from server.services import Services


def _not_issued() -> ActionRefused:
    return ActionRefused("document_not_issued", "drafts are not sent: finalize first")


async def email_draft(
    db: AsyncSession, smtp: SmtpSettings, session: EditorSession, document_id: int
) -> EmailDraft:
    ensure_configured(smtp)
    row = await document_of(db, session, document_id)
    if row.status == Status.DRAFT:
        raise _not_issued()
    document = load_content(row)
    facts = document_facts(document, f"{row.number or row.id}.pdf")
    return EmailDraft(
        to=default_recipient(document) or "",
        subject=default_document_subject(facts, ORIGINAL_LANGUAGE),  # the PDF's language
    )


async def send_email(
    db: AsyncSession,
    services: Services,
    smtp: SmtpSettings,
    session: EditorSession,
    document_id: int,
    email: NewEmail,
) -> SentEmail:
    ensure_configured(smtp)
    await lock_company(db, session.company_id)  # first: server/documents/locks.py
    row = await document_of(db, session, document_id, lock=True)
    partner = await db.get(Partner, session.partner_id)
    if partner is None:
        raise NotFound()
    if row.status == Status.DRAFT:
        raise _not_issued()
    try:
        request = SendEmailIn(
            to=list(email.to), subject=email.subject, message=email.message, locale=email.locale
        )
    except ValidationError as error:
        raise invalid_body(error, language=session.options.locale) from None
    sent = await send_document_email(db, services, smtp, partner, row, request)
    return SentEmail(
        tuple(sent.to), sent.subject, cast(DocumentStatus, row.status), sent.message_id
    )
