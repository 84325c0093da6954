"""The editor's buttons: one list, which `hidden_buttons` (API, studio) is checked
against. The legally required ones are never hidden: saving, issuing an invoice (a
numbered, immutable document) and correcting one by a credit note are how the law says
invoices are made and corrected."""

from __future__ import annotations

BUTTONS: tuple[str, ...] = (  # in the toolbar's order
    "save",
    "finalize",
    "send_email",  # shown only when the deployment has an SMTP relay
    "download_pdf",
    "download_xml",  # the CII of an issued invoice or credit note
    "record_payment",
    "credit_note",
    "convert",
    "deposit",  # ask a deposit on an issued quote
    "deposit_total",  # a draft deposit invoice asks an amount incl. VAT
    "deduct_deposits",  # a draft invoice deducts issued deposit invoices
    "duplicate",
    "delete",
    "preview",  # the preview panel
)
REQUIRED_BUTTONS = frozenset({"save", "finalize", "credit_note"})
HIDEABLE_BUTTONS = frozenset(BUTTONS) - REQUIRED_BUTTONS
RENAMED_BUTTONS = {"mark_paid": "record_payment", "send": "send_email"}  # earlier names
