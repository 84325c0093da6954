"""The document itself: an invoice, credit note, deposit invoice or quote, with its
notes and the documents it refers to."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field

from invoicing.model.base import Amount, Base64Text, Model
from invoicing.model.codes import CREDIT_NOTE_TYPE_CODES, DEFAULT_TYPE_CODES, DocumentKind
from invoicing.model.imported import Imported
from invoicing.model.lines import AllowanceCharge, Line, Period
from invoicing.model.parties import Delivery, Identifier, Party, Payee, TaxRepresentative
from invoicing.model.payment import PaymentMeans, PaymentTerm
from invoicing.text import Code, CurrencyCode, LongText, Text

_FRENCH_BILLING_MODE = re.compile(r"[BSM][0-9]")


class Note(Model):
    """BG-1."""

    text: LongText = Field(description="BT-22")
    subject: Code | None = Field(None, description="BT-21: PMT, PMD, AAB...")


class PrecedingInvoice(Model):
    """BG-3: the invoice a credit note corrects (or a deposit being settled)."""

    number: Text = Field(description="BT-25")
    issue_date: dt.date | None = Field(None, description="BT-26")


class SupportingDocument(Model):
    """BG-24."""

    id: Text = Field(description="BT-122")
    description: Text | None = Field(None, description="BT-123")
    uri: Text | None = Field(None, description="BT-124")
    content_base64: Base64Text | None = Field(None, description="BT-125 (base64)")
    mime_code: Text | None = Field(None, description="BT-125-1")
    filename: Text | None = Field(None, description="BT-125-2")


class OtherReference(Model):
    """A referenced document that is none of BG-24 (type 916), BT-17 (50) or
    BT-18 (130), e.g. one with no type code: kept so that an import loses nothing."""

    id: Text = Field(description="IssuerAssignedID")
    type_code: Code | None = Field(None, description="UNTDID 1001")
    reference_type_code: Code | None = Field(None, description="UNTDID 1153")


class Document(Model):
    """An invoice, credit note, deposit invoice or quote."""

    kind: DocumentKind = DocumentKind.INVOICE
    type_code: Code | None = Field(
        None, description="BT-3 when it is not the kind's default (e.g. 384, 389)"
    )
    number: Text | None = Field(None, description="BT-1: given at finalization")
    issue_date: dt.date | None = Field(None, description="BT-2")
    currency: CurrencyCode = Field("EUR", description="BT-5")
    vat_accounting_currency: CurrencyCode | None = Field(None, description="BT-6")
    vat_total_accounting_currency: Amount | None = Field(
        None, description="BT-111: VAT total in the accounting currency (given, not computed)"
    )
    tax_point_date: dt.date | None = Field(None, description="BT-7")
    vat_point_date_code: Code | None = Field(
        None,
        description="BT-8 (UNTDID 2475 in CII): 5 = invoice date, i.e. VAT on debits; "
        "29 = delivery date; 72 = payment date",
    )
    due_date: dt.date | None = Field(
        None, description="BT-9; on a quote, the date until which it is valid"
    )
    buyer_reference: Text | None = Field(None, description="BT-10 (Chorus Pro service code)")
    project_reference: Text | None = Field(None, description="BT-11")
    project_name: Text | None = Field(None, description="BT-11 name (CII needs one)")
    contract_reference: Text | None = Field(None, description="BT-12")
    order_reference: Text | None = Field(None, description="BT-13 (Chorus Pro engagement)")
    sales_order_reference: Text | None = Field(None, description="BT-14")
    receiving_advice_reference: Text | None = Field(None, description="BT-15")
    despatch_advice_reference: Text | None = Field(None, description="BT-16")
    tender_reference: Text | None = Field(None, description="BT-17")
    invoiced_object: Identifier | None = Field(None, description="BT-18")
    buyer_accounting_reference: Text | None = Field(None, description="BT-19")
    payment_terms: LongText | None = Field(
        None, description="BT-20 as text; when empty, the words of `payment_term`"
    )
    payment_term: PaymentTerm | None = Field(
        None,
        description="The payment terms as data: they give the due date (BT-9, unless "
        "`due_date` is typed) and, unless `payment_terms` is typed, the BT-20 text",
    )
    notes: list[Note] = Field(default_factory=list, description="BG-1")
    business_process: Text | None = Field(
        None,
        description="BT-23, free text in EN 16931. Under the French reform (and only "
        "there, see rule BR-FR-08_BT-23): the billing mode, B/S/M (goods, services, "
        "mixed) + a digit (1 = standard, 2 = already paid, 4 = final after deposit...), "
        "e.g. S1",
    )
    subject: Text | None = Field(None, description="Object line shown on the document")
    preceding_invoices: list[PrecedingInvoice] = Field(default_factory=list, description="BG-3")
    seller: Party = Field(default_factory=Party, description="BG-4")
    buyer: Party = Field(default_factory=Party, description="BG-7")
    payee: Payee | None = Field(None, description="BG-10")
    tax_representative: TaxRepresentative | None = Field(None, description="BG-11")
    delivery: Delivery | None = Field(None, description="BG-13")
    invoicing_period: Period | None = Field(None, description="BG-14")
    payment_means: list[PaymentMeans] = Field(default_factory=list, description="BG-16")
    payment_reference: Text | None = Field(None, description="BT-83: remittance information")
    creditor_reference: Text | None = Field(None, description="BT-90: SEPA creditor id")
    allowances_charges: list[AllowanceCharge] = Field(
        default_factory=list, description="BG-20 / BG-21"
    )
    prepaid_amount: Amount | None = Field(None, description="BT-113")
    rounding_amount: Amount | None = Field(None, description="BT-114")
    supporting_documents: list[SupportingDocument] = Field(
        default_factory=list, description="BG-24"
    )
    other_references: list[OtherReference] = Field(
        default_factory=list, description="Other referenced documents (as read from CII)"
    )
    lines: list[Line] = Field(default_factory=list, description="BG-25")
    recipient_email: Text | None = Field(None, description="Where the editor sends it")
    imported: Imported | None = Field(
        None,
        description="Set when the document was read from a CII file (Factur-X XML or PDF): "
        "the amounts the file states and what the reader could not map. While the fields "
        "the totals are computed from are unchanged, every output states the file's "
        "amounts (a faithful copy); after an edit of one of them, EN 16931 computes them.",
    )

    @property
    def effective_type_code(self) -> str:
        """BT-3: the explicit code, else the kind's default (quotes have none)."""
        if self.type_code:
            return self.type_code
        return DEFAULT_TYPE_CODES.get(self.kind, "380")

    @property
    def is_credit_note(self) -> bool:
        return self.effective_type_code in CREDIT_NOTE_TYPE_CODES

    @property
    def operation_category(self) -> Literal["goods", "services", "mixed"] | None:
        """Goods / services / mixed, read from the BT-23 billing mode."""
        mode = self.business_process or ""
        if _FRENCH_BILLING_MODE.fullmatch(mode) is None:
            return None  # BT-23 is free text outside the French reform
        return {"B": "goods", "S": "services", "M": "mixed"}.get(mode[0])  # type: ignore[return-value]

    @property
    def already_paid(self) -> bool:
        """Billing mode B2/S2/M2: the invoice was paid in full before it was issued, its
        prepaid amount (BT-113) is a payment; otherwise it is the deposits deducted."""
        mode = self.business_process or ""
        return _FRENCH_BILLING_MODE.fullmatch(mode) is not None and mode[1:] == "2"

    @property
    def vat_on_debits(self) -> bool:
        """The seller pays VAT on invoicing (option pour les débits): BT-8 = 5."""
        return self.vat_point_date_code == "5"
