"""A person's name for an editor path, from the editor's words
("lines[2].quantity" -> "Ligne 3 · Quantité")."""

from __future__ import annotations

import re

from editor.i18n import words

_FIELD_WORDS: dict[str, str] = {
    "lines": "lines",
    "buyer.name": "name",
    "buyer.siren": "siren",
    "buyer.siret": "siret",
    "buyer.vat_id": "vat_id",
    "buyer.address": "address_line1",
    "buyer.address.line1": "address_line1",
    "buyer.address.line2": "address_line2",
    "buyer.address.postcode": "postcode",
    "buyer.address.city": "city",
    "buyer.address.country": "country",
    "buyer.electronic_address": "electronic_address",
    "buyer.electronic_address.value": "electronic_address",
    "buyer.contact.email": "email",
    "buyer.public_sector": "public_sector",
    "lines.name": "line_name",
    "lines.description": "line_description",
    "lines.quantity": "quantity",
    "lines.unit": "unit",
    "lines.net_price": "unit_price",
    "lines.allowances_charges": "discount",
    "lines.allowances_charges.percent": "discount",
    "lines.vat_rate": "vat_rate",
    "lines.vat_category": "vat_category",
    "lines.vat_exemption_reason": "exemption_reason",
    "lines.vat_exemption_reason_code": "exemption_reason",
    "issue_date": "issue_date",
    "due_date": "due_date",
    "payment_terms": "payment_terms",
    "payment_term": "payment_term_kind",
    "payment_term.days": "payment_term_days",
    "payment_term.date": "payment_term_date",
    "business_process": "operation_category",
    "vat_point_date_code": "vat_on_debits",
    "subject": "subject",
    "buyer_reference": "buyer_reference",
    "order_reference": "order_reference",
    "contract_reference": "contract_reference",
    "project_reference": "project_reference",
    "payment_means": "payment_means",
    "payment_means.code": "payment_means",
    "payment_means.iban": "iban",
    "payment_means.bic": "bic",
    "delivery.date": "delivery_date",
    "delivery.name": "delivery_name",
    "delivery.address": "delivery",
    "delivery.address.line1": "address_line1",
    "delivery.address.postcode": "postcode",
    "delivery.address.city": "city",
    "delivery.address.country": "country",
    "recipient_email": "recipient_email",
    "notes": "notes",
    "notes.text": "note",
    "preceding_invoices": "preceding_invoice",
    "preceding_invoices.number": "preceding_invoice",
    "preceding_invoices.issue_date": "preceding_invoice_date",
}

_SECTION_WORDS = {"buyer": "customer", "seller": "seller", "delivery": "delivery"}
_INDEX = re.compile(r"\[(\d+)\]")


def field_label(path: str, locale: str) -> str:
    """A person's name for an editor path, '' for the document as a whole."""
    if not path:
        return ""
    w = words(locale)
    pattern = _INDEX.sub("", path)
    parts: list[str] = []
    root = pattern.split(".")[0]
    if root in _SECTION_WORDS and pattern != root:
        parts.append(w[_SECTION_WORDS[root]])
    if root == "lines":
        match = _INDEX.search(path)
        if match:
            parts.append(w["line_n"].format(n=int(match.group(1)) + 1))
    key = _FIELD_WORDS.get(pattern)
    while key is None and "." in pattern:
        pattern = pattern.rsplit(".", 1)[0]
        key = _FIELD_WORDS.get(pattern)
    if key is not None:
        parts.append(w[key])
    elif not parts:
        parts.append(path)
    return " · ".join(dict.fromkeys(parts))
