"""What the editor needs from storage: `EditorBackend`, and the values it exchanges.

The editor never imports `server`; the service implements this protocol on its
database (and `editor.memory_backend` implements it on dicts). Every method is
scoped by the `EditorSession` it receives: an implementation must refuse ids of
another company (raise `NotFound`).

Drafts are the editor's working copy of a document: the raw JSON as the user
typed it (half-typed values included) and the sequence number of the last patch
applied to it. Storing both together is what makes patches exactly-once across
reconnects and processes (`save_draft` is a compare-and-set on that number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

from invoicing.field_errors import FieldError
from invoicing.model import Address, Document, DocumentKind, Note, Party, VatCategory
from invoicing.totals import Totals

DocumentStatus = Literal[
    "draft",
    "finalized",
    "sent",
    "partially_paid",
    "paid",
    "cancelled",
    "accepted",
    "refused",
    "expired",
    "converted",
]
ContactsMode = Literal["editor", "app"]
EditorLocale = Literal["fr", "en"]
ContactKind = Literal["person", "company"]


@dataclass(frozen=True, slots=True)
class EditorOptions:
    hide_preview_after_save: bool = False
    contacts: ContactsMode = "editor"  # "app": pick existing contacts only
    hidden_buttons: frozenset[str] = frozenset()
    locale: EditorLocale = "fr"
    logo_upload: bool = True  # the user may set or remove the seller's logo here


@dataclass(frozen=True, slots=True)
class EditorSession:
    """What a valid editor token grants."""

    key: str  # stable per token (e.g. a digest of it): finds a new document's draft again
    partner_id: int
    company_id: int
    user_id: int
    document_id: int | None  # None: a new document of `new_kind`
    new_kind: DocumentKind | None
    parent_origin: str  # "https://app.partner.example": postMessage target, frame-ancestors
    options: EditorOptions
    expires_at: dt.datetime  # timezone-aware
    can_email: bool = False  # the deployment has an SMTP relay: "send by email" is offered


@dataclass(frozen=True, slots=True)
class Draft:
    """One document as the editor works on it."""

    document_id: int | None  # None until first stored
    kind: DocumentKind
    status: DocumentStatus
    number: str | None
    content: Mapping[str, Any]  # raw JSON in the shape of invoicing.model.Document
    seq: int  # the last patch applied to `content` (0: none)
    contact_id: int | None  # the contact the buyer was taken from
    saved: bool  # saved at least once with "save" (not only autosaved)
    # A draft invoice: issued deposit invoices of its customer it may deduct exist
    # ("Déduire des acomptes" is offered then only): of the customer of its working
    # copy when opened or saved, then of the form's (editor.live.draft follows it).
    deposits_to_deduct: bool = False


@dataclass(frozen=True, slots=True)
class NewContact:
    kind: ContactKind
    name: str
    siren: str | None = None
    siret: str | None = None
    vat_id: str | None = None
    email: str | None = None
    address: Address = field(default_factory=Address)


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    kind: ContactKind
    name: str
    siren: str | None = None
    siret: str | None = None
    vat_id: str | None = None
    email: str | None = None
    address: Address = field(default_factory=Address)


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    name: str
    unit_price: Decimal  # net, excl. VAT
    unit: str = "C62"
    description: str | None = None
    vat_category: VatCategory = VatCategory.STANDARD
    vat_rate: Decimal | None = Decimal("20")


@dataclass(frozen=True, slots=True)
class Branding:
    module_name: str  # shown in the editor's header; never a vendor brand
    theme_css_url: str | None  # same-origin URL of the partner's `--bl-*` CSS; None: default
    logo_data_uri: str | None  # data:image/...;base64 (PNG, JPEG, WebP or sanitized SVG)


@dataclass(frozen=True, slots=True)
class InvoiceBalance:
    """What is left of an issued invoice: to pay, and to credit per line."""

    amount_due: Decimal
    paid: Decimal
    credited: Decimal
    balance: Decimal
    remaining: tuple[Decimal, ...]  # per invoice line: the quantity not credited yet


@dataclass(frozen=True, slots=True)
class NewPayment:
    amount: Decimal | None  # None: the whole balance
    paid_on: dt.date
    means_code: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class NewDeposit:
    """A deposit invoice to draft: `amount` incl. VAT, or `percent` of the quote's
    total incl. VAT (one of the two), asked on the quote `quote_id`."""

    quote_id: int
    amount: Decimal | None = None
    percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DraftCustomer:
    """The customer of a draft invoice as its form has it now, saved or not: the
    contact chosen, the buyer as typed, and the currency (a deposit deducted is of
    the same customer, in the same currency)."""

    contact_id: int | None
    buyer: Party
    currency: str

    @classmethod
    def of(cls, document: Document, contact_id: int | None) -> DraftCustomer:
        return cls(contact_id, document.buyer, document.currency)


@dataclass(frozen=True, slots=True)
class DepositInvoice:
    """An issued deposit invoice a draft invoice can deduct."""

    id: int
    number: str
    issue_date: dt.date | None
    amount: Decimal  # its amount due incl. VAT (what a final invoice deducts)
    currency: str
    buyer_name: str
    deducted: bool  # deducted by the draft asked about


@dataclass(frozen=True, slots=True)
class EmailDraft:
    """What the "send by email" dialog proposes: the customer's address, the usual
    subject; the message is the user's."""

    to: str  # "" when the document names no address
    subject: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class NewEmail:
    to: tuple[str, ...]  # checked addresses, at most 10
    subject: str  # one line
    message: str  # plain text
    locale: EditorLocale  # the email's: the document's (invoicing.original_language)


