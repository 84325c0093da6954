"""`EditorBackend` on dicts: the standalone demo and the editor's tests.

A real implementation, not a stand-in: tokens are signed and expire
(itsdangerous), every lookup is scoped to the session's company, drafts are
stored with their patch number and saved by compare-and-set, finalization
numbers documents gaplessly per company, kind and year, and a signed,
short-lived URL serves the Factur-X PDF.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from editor.analysis import PROFILE, is_french
from editor.backend import (
    ActionRefused,
    Branding,
    Contact,
    DocumentStatus,
    Draft,
    DraftConflict,
    EditorOptions,
    EditorSession,
    InvoiceBalance,
    NewContact,
    NewPayment,
    NotFound,
    Product,
    SessionExpired,
    SessionInvalid,
)
from invoicing.field_errors import FieldError
from invoicing.model import (
    Document,
    DocumentKind,
    Note,
    Party,
    PaymentMeans,
    PaymentTerm,
    PrecedingInvoice,
    VatCategory,
)
from invoicing.pdf import render_pdf
from invoicing.rules import validate
from invoicing.rules.drafts import parse_draft
from invoicing.totals import compute_totals

SESSION_SALT = "blanche.editor-session.memory.v1"
PDF_SALT = "blanche.editor-pdf.memory.v1"
MAX_TOKEN_SECONDS = 24 * 3600
PDF_URL_SECONDS = 300
PREFIXES = {
    DocumentKind.INVOICE: "F",
    DocumentKind.CREDIT_NOTE: "AV",
    DocumentKind.DEPOSIT_INVOICE: "AC",
    DocumentKind.QUOTE: "D",
}
_DIGITS = re.compile(r"\d+")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Company:
    id: int
    seller: Party
    module_name: str = "Factures"
    legal_notes: tuple[Note, ...] = ()
    payment_terms: str | None = None
    payment_term: PaymentTerm | None = None
    payment_means: PaymentMeans | None = None
    theme_css_url: str | None = None
    logo_data_uri: str | None = None
    users: set[int] = field(default_factory=set)


@dataclass
class StoredDocument:
    id: int
    company_id: int
    kind: DocumentKind
    status: DocumentStatus
    draft_content: dict[str, Any]
    seq: int
    contact_id: int | None = None
    saved: bool = False
    content: Document | None = None  # the last "save"
    number: str | None = None
    paid_on: dt.date | None = None
    source_id: int | None = None
    paid: Decimal = Decimal(0)

    def draft(self) -> Draft:
        return Draft(
            document_id=self.id,
            kind=self.kind,
            status=self.status,
            number=self.number,
            content=self.draft_content,
            seq=self.seq,
            contact_id=self.contact_id,
            saved=self.saved,
        )


def _content(document: Document) -> dict[str, Any]:
    # Every field, nulls included: a null rate must not read back as the default 20 %.
    data: dict[str, Any] = document.model_dump(mode="json")
    return data


class MemoryBackend:
    def __init__(
        self,
        signing_keys: Sequence[str],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        public_url: str = "",
    ) -> None:
        self._sessions = URLSafeTimedSerializer(list(signing_keys), salt=SESSION_SALT)
        self._pdf_links = URLSafeTimedSerializer(list(signing_keys), salt=PDF_SALT)
        self.clock = clock
        self.public_url = public_url.rstrip("/")
        self.companies: dict[int, Company] = {}
        self.documents: dict[int, StoredDocument] = {}
        self.contacts: dict[int, tuple[int, Contact]] = {}
        self.products: dict[int, tuple[int, Product]] = {}
        self.session_documents: dict[str, int] = {}
        self.counters: dict[tuple[int, str, int], int] = {}
        self._ids = itertools.count(1)
        self.saves = 0  # draft writes, for tests

    # --- the demo's world ---------------------------------------------------------------

    def add_company(self, seller: Party, **details: Any) -> Company:
        company = Company(id=next(self._ids), seller=seller, **details)
        self.companies[company.id] = company
        return company

    def add_user(self, company: Company) -> int:
        user_id = next(self._ids)
        company.users.add(user_id)
        return user_id

    def add_contact(self, company: Company, contact: NewContact) -> Contact:
        stored = Contact(
            id=next(self._ids),
            kind=contact.kind,
            name=contact.name,
            siren=contact.siren,
            siret=contact.siret,
            vat_id=contact.vat_id,
            email=contact.email,
            address=contact.address,
        )
        self.contacts[stored.id] = (company.id, stored)
        return stored

    def add_product(
        self,
        company: Company,
        name: str,
        unit_price: str,
        *,
        unit: str = "C62",
        vat_rate: str | None = "20",
        vat_category: VatCategory = VatCategory.STANDARD,
    ) -> Product:
        product = Product(
            id=next(self._ids),
            name=name,
            unit_price=Decimal(unit_price),
            unit=unit,
            vat_category=vat_category,
            vat_rate=None if vat_rate is None else Decimal(vat_rate),
        )
        self.products[product.id] = (company.id, product)
        return product

    def add_document(
        self, company: Company, document: Document, *, status: DocumentStatus = "draft"
    ) -> int:
        stored = StoredDocument(
            id=next(self._ids),
            company_id=company.id,
            kind=document.kind,
            status=status,
            draft_content=_content(document),
            seq=0,
            saved=True,
            content=document,
            number=document.number,
        )
        self.documents[stored.id] = stored
        return stored.id

    def mint(
        self,
        *,
        company: Company,
        user_id: int,
        parent_origin: str,
        document_id: int | None = None,
        new_kind: DocumentKind | None = None,
        options: EditorOptions | None = None,
        seconds: int = 3600,
    ) -> str:
        """A session token, as the service's `POST /editor-sessions` makes one."""
        if (document_id is None) == (new_kind is None):
            raise ValueError("give a document id or the kind of a new document")
        options = options or EditorOptions()
        expires_at = self.clock() + dt.timedelta(seconds=min(seconds, MAX_TOKEN_SECONDS))
        return self._sessions.dumps(
            {
                "company_id": company.id,
                "user_id": user_id,
                "document_id": document_id,
                "new_kind": new_kind.value if new_kind else None,
                "parent_origin": parent_origin,
                "options": {
                    "hide_preview_after_save": options.hide_preview_after_save,
                    "contacts": options.contacts,
                    "hidden_buttons": sorted(options.hidden_buttons),
                    "locale": options.locale,
                },
                "expires_at": expires_at.isoformat(),
            }
        )

    # --- EditorBackend ------------------------------------------------------------------

    async def resolve_session(self, token: str) -> EditorSession:
        if len(token) > 4096:
            raise SessionInvalid()
        try:
            payload = self._sessions.loads(token, max_age=MAX_TOKEN_SECONDS)
            options = payload["options"]
            session = EditorSession(
                key=hashlib.sha256(token.encode()).hexdigest()[:32],
                partner_id=0,
                company_id=int(payload["company_id"]),
                user_id=int(payload["user_id"]),
                document_id=payload["document_id"],
                new_kind=DocumentKind(payload["new_kind"]) if payload["new_kind"] else None,
                parent_origin=str(payload["parent_origin"]),
                options=EditorOptions(
                    hide_preview_after_save=bool(options["hide_preview_after_save"]),
                    contacts="app" if options["contacts"] == "app" else "editor",
                    hidden_buttons=frozenset(options["hidden_buttons"]),
                    locale="en" if options["locale"] == "en" else "fr",
                ),
                expires_at=dt.datetime.fromisoformat(payload["expires_at"]),
            )
        except (BadData, KeyError, TypeError, ValueError):
            raise SessionInvalid() from None
        company = self.companies.get(session.company_id)
        if company is None or session.user_id not in company.users:
            raise SessionInvalid()
        if session.document_id is not None:
            self._document(session, session.document_id)
        if session.expires_at <= self.clock():
            raise SessionExpired(session.options.locale)
        return session

    def _company(self, session: EditorSession) -> Company:
        return self.companies[session.company_id]

    def _document(self, session: EditorSession, document_id: int) -> StoredDocument:
        stored = self.documents.get(document_id)
        if stored is None or stored.company_id != session.company_id:
            raise NotFound()
        return stored

    async def branding(self, session: EditorSession) -> Branding:
        company = self._company(session)
        return Branding(company.module_name, company.theme_css_url, company.logo_data_uri)

    def _new_content(self, company: Company, kind: DocumentKind) -> dict[str, Any]:
        document = Document(
            kind=kind,
            seller=company.seller,
            notes=list(company.legal_notes) if kind is not DocumentKind.QUOTE else [],
            payment_terms=company.payment_terms,
            payment_term=company.payment_term,
            payment_means=[company.payment_means] if company.payment_means else [],
        )
        return _content(document)

    async def open_draft(self, session: EditorSession, document_id: int | None = None) -> Draft:
        document_id = document_id or session.document_id or self.session_documents.get(session.key)
        if document_id is not None:
            return self._document(session, document_id).draft()
        kind = session.new_kind or DocumentKind.INVOICE
        return Draft(
            document_id=None,
            kind=kind,
            status="draft",
            number=None,
            content=self._new_content(self._company(session), kind),
            seq=0,
            contact_id=None,
            saved=False,
        )

    def _store(
        self, session: EditorSession, draft: Draft, expected_seq: int | None
    ) -> StoredDocument:
        document_id = draft.document_id or self.session_documents.get(session.key)
        if document_id is None:
            if expected_seq not in (None, 0):
                raise DraftConflict()
            stored = StoredDocument(
                id=next(self._ids),
                company_id=session.company_id,
                kind=draft.kind,
                status="draft",
                draft_content={},
                seq=0,
            )
            self.documents[stored.id] = stored
            self.session_documents[session.key] = stored.id
        else:
            stored = self._document(session, document_id)
        if stored.status != "draft":
            raise ActionRefused("document_finalized", "this document is issued: it cannot change")
        if expected_seq is not None and stored.seq != expected_seq:
            raise DraftConflict()
        stored.draft_content = dict(draft.content)
        stored.seq = draft.seq
        stored.contact_id = draft.contact_id
        self.saves += 1
        return stored

    async def save_draft(self, session: EditorSession, draft: Draft, *, expected_seq: int) -> Draft:
        return self._store(session, draft, expected_seq).draft()

    async def save_document(
        self, session: EditorSession, draft: Draft, document: Document
    ) -> Draft:
        stored = self._store(session, draft, None)
        stored.content = document
        stored.saved = True
        return stored.draft()

    async def finalize(self, session: EditorSession, document_id: int) -> Draft:
        stored = self._document(session, document_id)
        if stored.status != "draft" or stored.content is None:
            raise ActionRefused("wrong_status", "only a saved draft can be finalized")
        document = stored.content
        today = self.clock().date()
        issue_date = document.issue_date or today
        numbered = document.model_copy(update={"number": "F-0", "issue_date": issue_date})
        findings = validate(numbered, PROFILE, french=is_french(document))
        if not findings.ok and document.kind is not DocumentKind.QUOTE:
            raise ActionRefused(
                "document_invalid",
                f"{len(findings.errors)} error(s) must be fixed first",
                [FieldError(", ".join(f.fields), f.message_en) for f in findings.errors],
            )
        series = (stored.company_id, stored.kind.value, issue_date.year)
        self.counters[series] = self.counters.get(series, 0) + 1
        number = f"{PREFIXES[stored.kind]}-{issue_date.year}-{self.counters[series]:04d}"
        final = Document.model_validate(
            {**document.model_dump(), "number": number, "issue_date": issue_date}
        )
        stored.content = final
        stored.number = number
        stored.status = "finalized"
        stored.draft_content = _content(final)
        return stored.draft()

    async def mark_paid(self, session: EditorSession, document_id: int, paid_on: dt.date) -> Draft:
        stored = self._document(session, document_id)
        if stored.kind is DocumentKind.QUOTE or stored.status not in ("finalized", "sent"):
            raise ActionRefused("wrong_status", "only an issued invoice can be paid")
        stored.status = "paid"
        stored.paid_on = paid_on
        return stored.draft()

    def _derived(self, source: StoredDocument, document: Document) -> Draft:
        stored = StoredDocument(
            id=next(self._ids),
            company_id=source.company_id,
            kind=document.kind,
            status="draft",
            draft_content=_content(document),
            seq=0,
            contact_id=source.contact_id,
            saved=False,
            content=document,
            source_id=source.id,
        )
        self.documents[stored.id] = stored
        return stored.draft()

    def _source_document(self, stored: StoredDocument) -> Document:
        if stored.content is not None:
            return stored.content
        return parse_draft(stored.draft_content)[0]

    async def convert_quote(self, session: EditorSession, document_id: int) -> Draft:
        source = self._document(session, document_id)
        if source.kind is not DocumentKind.QUOTE:
            raise ActionRefused("wrong_status", "only a quote can be converted")
        company = self._company(session)
        document = self._source_document(source).model_copy(
            update={
                "kind": DocumentKind.INVOICE,
                "number": None,
                "issue_date": None,
                "due_date": None,
                "notes": list(company.legal_notes),
            }
        )
        return self._derived(source, Document.model_validate(document.model_dump()))

    async def record_payment(
        self, session: EditorSession, document_id: int, payment: NewPayment
    ) -> Draft:
        stored = self._document(session, document_id)
        if stored.kind is DocumentKind.QUOTE or stored.status not in (
            "finalized",
            "sent",
            "partially_paid",
        ):
            raise ActionRefused("wrong_status", "only an issued invoice can be paid")
        left = (await self.balance(session, document_id)).balance
        amount = left if payment.amount is None else payment.amount
        if amount <= 0 or amount > left:
            raise ActionRefused(
                "validation_failed", f"at most {left}", [FieldError("amount", f"<= {left}")]
            )
        stored.paid += amount
        stored.status = "paid" if amount == left else "partially_paid"
        stored.paid_on = payment.paid_on
        return stored.draft()

    async def balance(self, session: EditorSession, document_id: int) -> InvoiceBalance:
        stored = self._document(session, document_id)
        document = self._source_document(stored)
        due = compute_totals(document).amount_due
        return InvoiceBalance(
            amount_due=due,
            paid=stored.paid,
            credited=Decimal(0),
            balance=max(due - stored.paid, Decimal(0)),
            remaining=tuple(line.quantity or Decimal(0) for line in document.lines),
        )

    async def duplicate(self, session: EditorSession, document_id: int) -> Draft:
        source = self._document(session, document_id)
        document = self._source_document(source).model_copy(
            update={"number": None, "issue_date": None, "due_date": None}
        )
        return self._derived(source, Document.model_validate(document.model_dump()))

    async def delete_document(self, session: EditorSession, document_id: int) -> None:
        stored = self._document(session, document_id)
        if stored.status != "draft" and stored.kind is not DocumentKind.QUOTE:
            raise ActionRefused("document_finalized", "an issued document is never deleted")
        del self.documents[stored.id]

    async def create_credit_note(
        self,
        session: EditorSession,
        document_id: int,
        lines: Sequence[tuple[int, Decimal]] | None = None,
    ) -> Draft:
        source = self._document(session, document_id)
        if source.kind not in (
            DocumentKind.INVOICE,
            DocumentKind.DEPOSIT_INVOICE,
        ) or source.status not in (
            "finalized",
            "sent",
            "paid",
        ):
            raise ActionRefused("wrong_status", "a credit note corrects an issued invoice")
        original = self._source_document(source)
        if lines is not None:
            chosen = [
                original.lines[index].model_copy(update={"quantity": quantity})
                for index, quantity in lines
                if 0 <= index < len(original.lines)
            ]
            original = original.model_copy(update={"lines": chosen})
        document = original.model_copy(
            update={
                "kind": DocumentKind.CREDIT_NOTE,
                "type_code": None,
                "number": None,
                "issue_date": None,
                "due_date": None,
                "payment_reference": None,
                "preceding_invoices": [
                    PrecedingInvoice(number=source.number or "", issue_date=original.issue_date)
                ],
            }
        )
        return self._derived(source, Document.model_validate(document.model_dump()))

    async def pdf_url(self, session: EditorSession, document_id: int) -> str:
        stored = self._document(session, document_id)
        if stored.content is None:
            raise ActionRefused("not_saved", "save the document first")
        signed = self._pdf_links.dumps(
            {"id": stored.id, "company_id": stored.company_id, "locale": session.options.locale}
        )
        return f"{self.public_url}/demo/pdf/{signed}"

    def _company_contacts(self, session: EditorSession) -> list[Contact]:
        return [c for company_id, c in self.contacts.values() if company_id == session.company_id]

    async def search_contacts(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Contact]:
        needle = query.casefold()
        found = [
            contact
            for contact in self._company_contacts(session)
            if needle
            in " ".join(
                filter(None, (contact.name, contact.siren, contact.address.city, contact.email))
            ).casefold()
        ]
        return sorted(found, key=lambda c: c.name.casefold())[:limit]

    async def contact(self, session: EditorSession, contact_id: int) -> Contact:
        entry = self.contacts.get(contact_id)
        if entry is None or entry[0] != session.company_id:
            raise NotFound()
        return entry[1]

    async def create_contact(self, session: EditorSession, contact: NewContact) -> Contact:
        errors = []
        for key, length in (("siren", 9), ("siret", 14)):
            value = getattr(contact, key)
            if value is not None and not (_DIGITS.fullmatch(value) and len(value) == length):
                errors.append(FieldError(key, f"{length} digits"))
        if errors:
            raise ActionRefused("validation_failed", "the contact is not valid", errors)
        return self.add_contact(self._company(session), contact)

    async def search_products(
        self, session: EditorSession, query: str, limit: int
    ) -> Sequence[Product]:
        needle = query.casefold()
        found = [
            product
            for company_id, product in self.products.values()
            if company_id == session.company_id and needle in product.name.casefold()
        ]
        return sorted(found, key=lambda p: p.name.casefold())[:limit]

    async def product(self, session: EditorSession, product_id: int) -> Product:
        entry = self.products.get(product_id)
        if entry is None or entry[0] != session.company_id:
            raise NotFound()
        return entry[1]

    # --- the PDF link -------------------------------------------------------------------

    @property
    def routes(self) -> list[BaseRoute]:
        return [Route("/demo/pdf/{signed}", self._pdf, methods=["GET"])]

    async def _pdf(self, request: Request) -> Response:
        try:
            link: Mapping[str, Any] = self._pdf_links.loads(
                request.path_params["signed"], max_age=PDF_URL_SECONDS
            )
        except BadData:
            return PlainTextResponse("This link has expired.", status_code=410)
        stored = self.documents.get(int(link["id"]))
        if stored is None or stored.company_id != link["company_id"] or stored.content is None:
            return PlainTextResponse("Not found", status_code=404)
        pdf = await asyncio.to_thread(
            render_pdf, stored.content, PROFILE, locale=str(link["locale"])
        )
        name = (stored.number or f"draft-{stored.id}") + ".pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
            },
        )
