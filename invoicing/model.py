"""The document model: invoices, credit notes, deposit invoices and quotes.

One model for the editor, the REST API, the CII writer and reader and the PDF.
Field descriptions name the EN 16931 business term (BT-n / BG-n) they carry.
Most fields are optional so that a half-typed draft is still a document: the
validation rules say what is missing, the model only refuses what can never be
right (a control character, a number that is not a number).

Amounts the norm computes (line net amounts, totals, the VAT breakdown) are
not stored here: `invoicing.totals.compute_totals` derives them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from invoicing.text import Code, CountryCode, CurrencyCode, LongText, Text

# EN 16931 limits neither the decimals of a quantity nor those of a price (the
# French rules do: 4 and 6, see invoicing/rules/french/amounts.py); only their size.
Quantity = Annotated[Decimal, Field(max_digits=19, allow_inf_nan=False)]
Amount = Annotated[Decimal, Field(max_digits=19, decimal_places=2, allow_inf_nan=False)]
UnitPrice = Annotated[Decimal, Field(max_digits=23, allow_inf_nan=False)]
# BT-149 can be a fraction of a unit (e.g. a price per 0.00101 kWh in the CEN examples).
BaseQuantity = Annotated[Decimal, Field(max_digits=23, allow_inf_nan=False)]
Base64Text = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9+/=\r\n ]*$", max_length=15_000_000)
]
Percent = Annotated[Decimal, Field(max_digits=7, decimal_places=4, allow_inf_nan=False)]
# An amount as an imported file states it: EN 16931 rounds to the cent, other files may not.
StatedAmount = Annotated[Decimal, Field(max_digits=40, allow_inf_nan=False)]
_FRENCH_BILLING_MODE = re.compile(r"[BSM][0-9]")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEPOSIT_INVOICE = "deposit_invoice"
    QUOTE = "quote"


DEFAULT_TYPE_CODES: dict[DocumentKind, str] = {
    DocumentKind.INVOICE: "380",
    DocumentKind.CREDIT_NOTE: "381",
    DocumentKind.DEPOSIT_INVOICE: "386",
}

CREDIT_NOTE_TYPE_CODES = frozenset({"381", "261", "262", "296", "308", "396", "502", "503"})
DEPOSIT_TYPE_CODES = frozenset({"386", "500"})


class VatCategory(StrEnum):
    """UNCL 5305 subset used by EN 16931 (BT-95, BT-102, BT-118, BT-151)."""

    STANDARD = "S"
    ZERO = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_COMMUNITY = "K"
    EXPORT = "G"
    NOT_SUBJECT = "O"
    CANARY_ISLANDS = "L"
    CEUTA_MELILLA = "M"


class Identifier(_Model):
    """An identifier with its optional scheme (ISO 6523 ICD, e.g. 0009 SIRET)."""

    value: Text
    scheme: Code | None = None


class Address(_Model):
    """A postal address (BG-5, BG-8, BG-12, BG-15)."""

    line1: Text | None = None
    line2: Text | None = None
    line3: Text | None = None
    city: Text | None = None
    postcode: Text | None = None
    country_subdivision: Text | None = None
    country: CountryCode | None = Field(None, description="ISO 3166-1 alpha-2 (BT-40, BT-55...)")


class ElectronicAddress(_Model):
    """BT-34 / BT-49: where the invoice is delivered. Scheme 0225 is the French
    reform's SIREN-based address; EM is an email address."""

    value: Text
    scheme: Code = "0225"


class ContactPoint(_Model):
    """BG-6 / BG-9."""

    name: Text | None = None
    phone: Text | None = None
    email: Text | None = None


