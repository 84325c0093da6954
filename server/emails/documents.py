"""Send an issued quote or invoice by email, with its PDF, under the partner's brand.

`send_document_email` is the one service function: the partner API
(`POST /documents/{id}/send-email`) and the editor (`POST /editor/send-email`)
both call it. The PDF attached is the document's original (rendered once at the
first download or send of an issued document, then kept in file storage).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Annotated, Final, Literal

from pydantic import AfterValidator, Field, StringConstraints
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import Document
from invoicing.profiles import Profile
from invoicing.text import LongText, refuse_control_characters
from server.api.common import Input, Output
from server.db.documents import DocumentRow
from server.db.tenants import Company, Partner
from server.documents.content import load_content
from server.documents.journal import append_event
from server.documents.status import Status
from server.emails.branding import load_branding
from server.emails.message import Attachment, build_message, safe_file_name, sender_address
from server.emails.render import document_facts, render_document_email
from server.emails.smtp import deliver_async, ensure_configured
from server.extra_settings import SmtpSettings
from server.field_messages import refused_field
from server.printed_look import printed_look
from server.problems import Refusal, not_found
from server.services import Services
from server.webhooks.events import document_event

MAX_RECIPIENTS: Final = 10
_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)


def _address(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not _ADDRESS.fullmatch(value):
        raise ValueError("is not an email address such as name@example.fr")
    return value


def _one_line(value: str) -> str:
    refuse_control_characters(value)
    if "\n" in value or "\r" in value:
        raise ValueError("must be one line")
    return value.strip()


EmailAddress = Annotated[str, StringConstraints(max_length=254), AfterValidator(_address)]
Subject = Annotated[str, StringConstraints(max_length=300), AfterValidator(_one_line)]


class SendEmailIn(Input):
    to: list[EmailAddress] | None = Field(
        None,
        max_length=MAX_RECIPIENTS,
        description="Recipients; default: the document's recipient_email, else the buyer's "
        "contact email",
    )
    cc: list[EmailAddress] = Field(default_factory=list, max_length=MAX_RECIPIENTS)
    subject: Subject | None = Field(None, description='Default: "Facture F-2026-00001 - Seller"')
    message: Annotated[LongText, StringConstraints(max_length=10_000)] | None = Field(
        None, description="The sender's words, above the document summary (plain text)"
    )
    locale: Literal["fr", "en"] = Field(
        "fr",
        description="The email's language; the PDF attached is the document's original, "
        "in French (the editor always sends in the document's language)",
    )


class SentEmailOut(Output):
    document_id: int
    status: str = Field(description="A finalized document becomes `sent`")
    to: list[str]
    cc: list[str]
    subject: str
    message_id: str


def default_recipient(document: Document) -> str | None:
    """The document's recipient_email, else the buyer's contact email."""
    contact = document.buyer.contact
    for candidate in (document.recipient_email, contact.email if contact else None):
        if candidate:
            try:
                return _address(candidate)
            except ValueError:
                continue
    return None


def _recipients(request: SendEmailIn, document: Document) -> list[str]:
    if request.to:
        return list(dict.fromkeys(request.to))
    found = default_recipient(document)
    if found is None:
        raise refused_field("to", "no_recipient")
    return [found]


def sender_name(document: Document, company: Company, module_name: str) -> str:
    """Who the recipient sees the email from: the seller, as the document names it
    (the partner's module name only when no company name is known)."""
    for name in (document.seller.name, company.name, module_name):
        one_line = " ".join((name or "").split())  # a display name is one header line
        if one_line:
            return one_line
    return module_name


def _reply_to(document: Document) -> str | None:
    contact = document.seller.contact
    if contact and contact.email:
        try:
            return _address(contact.email)
        except ValueError:
            return None
    return None


async def document_pdf(
    session: AsyncSession, services: Services, row: DocumentRow, company: Company
) -> bytes:
    """The issued document's original PDF (same storage key as the downloads),
    rendered in the work pool if it was never asked for."""
    return await services.pdfs.issued(
        row.company_id,
        row.id,
        load_content(row),
        Profile(company.profile),
        company.partner_id,
        partial(printed_look, session, row, company.partner_id),  # when it is rendered
    )


async def send_document_email(
    session: AsyncSession,
    services: Services,
    smtp: SmtpSettings,
    partner: Partner,
    row: DocumentRow,
    request: SendEmailIn,
) -> SentEmailOut:
    """The caller has checked that `row` belongs to `partner` (and locked it)."""
    ensure_configured(smtp)
    if row.status == Status.DRAFT:
        raise Refusal(
            409,
            "document_not_issued",
            "Drafts are not sent",
            "Finalize the document first: it then has its number and its legal PDF.",
            "Finalisez d'abord le document : il aura alors son numéro et son PDF légal.",
        )
    company = await session.get(Company, row.company_id)
    if company is None or company.partner_id != partner.id:
        raise not_found("document")
    document = load_content(row)
    to = _recipients(request, document)
    cc = [address for address in dict.fromkeys(request.cc) if address not in to]
    file_name = safe_file_name(f"{row.number or f'document-{row.id}'}.pdf")
    pdf = await document_pdf(session, services, row, company)
    brand = await load_branding(session, services.storage, partner)
    rendered = render_document_email(
        brand,
        document_facts(document, file_name),
        locale=request.locale,
        subject=request.subject,
        message=request.message,
    )
    message = build_message(
        rendered,
        sender=sender_address(sender_name(document, company, brand.module_name), smtp.from_address),
        to=to,
        cc=cc,
        reply_to=_reply_to(document),
        attachments=[Attachment(file_name, "application/pdf", pdf)],
        now=services.clock(),
    )
    await deliver_async(smtp, message)
    if row.status == Status.FINALIZED:
        row.status = Status.SENT
        row.updated_at = services.clock()
        await append_event(session, row.id, "sent", {"channel": "email"})
    await session.flush()
    await document_event(session, row, "document.sent")
    return SentEmailOut(
        document_id=row.id,
        status=row.status,
        to=to,
        cc=cc,
        subject=rendered.subject,
        message_id=str(message["Message-ID"]),
    )
