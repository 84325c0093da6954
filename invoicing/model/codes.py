"""The kinds of documents and the code lists of the model (document types, VAT
categories, note subjects, payment means)."""

from __future__ import annotations

from enum import StrEnum


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


class NoteSubject(StrEnum):
    """UNCL 4451 subject codes the French reform relies on (BT-21)."""

    PAYMENT_TERMS = "AAB"  # escompte / conditions
    PENALTIES = "PMD"  # pénalités de retard
    RECOVERY_FEE = "PMT"  # indemnité forfaitaire pour frais de recouvrement
    GENERAL = "AAI"
    SUPPLIER_REMARKS = "SUR"
    REGULATORY = "REG"
    TAX = "TXD"


class PaymentMeansCode(StrEnum):
    """UNCL 4461 codes the editor offers (BT-81); any other code is accepted too."""

    SEPA_TRANSFER = "58"
    CREDIT_TRANSFER = "30"
    CARD = "48"
    SEPA_DIRECT_DEBIT = "59"
    DIRECT_DEBIT = "49"
    CASH = "10"
    CHEQUE = "20"