class Party(_Model):
    """Seller (BG-4) or buyer (BG-7)."""

    name: Text | None = Field(None, description="BT-27 / BT-44")
    trading_name: Text | None = Field(None, description="BT-28 / BT-45")
    identifiers: list[Identifier] = Field(
        default_factory=list,
        description="BT-29 / BT-46: other identifiers (SIRET goes in `siret`)",
    )
    siret: Text | None = Field(None, description="SIRET, written as BT-29/BT-46 scheme 0009")
    siren: Text | None = Field(None, description="SIREN, written as BT-30/BT-47 scheme 0002")
    legal_registration: Identifier | None = Field(
        None, description="BT-30 / BT-47 when not a SIREN (another legal registry)"
    )
    vat_id: Text | None = Field(None, description="BT-31 / BT-48")
    tax_registration: Text | None = Field(None, description="BT-32: local tax registration")
    legal_info: LongText | None = Field(
        None, description="BT-33: e.g. 'SAS au capital de 10 000 €, RCS Paris'"
    )
    electronic_address: ElectronicAddress | None = Field(None, description="BT-34 / BT-49")
    address: Address = Field(default_factory=Address, description="BG-5 / BG-8")
    contact: ContactPoint | None = Field(None, description="BG-6 / BG-9")
    public_sector: bool = Field(
        False, description="Buyer is a French public entity (Chorus Pro pre-checks)"
    )
    private_person: bool = Field(
        False,
        description="Buyer is a private person (B2C): outside e-invoicing (e-reporting), "
        "no SIREN needed. See invoicing.scope",
    )


class Payee(_Model):
    """BG-10: who is paid, when not the seller."""

    name: Text
    identifier: Identifier | None = Field(None, description="BT-60")
    legal_registration: Identifier | None = Field(None, description="BT-61")


class TaxRepresentative(_Model):
    """BG-11."""

    name: Text
    vat_id: Text | None = Field(None, description="BT-63")
    address: Address = Field(default_factory=Address, description="BG-12")


class Delivery(_Model):
    """BG-13: where and when goods or services were delivered."""

    name: Text | None = Field(None, description="BT-70")
    location_id: Identifier | None = Field(None, description="BT-71")
    date: dt.date | None = Field(None, description="BT-72: actual delivery date")
    address: Address | None = Field(None, description="BG-15")


class Period(_Model):
    """BG-14 / BG-26."""

    start: dt.date | None = None
    end: dt.date | None = None


class NoteSubject(StrEnum):
    """UNCL 4451 subject codes the French reform relies on (BT-21)."""

    PAYMENT_TERMS = "AAB"  # escompte / conditions
    PENALTIES = "PMD"  # pénalités de retard
    RECOVERY_FEE = "PMT"  # indemnité forfaitaire pour frais de recouvrement
    GENERAL = "AAI"
    SUPPLIER_REMARKS = "SUR"
    REGULATORY = "REG"
    TAX = "TXD"


class Note(_Model):
    """BG-1."""

    text: LongText = Field(description="BT-22")
    subject: Code | None = Field(None, description="BT-21: PMT, PMD, AAB...")


class PaymentMeansCode(StrEnum):
    """UNCL 4461 codes the editor offers (BT-81); any other code is accepted too."""

    SEPA_TRANSFER = "58"
    CREDIT_TRANSFER = "30"
    CARD = "48"
    SEPA_DIRECT_DEBIT = "59"
    DIRECT_DEBIT = "49"
    CASH = "10"
    CHEQUE = "20"


class PaymentMeans(_Model):
    """BG-16 with BG-17 (transfer), BG-18 (card), BG-19 (direct debit)."""

    code: Code = Field("58", description="BT-81 (UNCL 4461)")
    text: Text | None = Field(None, description="BT-82")
    iban: Text | None = Field(None, description="BT-84: payment account (IBAN)")
    account_name: Text | None = Field(None, description="BT-85")
    bic: Text | None = Field(None, description="BT-86")
    card_pan: Text | None = Field(None, description="BT-87: last digits of the card")
    card_holder: Text | None = Field(None, description="BT-88")
    mandate_reference: Text | None = Field(None, description="BT-89")
    debited_iban: Text | None = Field(None, description="BT-91")


