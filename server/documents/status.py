"""Document statuses and what each allows."""

from __future__ import annotations

from enum import StrEnum

from server.db.documents import DocumentRow
from server.problems import Refusal


class Status(StrEnum):
    DRAFT = "draft"
    FINALIZED = "finalized"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"  # invoices: a balance remains after payments
    PAID = "paid"
    CANCELLED = "cancelled"  # invoices: fully credited
    ACCEPTED = "accepted"  # quotes
    REFUSED = "refused"  # quotes
    EXPIRED = "expired"  # quotes past their validity date: shown, never stored


ISSUED = frozenset(
    {
        Status.FINALIZED,
        Status.SENT,
        Status.PARTIALLY_PAID,
        Status.PAID,
        Status.CANCELLED,
        Status.ACCEPTED,
        Status.REFUSED,
    }
)
# An issued invoice that can still receive payments and credit notes.
OPEN_INVOICE = frozenset({Status.FINALIZED, Status.SENT, Status.PARTIALLY_PAID, Status.PAID})
INVOICE_KINDS = frozenset({"invoice", "deposit_invoice"})


def is_quote(row: DocumentRow) -> bool:
    return row.kind == "quote"


def ensure_editable(row: DocumentRow) -> None:
    """Only drafts change. An issued invoice is inalterable (French anti-fraud
    VAT law): the way to correct or cancel it is a credit note."""
    if row.status == Status.DRAFT:
        return
    if is_quote(row):
        raise Refusal(
            409,
            "document_finalized",
            "Quote already issued",
            f"Quote {row.number} was issued and cannot change; create a new quote "
            "(or delete this one).",
            f"Le devis {row.number} est émis et ne peut plus changer : créez un nouveau devis "
            "(ou supprimez celui-ci).",
        )
    raise finalized_problem(row)


def finalized_problem(row: DocumentRow) -> Refusal:
    path = f"/api/v1/documents/{row.id}/credit-note"
    return Refusal(
        409,
        "document_finalized",
        "Finalized documents cannot be changed or deleted",
        f"{row.number} is finalized: French law forbids changing or deleting it. To correct "
        f"or cancel it, issue a credit note: POST {path}.",
        f"{row.number} est finalisé : la loi française interdit de le modifier ou de le "
        f"supprimer. Pour le corriger ou l'annuler, émettez un avoir : POST {path}.",
        extra={"credit_note_path": path},
    )


def ensure_deletable(row: DocumentRow) -> None:
    """Drafts and quotes can be deleted; issued invoices never."""
    if row.status == Status.DRAFT or is_quote(row):
        return
    raise finalized_problem(row)