@dataclass(frozen=True, slots=True)
class SentEmail:
    to: tuple[str, ...]
    subject: str
    status: DocumentStatus  # a finalized document becomes "sent"
    message_id: str


class SessionInvalid(Exception):
    """Not a token we signed, or it names something that no longer exists."""


class SessionExpired(Exception):
    """A genuine token past its `expires_at`; `locale` is its editor language, if known."""

    def __init__(self, locale: EditorLocale | None = None) -> None:
        super().__init__("session expired")
        self.locale = locale


class NotFound(Exception):
    """No such document, contact or product in the session's company."""


class DraftConflict(Exception):
    """The stored draft moved past `expected_seq`: someone else writes it."""


class ActionRefused(Exception):
    """The action is not possible now (wrong status, invalid input...).

    `detail` is for developers (English, the host page's logs). When the backend can
    say the refusal in the session's language itself, `message` is that sentence and
    `errors` are in that language too; else the editor words it by `code`."""

    def __init__(
        self,
        code: str,
        detail: str,
        errors: Sequence[FieldError] = (),
        *,
        message: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.errors = tuple(errors)
        self.message = message


class EditorBackend(Protocol):
    async def resolve_session(self, token: str) -> EditorSession:
        """Raise `SessionExpired` or `SessionInvalid`; never log the token."""
        ...

    async def branding(self, session: EditorSession) -> Branding: ...

    async def open_draft(self, session: EditorSession, document_id: int | None = None) -> Draft:
        """`document_id` None: the session's document; for a new-document session,
        the draft already created under `session.key`, else a fresh unstored one
        (document_id None, seq 0) prefilled from the company (seller, legal notes,
        payment terms). An id: that document (after a conversion or a credit note)."""
        ...

    async def save_draft(self, session: EditorSession, draft: Draft, *, expected_seq: int) -> Draft:
        """Autosave `content`, `seq` and `contact_id` if the stored seq is still
        `expected_seq` (else `DraftConflict`); store a new draft document when
        `document_id` is None (and remember it under `session.key`). Only drafts."""
        ...

    async def save_document(
        self, session: EditorSession, draft: Draft, document: Document
    ) -> Draft:
        """The user's "save": `document` (the parsed draft) becomes the document's
        content, the draft is stored as by `save_draft` (no seq check) and
        `saved` becomes true. The editor has validated it already."""
        ...

    async def finalize(self, session: EditorSession, document_id: int) -> Draft:
        """Number and freeze a saved draft (`ActionRefused` when invalid)."""
        ...

    async def mark_paid(
        self, session: EditorSession, document_id: int, paid_on: dt.date
    ) -> Draft: ...

    async def record_payment(
        self, session: EditorSession, document_id: int, payment: NewPayment
    ) -> Draft:
        """`ActionRefused` with the field (`amount`, `paid_on`) when refused."""
        ...

    async def balance(self, session: EditorSession, document_id: int) -> InvoiceBalance:
        """An issued invoice's balance and what of each line is left to credit."""
        ...

    async def credit_total(
        self, session: EditorSession, document_id: int, lines: Sequence[tuple[int, Decimal]]
    ) -> Totals:
        """The totals of the credit note `lines` would make now, as `create_credit_note`
        would make it (`ActionRefused` when it asks more than is left)."""
        ...

    async def duplicate(self, session: EditorSession, document_id: int) -> Draft:
        """A new draft with the document's content (no number, dates or references)."""
        ...

    async def delete_document(self, session: EditorSession, document_id: int) -> None:
        """A draft or a quote only (`ActionRefused` for an issued invoice)."""
        ...

    async def convert_quote(self, session: EditorSession, document_id: int) -> Draft:
        """A new invoice draft from a quote; returns the new document's draft."""
        ...

    async def create_credit_note(
        self,
        session: EditorSession,
        document_id: int,
        lines: Sequence[tuple[int, Decimal]] | None = None,
    ) -> Draft:
        """A credit note draft of `lines` ((invoice line index, quantity); None: all that
        is left to credit) of an issued invoice; returns its draft."""
        ...

    async def create_deposit(self, session: EditorSession, deposit: NewDeposit) -> Draft:
        """A deposit invoice draft asked on an issued quote (`ActionRefused` with the
        field `amount` or `percent` when it asks more than the quote has left)."""
        ...

    async def set_deposit_amount(
        self, session: EditorSession, document_id: int, amount: Decimal, vat_rate: Decimal
    ) -> Draft:
        """The draft deposit invoice asks `amount` incl. VAT at `vat_rate`: its lines
        become the deposit's (net amount from the amount incl. VAT); returns its draft."""
        ...

    async def deposit_invoices(
        self, session: EditorSession, document_id: int, customer: DraftCustomer | None = None
    ) -> Sequence[DepositInvoice]:
        """The issued deposit invoices of the company the draft invoice `document_id`
        can deduct: the ones it deducts and the ones no other invoice deducts; of
        `customer` (the form's, typed or chosen), else of its customer as saved."""
        ...

    async def deduct_deposits(
        self, session: EditorSession, document_id: int, deposit_ids: Sequence[int]
    ) -> Draft:
        """The draft invoice deducts exactly `deposit_ids` (BT-113, BG-3 references,
        BT-23 final after deposit); returns its draft (the stored content wins)."""
        ...

    async def pdf_url(self, session: EditorSession, document_id: int) -> str:
        """A short-lived signed URL (a few minutes) to download the PDF."""
        ...

    async def document_logo(self, session: EditorSession, document_id: int | None) -> str | None:
        """The seller's logo the document prints (None: none), as the page loads it:
        a same-origin path naming the image by its digest, which the backend serves
        with a year's cache (editor.logo.image). An issued document's is the logo of
        its issue, a draft's the company's current one."""
        ...

    async def legal_notes(self, session: EditorSession) -> Sequence[Note]:
        """The company's legal notes, which a new document starts with: a draft's
        preview leaves out the B2B-only ones for a private customer, as issuing does
        (invoicing.legal_notes)."""
        ...

    async def logo_upload_url(self, session: EditorSession) -> str:
        """A short-lived signed URL where the page PUTs the company's new logo (the
        image as the body); it answers as `editor.logo.upload.answer` says."""
        ...

    async def remove_logo(self, session: EditorSession) -> None:
        """The company has no logo any more (its issued documents keep theirs)."""
        ...

    async def xml_url(self, session: EditorSession, document_id: int) -> str:
        """A short-lived signed URL to download an issued document's CII XML
        (`ActionRefused` for a draft or a quote)."""
        ...

    async def email_draft(self, session: EditorSession, document_id: int) -> EmailDraft:
        """The email's defaults (`ActionRefused("email_not_configured")` without SMTP)."""
        ...

    async def send_email(
        self, session: EditorSession, document_id: int, email: NewEmail
    ) -> SentEmail:
        """Send the issued document with its Factur-X PDF attached (`ActionRefused`:
        email_not_configured, document_not_issued, email_delivery_failed)."""
        ...

    async def search_contacts(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Contact]: ...

    async def contact(self, session: EditorSession, contact_id: int) -> Contact:
        """`NotFound` when not in the session's company."""
        ...

    async def create_contact(self, session: EditorSession, contact: NewContact) -> Contact:
        """`ActionRefused` with field errors (paths like "siren", "address.city")."""
        ...

    async def search_products(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Product]:
        """The catalogue; an empty query lists the first `limit` products."""
        ...

    async def product(self, session: EditorSession, product_id: int) -> Product:
        """`NotFound` when not in the session's company."""
        ...