class AllowanceCharge(_Model):
    """A document-level (BG-20 / BG-21) or line-level (BG-27 / BG-28)
    allowance (`is_charge` false: a discount) or charge.

    Give either `amount` or `percent`. With a percent and no base, the base is
    the line's gross amount (line level) or the net amount of the lines with
    the same VAT category and rate (document level).
    """

    is_charge: bool = False
    amount: Amount | None = Field(None, description="BT-92 / BT-99 / BT-136 / BT-141")
    base_amount: Amount | None = Field(None, description="BT-93 / BT-100 / BT-137 / BT-142")
    percent: Percent | None = Field(None, description="BT-94 / BT-101 / BT-138 / BT-143")
    reason: Text | None = Field(None, description="BT-97 / BT-104 / BT-139 / BT-144")
    reason_code: Code | None = Field(None, description="BT-98 / BT-105 / BT-140 / BT-145")
    vat_category: VatCategory | None = Field(
        None, description="BT-95 / BT-102 (document level only)"
    )
    vat_rate: Percent | None = Field(None, description="BT-96 / BT-103 (document level only)")


class ItemAttribute(_Model):
    """BG-32."""

    name: Text
    value: Text


class Classification(_Model):
    """BT-158."""

    code: Text
    list_id: Code
    list_version: Text | None = None


class Line(_Model):
    """BG-25: one invoice line."""

    id: Text | None = Field(None, description="BT-126: defaults to the line's position")
    note: LongText | None = Field(None, description="BT-127")
    object_identifier: Identifier | None = Field(None, description="BT-128")
    quantity: Quantity | None = Field(None, description="BT-129: negative for returns")
    unit: Code = Field("C62", description="BT-130: UN/ECE Rec 20 (C62 piece, HUR, DAY, KGM)")
    order_line_reference: Text | None = Field(None, description="BT-132")
    accounting_reference: Text | None = Field(None, description="BT-133")
    period: Period | None = Field(None, description="BG-26")
    allowances_charges: list[AllowanceCharge] = Field(
        default_factory=list, description="BG-27 / BG-28"
    )
    net_price: UnitPrice | None = Field(None, description="BT-146: net unit price, excl. VAT")
    gross_price: UnitPrice | None = Field(None, description="BT-148")
    price_discount: UnitPrice | None = Field(None, description="BT-147")
    base_quantity: BaseQuantity | None = Field(None, description="BT-149")
    base_quantity_unit: Code | None = Field(None, description="BT-150")
    gross_base_quantity: BaseQuantity | None = Field(
        None, description="BT-149-1 (Factur-X): base quantity of the gross price, if not BT-149"
    )
    gross_base_quantity_unit: Code | None = Field(
        None, description="BT-150-1 (Factur-X): its unit, if not the one of BT-149"
    )
    vat_category: VatCategory = Field(VatCategory.STANDARD, description="BT-151")
    vat_rate: Percent | None = Field(Decimal("20"), description="BT-152")
    vat_exemption_reason: Text | None = Field(
        None, description="BT-120, carried to the VAT breakdown of this category"
    )
    vat_exemption_reason_code: Code | None = Field(
        None, description="BT-121 (VATEX), carried to the VAT breakdown of this category"
    )
    name: Text | None = Field(None, description="BT-153")
    description: LongText | None = Field(None, description="BT-154")
    seller_item_id: Text | None = Field(None, description="BT-155")
    buyer_item_id: Text | None = Field(None, description="BT-156")
    standard_item_id: Identifier | None = Field(None, description="BT-157")
    classifications: list[Classification] = Field(default_factory=list, description="BT-158")
    origin_country: CountryCode | None = Field(None, description="BT-159")
    attributes: list[ItemAttribute] = Field(default_factory=list, description="BG-32")


MAX_TERM_DAYS = 366


class PaymentTermKind(StrEnum):
    DAYS = "days"
    DAYS_END_OF_MONTH = "days_end_of_month"
    ON_RECEIPT = "on_receipt"
    FIXED_DATE = "fixed_date"


class PaymentTerm(_Model):
    """When an invoice is to be paid. `days` for the two day-count kinds, `date`
    for a fixed date; nothing else for "on receipt"."""

    kind: PaymentTermKind
    days: int | None = Field(None, ge=0, le=MAX_TERM_DAYS)
    date: dt.date | None = None

    @model_validator(mode="after")
    def _complete(self) -> PaymentTerm:
        counts_days = self.kind in (PaymentTermKind.DAYS, PaymentTermKind.DAYS_END_OF_MONTH)
        if counts_days and self.days is None:
            raise ValueError("`days` is required for this kind of payment term")
        if self.kind is PaymentTermKind.FIXED_DATE and self.date is None:
            raise ValueError("`date` is required for a fixed date")
        if not counts_days and self.days is not None:
            raise ValueError("`days` applies only to days and days_end_of_month")
        if self.kind is not PaymentTermKind.FIXED_DATE and self.date is not None:
            raise ValueError("`date` applies only to fixed_date")
        return self


