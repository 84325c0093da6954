"""The credit note document of a scope: the invoice's lines at the credited
quantities, bounded by what is left to credit."""

from __future__ import annotations

from typing import Any

from invoicing.credit_lines import credited_line
from invoicing.model import AllowanceCharge, Document, DocumentKind, PrecedingInvoice
from invoicing.money import CENT, ZERO
from invoicing.totals import compute_totals
from server.db.documents import DocumentRow
from server.documents.credit_notes.refusals import exceeds
from server.documents.credit_notes.scope import (
    Credited,
    CreditScope,
    left_to_credit,
    remaining_quantities,
)
from server.documents.refusals import fr_number


def _pinned_allowances(invoice: Document) -> list[AllowanceCharge]:
    """The invoice's document-level allowances and charges with the amounts the
    invoice computed (a percent would otherwise apply to the credited lines only)."""
    totals = compute_totals(invoice)
    return [
        item.model_copy(update={"amount": amount, "base_amount": base})
        for item, amount, base in zip(
            invoice.allowances_charges,
            totals.allowance_charge_amounts,
            totals.allowance_charge_bases,
            strict=True,
        )
    ]


def credit_note_content(
    invoice_row: DocumentRow, invoice: Document, scope: CreditScope
) -> Document:
    """The credit note document of `scope` (without the final rounding adjustment)."""
    assert invoice_row.number is not None
    updates: dict[str, Any] = {
        "kind": DocumentKind.CREDIT_NOTE,
        "type_code": None,
        "number": None,
        "issue_date": None,
        "due_date": None,
        "payment_reference": None,
        "preceding_invoices": [
            PrecedingInvoice(number=invoice_row.number, issue_date=invoice_row.issue_date)
        ],
        "lines": [credited_line(invoice.lines[i], q) for i, q in scope.lines],
        "allowances_charges": _pinned_allowances(invoice) if scope.whole else [],
        "prepaid_amount": invoice.prepaid_amount if scope.whole else None,
        "rounding_amount": invoice.rounding_amount if scope.whole else None,
    }
    return Document.model_validate(invoice.model_copy(update=updates).model_dump())


def bounded_content(
    invoice_row: DocumentRow, invoice: Document, taken: Credited, scope: CreditScope
) -> Document:
    """The credit note of `scope`, checked against the amount left to credit.

    The one that credits the last of the invoice lands exactly on what is left
    (BT-114 rounding amount absorbs the cents that rounding each credit note's
    lines and VAT separately leaves over); any other must fit in what is left."""
    document = credit_note_content(invoice_row, invoice, scope)
    amount_left = compute_totals(invoice).amount_due - taken.amount
    amount = compute_totals(document).amount_due
    completes = scope.whole or taken.whole
    completes = completes and all(
        r == dict(scope.lines).get(i, ZERO)
        for i, r in enumerate(remaining_quantities(invoice, taken))
    )
    if completes and amount != amount_left:
        slack = CENT * (taken.count + 1) * (len(invoice.lines) + 2)
        if abs(amount_left - amount) <= slack:
            rounding = (document.rounding_amount or ZERO) + amount_left - amount
            return document.model_copy(update={"rounding_amount": rounding})
    if amount > amount_left:
        left = max(amount_left, ZERO)
        raise exceeds(
            (
                f"This credit note's amount due is {amount}; {left} is left to credit on the "
                "invoice.",
                f"Cet avoir s'élève à {fr_number(amount)} ; il reste {fr_number(left)} à "
                "créditer sur la facture.",
            ),
            [
                (
                    "lines",
                    f"at most {left} left to credit",
                    f"il reste au plus {fr_number(left)} à créditer",
                )
            ],
            left_to_credit(invoice, taken, left),
        )
    return document
