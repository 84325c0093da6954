"""Credit notes at save and finalization: the credited part kept, still within
what is left (the invoice locked); once issued, the invoice's credited amount and
status follow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import Document, DocumentKind
from invoicing.money import ZERO
from invoicing.totals import compute_totals
from server.db.documents import DocumentRow
from server.documents.content import load_content
from server.documents.credit_notes.content import bounded_content
from server.documents.credit_notes.refusals import changed, exceeds
from server.documents.credit_notes.scope import (
    CreditScope,
    credited,
    fully_credited,
    left_to_credit,
    quantity_text,
    remaining_quantities,
)
from server.documents.journal import append_event
from server.documents.refusals import fr_number, kind_is_fr
from server.documents.settlement import settled_status, settlement_of
from server.documents.status import INVOICE_KINDS, OPEN_INVOICE
from server.problems import Refusal


def ensure_creditable(row: DocumentRow) -> None:
    if row.kind not in INVOICE_KINDS or row.status not in OPEN_INVOICE:
        raise Refusal(
            409,
            "wrong_status",
            "Not possible in this status",
            f"This {row.kind} is {row.status}: a credit note corrects an issued invoice "
            "that is not fully credited.",
            f"{kind_is_fr(row.kind, row.status)} : un avoir corrige "
            "une facture émise qui n'est pas entièrement créditée.",
            extra={"status": row.status},
        )
    if row.settled_by_id is not None and row.kind == "deposit_invoice":
        raise Refusal(
            409,
            "deposit_settled",
            "Deposit deducted by a final invoice",
            "A final invoice deducts this deposit: credit the final invoice instead.",
            "Une facture de solde déduit cet acompte : faites plutôt un avoir sur celle-ci.",
            extra={"settled_by_id": row.settled_by_id},
        )


async def check_before_issue(session: AsyncSession, note: DocumentRow, document: Document) -> None:
    """At finalization of a credit note made from an invoice: its lines are still
    the ones its scope says, and they still fit in what is left (invoice locked)."""
    if note.credit_scope is None or note.source_document_id is None:
        return
    invoice_row = await session.scalar(
        select(DocumentRow)
        .where(
            DocumentRow.id == note.source_document_id,
            DocumentRow.company_id == note.company_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if invoice_row is None:
        return
    ensure_creditable(invoice_row)
    invoice = load_content(invoice_row)
    taken = await credited(session, invoice_row, invoice)
    scope = CreditScope.from_json(note.credit_scope, invoice)
    remaining = remaining_quantities(invoice, taken)
    for index, quantity in scope.lines:
        if quantity > remaining[index]:
            left = quantity_text(max(remaining[index], ZERO))
            raise exceeds(
                (
                    f"Line {index} has {left} left to credit: other credit notes were issued "
                    "since this draft was made. Delete it and make another.",
                    f"Il reste {fr_number(left)} à créditer sur la ligne {index} : d'autres "
                    "avoirs ont été émis depuis ce brouillon. Supprimez-le et faites-en un autre.",
                ),
                [
                    (
                        "lines",
                        f"at most {left} left on line {index}",
                        f"il reste au plus {fr_number(left)} sur la ligne {index}",
                    )
                ],
                left_to_credit(invoice, taken, compute_totals(invoice).amount_due - taken.amount),
            )
    if scope.whole and taken.whole:
        raise exceeds(
            (
                "Another credit note already took the rest of this invoice.",
                "Un autre avoir a déjà crédité le reste de cette facture.",
            ),
            [("lines", "the rest was credited already", "le reste est déjà crédité")],
            left_to_credit(invoice, taken, compute_totals(invoice).amount_due - taken.amount),
        )
    expected = bounded_content(invoice_row, invoice, taken, scope)
    if credit_part(expected) != credit_part(document):
        raise changed()


def credit_part(document: Document) -> tuple[Any, ...]:
    return (
        list(document.lines),  # models compare their decimals by value (1 == 1.00)
        list(document.allowances_charges),
        document.prepaid_amount,
        document.rounding_amount,
        document.currency,
        [p.number for p in document.preceding_invoices],
    )


def ensure_scope_kept(row: DocumentRow, before: Document, after: Document) -> None:
    """A linked credit note draft keeps its credited part on every save."""
    if row.credit_scope is None or row.kind != DocumentKind.CREDIT_NOTE.value:
        return
    if credit_part(before) != credit_part(after):
        raise changed()


async def after_issue(session: AsyncSession, note: DocumentRow) -> tuple[DocumentRow, str] | None:
    """A credit note was finalized: its invoice's credited amount and status follow.
    Returns the invoice and its status before (the caller emits the events)."""
    if note.kind != DocumentKind.CREDIT_NOTE.value or note.source_document_id is None:
        return None
    invoice_row = await session.get(DocumentRow, note.source_document_id)
    if invoice_row is None or invoice_row.company_id != note.company_id:
        return None
    if invoice_row.kind not in INVOICE_KINDS:
        return None
    invoice = load_content(invoice_row)
    before = invoice_row.status
    taken = await credited(session, invoice_row, invoice)
    invoice_row.credited_total = str(taken.amount)
    settlement = settlement_of(invoice_row, compute_totals(invoice))
    invoice_row.status = settled_status(invoice_row, settlement, fully_credited(invoice, taken))
    invoice_row.updated_at = note.updated_at
    await session.flush()
    await append_event(
        session,
        invoice_row.id,
        "credit_note",
        {
            "credit_note_id": note.id,
            "credit_note": note.number,
            "amount": compute_totals(load_content(note)).amount_due,
            "credited_amount": taken.amount,
            "lines": CreditScope.from_json(note.credit_scope, invoice).as_json()["lines"],
        },
    )
    return invoice_row, before
