"""The document model: invoices, credit notes, deposit invoices and quotes.

One model for the editor, the REST API, the CII writer and reader and the PDF.
Field descriptions name the EN 16931 business term (BT-n / BG-n) they carry.
Most fields are optional so that a half-typed draft is still a document: the
validation rules say what is missing, the model only refuses what can never be
right (a control character, a number that is not a number).

Amounts the norm computes (line net amounts, totals, the VAT breakdown) are
not stored here: `invoicing.totals.compute_totals` derives them.

The models stand in one module per concern (`base`, `codes`, `parties`, `lines`,
`payment`, `imported`, `document`); they are all imported from here.
"""

from invoicing.model.base import (
    Amount,
    Base64Text,
    BaseQuantity,
    Percent,
    Quantity,
    StatedAmount,
    UnitPrice,
)
from invoicing.model.codes import (
    CREDIT_NOTE_TYPE_CODES,
    DEFAULT_TYPE_CODES,
    DEPOSIT_TYPE_CODES,
    DocumentKind,
    NoteSubject,
    PaymentMeansCode,
    VatCategory,
)
from invoicing.model.document import (
    Document,
    Note,
    OtherReference,
    PrecedingInvoice,
    SupportingDocument,
)
from invoicing.model.imported import Imported, Leftover, StatedAmounts, StatedVatAmounts
from invoicing.model.lines import AllowanceCharge, Classification, ItemAttribute, Line, Period
from invoicing.model.parties import (
    Address,
    ContactPoint,
    Delivery,
    ElectronicAddress,
    Identifier,
    Party,
    Payee,
    TaxRepresentative,
)
from invoicing.model.payment import MAX_TERM_DAYS, PaymentMeans, PaymentTerm, PaymentTermKind

__all__ = [
    "CREDIT_NOTE_TYPE_CODES",
    "DEFAULT_TYPE_CODES",
    "DEPOSIT_TYPE_CODES",
    "MAX_TERM_DAYS",
    "Address",
    "AllowanceCharge",
    "Amount",
    "Base64Text",
    "BaseQuantity",
    "Classification",
    "ContactPoint",
    "Delivery",
    "Document",
    "DocumentKind",
    "ElectronicAddress",
    "Identifier",
    "Imported",
    "ItemAttribute",
    "Leftover",
    "Line",
    "Note",
    "NoteSubject",
    "OtherReference",
    "Party",
    "Payee",
    "PaymentMeans",
    "PaymentMeansCode",
    "PaymentTerm",
    "PaymentTermKind",
    "Percent",
    "Period",
    "PrecedingInvoice",
    "Quantity",
    "StatedAmount",
    "StatedAmounts",
    "StatedVatAmounts",
    "SupportingDocument",
    "TaxRepresentative",
    "UnitPrice",
    "VatCategory",
]
