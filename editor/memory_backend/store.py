"""The memory backend's records: companies, documents, contacts and products in dicts,
each scoped to its company."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from editor.backend import (
    Branding,
    Contact,
    DocumentStatus,
    Draft,
    EditorSession,
    NotFound,
    Product,
)
from invoicing.model import Document, DocumentKind, Note, Party, PaymentMeans, PaymentTerm
from themes.logo import ValidLogo


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Company:
    id: int
    seller: Party
    module_name: str = "Factures"
    legal_notes: tuple[Note, ...] = ()
    quote_validity_days: int = 30  # a quote issued without validity date (BT-9)
    payment_terms: str | None = None
    payment_term: PaymentTerm | None = None
    payment_means: PaymentMeans | None = None
    theme_css_url: str | None = None
    logo_data_uri: str | None = None  # the partner's, around the editor
    seller_logo: ValidLogo | None = None  # the company's own, on its documents
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
    logo: ValidLogo | None = None  # the seller's logo of its issue
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


def content_of(document: Document) -> dict[str, Any]:
    # Every field, nulls included: a null rate must not read back as the default 20 %.
    data: dict[str, Any] = document.model_dump(mode="json")
    return data


class MemoryStore:
    def __init__(
        self,
        signing_keys: Sequence[str],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        public_url: str = "",
    ) -> None:
        self.signing_keys = list(signing_keys)  # of the session tokens and the PDF links
        self.clock = clock
        self.public_url = public_url.rstrip("/")
        self.companies: dict[int, Company] = {}
        self.documents: dict[int, StoredDocument] = {}
        self.contacts: dict[int, tuple[int, Contact]] = {}
        self.products: dict[int, tuple[int, Product]] = {}
        self.session_documents: dict[str, int] = {}
        self.counters: dict[tuple[int, str, int], int] = {}
        self.settled_by: dict[int, int] = {}  # deposit invoice id -> the invoice deducting it
        self._ids = itertools.count(1)
        self.saves = 0  # draft writes, for tests

    def _deposits_to_deduct(self, session: Any, stored: StoredDocument) -> bool:
        """Whether the draft invoice `stored` has deposits to deduct (MemoryDeposits)."""
        return False

    def add_company(self, seller: Party, **details: Any) -> Company:
        company = Company(id=next(self._ids), seller=seller, **details)
        self.companies[company.id] = company
        return company

    def add_user(self, company: Company) -> int:
        user_id = next(self._ids)
        company.users.add(user_id)
        return user_id

    def add_document(
        self, company: Company, document: Document, *, status: DocumentStatus = "draft"
    ) -> int:
        stored = StoredDocument(
            id=next(self._ids),
            company_id=company.id,
            kind=document.kind,
            status=status,
            draft_content=content_of(document),
            seq=0,
            saved=True,
            content=document,
            number=document.number,
        )
        self.documents[stored.id] = stored
        return stored.id

    def printed_logo(self, stored: StoredDocument) -> ValidLogo | None:
        """The seller's logo the document prints: an issued one's of its issue."""
        if stored.status == "draft":
            return self.companies[stored.company_id].seller_logo
        return stored.logo

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