class PrecedingInvoice(_Model):
    """BG-3: the invoice a credit note corrects (or a deposit being settled)."""

    number: Text = Field(description="BT-25")
    issue_date: dt.date | None = Field(None, description="BT-26")


class SupportingDocument(_Model):
    """BG-24."""

    id: Text = Field(description="BT-122")
    description: Text | None = Field(None, description="BT-123")
    uri: Text | None = Field(None, description="BT-124")
    content_base64: Base64Text | None = Field(None, description="BT-125 (base64)")
    mime_code: Text | None = Field(None, description="BT-125-1")
    filename: Text | None = Field(None, description="BT-125-2")


class OtherReference(_Model):
    """A referenced document that is none of BG-24 (type 916), BT-17 (50) or
    BT-18 (130), e.g. one with no type code: kept so that an import loses nothing."""

    id: Text = Field(description="IssuerAssignedID")
    type_code: Code | None = Field(None, description="UNTDID 1001")
    reference_type_code: Code | None = Field(None, description="UNTDID 1153")


class StatedVatAmounts(_Model):
    """One VAT breakdown (BG-23) as an imported file states it."""

    category: VatCategory = Field(description="BT-118")
    rate: StatedAmount | None = Field(None, description="BT-119")
    taxable_amount: StatedAmount | None = Field(None, description="BT-116")
    tax_amount: StatedAmount | None = Field(None, description="BT-117")
    exemption_reason: LongText | None = Field(None, description="BT-120")
    exemption_reason_code: Text | None = Field(None, description="BT-121")


class StatedAmounts(_Model):
    """The amounts an imported file states (None where it states nothing)."""

    line_net_amounts: list[StatedAmount | None] = Field(
        default_factory=list, description="BT-131, one per line, in line order"
    )
    line_total: StatedAmount | None = Field(None, description="BT-106")
    allowance_total: StatedAmount | None = Field(None, description="BT-107")
    charge_total: StatedAmount | None = Field(None, description="BT-108")
    tax_exclusive_total: StatedAmount | None = Field(None, description="BT-109")
    vat_total: StatedAmount | None = Field(None, description="BT-110")
    vat_total_accounting_currency: StatedAmount | None = Field(None, description="BT-111")
    tax_inclusive_total: StatedAmount | None = Field(None, description="BT-112")
    prepaid_amount: StatedAmount | None = Field(None, description="BT-113")
    rounding_amount: StatedAmount | None = Field(None, description="BT-114")
    amount_due: StatedAmount | None = Field(None, description="BT-115")
    vat_breakdown: list[StatedVatAmounts] = Field(default_factory=list, description="BG-23")


class Leftover(_Model):
    """A value of the imported file that the model has no field for."""

    path: LongText = Field(
        description="Below CrossIndustryInvoice, local names, [n] where a name repeats; "
        "'/@name' for an attribute"
    )
    value: LongText


class Imported(_Model):
    """How a document was read from a CII file (`invoicing.cii.reader`)."""

    guideline: Text = Field(description="BT-24 as the file states it (its profile)")
    stated: StatedAmounts = Field(default_factory=StatedAmounts)
    basis: Text = Field(
        description="Fingerprint of what the totals are computed from (the fields of "
        "`invoicing.totals.READS`) at import: while it still matches, the stated amounts "
        "are the document's amounts"
    )
    leftovers: list[Leftover] = Field(
        default_factory=list, description="What the reader could not map, kept as read"
    )


class Document(_Model):
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
    def vat_on_debits(self) -> bool:
        """The seller pays VAT on invoicing (option pour les débits): BT-8 = 5."""
        return self.vat_point_date_code == "5"
