"""Credit notes made from an invoice: what each credits, and what is left.

A credit note made by `POST /documents/{id}/credit-note` credits chosen lines
of one invoice (a quantity of each) or everything not credited yet. Its scope
(`DocumentRow.credit_scope`) names the invoice lines and quantities, and
whether it carries the invoice's document-level allowances, charges, prepaid
and rounding amounts (`whole`: the first credit note that takes the rest).

The issued credit notes of an invoice never credit more than it invoiced: per
line (quantities) and in total (the invoice's amount due). Drafts reserve
nothing: the check runs when the draft is made, and again, authoritatively,
when it is finalized, with the invoice row locked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import (
    AllowanceCharge,
    Document,
    DocumentKind,
    Line,
    PrecedingInvoice,
    Quantity,
)
from invoicing.money import CENT, ZERO, round_amount
from invoicing.totals import compute_totals
from server.api.common import Input
from server.db.documents import DocumentRow
from server.documents.content import load_content
from server.documents.journal import append_event
from server.documents.refusals import Refusal, fr_number, kind_fr, status_fr
from server.documents.settlement import settled_status, settlement_of
from server.documents.status import INVOICE_KINDS, OPEN_INVOICE, Status

MAX_CREDIT_LINES = 1000


class CreditLineIn(Input):
    index: int = Field(ge=0, le=100_000, description="0-based position in the invoice's lines")
    quantity: Quantity = Field(gt=0, description="How much of that line to credit")


class CreditNoteIn(Input):
    """Body of `POST /documents/{id}/credit-note` (optional: no body credits all that is left)."""

    lines: list[CreditLineIn] = Field(min_length=1, max_length=MAX_CREDIT_LINES)


def quantity_text(quantity: Decimal) -> str:
    """1.00 -> "1", 2.50 -> "2.5", 10 -> "10" (never an exponent)."""
    return f"{quantity.normalize():f}" if quantity else "0"


@dataclass(frozen=True, slots=True)
class CreditScope:
    lines: tuple[tuple[int, Decimal], ...]  # (invoice line index, quantity)
    whole: bool  # carries document-level allowances/charges, prepaid and rounding

    def as_json(self) -> dict[str, Any]:
        return {
            "lines": [{"index": i, "quantity": quantity_text(q)} for i, q in self.lines],
            "whole": self.whole,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None, invoice: Document) -> CreditScope:
        if data is None:  # made before scopes existed: it credited the whole invoice
            return cls(
                tuple((i, line.quantity or ZERO) for i, line in enumerate(invoice.lines)), True
            )
        lines = tuple((int(item["index"]), Decimal(item["quantity"])) for item in data["lines"])
        return cls(lines, bool(data["whole"]))


@dataclass(slots=True)
class Credited:
    """What the issued credit notes of one invoice took."""

    quantities: list[Decimal]
    whole: bool
    amount: Decimal
    count: int


def _invoiced(invoice: Document) -> list[Decimal]:
    return [line.quantity or Decimal(0) for line in invoice.lines]


async def credited(session: AsyncSession, invoice_row: DocumentRow, invoice: Document) -> Credited:
    taken = Credited([Decimal(0) for _ in invoice.lines], False, ZERO, 0)
    notes = await session.scalars(
        select(DocumentRow).where(
            DocumentRow.company_id == invoice_row.company_id,
            DocumentRow.source_document_id == invoice_row.id,
            DocumentRow.kind == DocumentKind.CREDIT_NOTE.value,
            DocumentRow.status != Status.DRAFT,
        )
    )
    for note in notes:
        scope = CreditScope.from_json(note.credit_scope, invoice)
        for index, quantity in scope.lines:
            if index < len(taken.quantities):
                taken.quantities[index] += quantity
        taken.whole = taken.whole or scope.whole
        taken.amount += compute_totals(load_content(note)).amount_due
        taken.count += 1
    return taken


def remaining_quantities(invoice: Document, taken: Credited) -> list[Decimal]:
    return [q - c for q, c in zip(_invoiced(invoice), taken.quantities, strict=True)]


def fully_credited(invoice: Document, taken: Credited) -> bool:
    return taken.whole and all(r == 0 for r in remaining_quantities(invoice, taken))


def _credited_line(line: Line, quantity: Decimal) -> Line:
    """The invoice line at `quantity`; fixed line allowances/charges pro rata."""
    if quantity == line.quantity or not line.quantity:
        return line.model_copy(update={"quantity": quantity})
    share = quantity / line.quantity
    items = [
        item.model_copy(update={"amount": round_amount(item.amount * share)})
        if item.amount is not None and item.percent is None
        else item
        for item in line.allowances_charges
    ]
    return line.model_copy(update={"quantity": quantity, "allowances_charges": items})


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
        "lines": [_credited_line(invoice.lines[i], q) for i, q in scope.lines],
        "allowances_charges": _pinned_allowances(invoice) if scope.whole else [],
        "prepaid_amount": invoice.prepaid_amount if scope.whole else None,
        "rounding_amount": invoice.rounding_amount if scope.whole else None,
    }
    return Document.model_validate(invoice.model_copy(update=updates).model_dump())


def _exceeds(
    detail: tuple[str, str], errors: Sequence[tuple[str, str, str]], left: dict[str, Any]
) -> Refusal:
    return Refusal(
        422,
        "credit_exceeds_invoice",
        "More than what is left to credit",
        *detail,
        errors=errors,
        extra={"left_to_credit": left},
    )


def _left(invoice: Document, taken: Credited, amount_left: Decimal) -> dict[str, Any]:
    return {
        "amount": str(amount_left),
        "lines": [
            {"index": i, "quantity": quantity_text(q)}
            for i, q in enumerate(remaining_quantities(invoice, taken))
            if q != 0
        ],
    }


def choose_scope(invoice: Document, taken: Credited, body: CreditNoteIn | None) -> CreditScope:
    """The scope of a new credit note: the body's lines, or all that is left."""
    remaining = remaining_quantities(invoice, taken)
    if body is None:
        lines = tuple((i, q) for i, q in enumerate(remaining) if q != 0)
        if not lines and taken.whole:
            raise Refusal(
                409,
                "fully_credited",
                "Nothing left to credit",
                "The credit notes already issued credit this whole invoice.",
                "Les avoirs déjà émis créditent toute cette facture.",
            )
        return CreditScope(lines, not taken.whole)
    errors: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    count = len(remaining)
    for n, item in enumerate(body.lines):
        if item.index >= count:
            errors.append(
                (
                    f"lines[{n}].index",
                    f"the invoice has {count} line(s): 0 to {count - 1}",
                    f"la facture a {count} ligne(s) : de 0 à {count - 1}",
                )
            )
        elif item.index in seen:
            errors.append(
                (
                    f"lines[{n}].index",
                    f"line {item.index} is given twice",
                    f"la ligne {item.index} est donnée deux fois",
                )
            )
        elif item.quantity > remaining[item.index]:
            left = quantity_text(max(remaining[item.index], ZERO))
            errors.append(
                (
                    f"lines[{n}].quantity",
                    f"at most {left} left to credit on line {item.index}",
                    f"il reste au plus {fr_number(left)} à créditer sur la ligne {item.index}",
                )
            )
        seen.add(item.index)
    if errors:
        raise _exceeds(
            (
                f"{len(errors)} line(s) ask more than the invoice has left to credit.",
                f"{len(errors)} ligne(s) demandent plus que ce qui reste à créditer.",
            ),
            errors,
            _left(invoice, taken, ZERO),
        )
    chosen = {item.index: item.quantity for item in body.lines}
    lines = tuple(sorted(chosen.items()))
    takes_the_rest = not taken.whole and all(
        chosen.get(i, ZERO) == q for i, q in enumerate(remaining)
    )
    return CreditScope(lines, takes_the_rest)


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
        raise _exceeds(
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
            _left(invoice, taken, left),
        )
    return document


def ensure_creditable(row: DocumentRow) -> None:
    if row.kind not in INVOICE_KINDS or row.status not in OPEN_INVOICE:
        raise Refusal(
            409,
            "wrong_status",
            "Not possible in this status",
            f"This {row.kind} is {row.status}: a credit note corrects an issued invoice "
            "that is not fully credited.",
            f"{kind_fr(row.kind).capitalize()} est {status_fr(row.status)} : un avoir corrige "
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
            raise _exceeds(
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
                _left(invoice, taken, compute_totals(invoice).amount_due - taken.amount),
            )
    if scope.whole and taken.whole:
        raise _exceeds(
            (
                "Another credit note already took the rest of this invoice.",
                "Un autre avoir a déjà crédité le reste de cette facture.",
            ),
            [("lines", "the rest was credited already", "le reste est déjà crédité")],
            _left(invoice, taken, compute_totals(invoice).amount_due - taken.amount),
        )
    expected = bounded_content(invoice_row, invoice, taken, scope)
    if _credit_part(expected) != _credit_part(document):
        raise _changed()


def _credit_part(document: Document) -> tuple[Any, ...]:
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
    if _credit_part(before) != _credit_part(after):
        raise _changed()


def _changed() -> Refusal:
    return Refusal(
        422,
        "credit_note_changed",
        "The credited lines cannot change",
        "This credit note credits the lines and quantities chosen when it was made from its "
        "invoice (lines, allowances and charges, prepaid and rounding amounts, currency, "
        "invoice reference). Delete it and make another to credit otherwise.",
        "Cet avoir crédite les lignes et quantités choisies à sa création depuis la facture "
        "(lignes, remises et frais, acompte déduit, arrondi, devise, référence de la facture). "
        "Supprimez-le et faites-en un autre pour créditer autre chose.",
        errors=[
            (
                "lines",
                "lines and quantities come from the invoice",
                "les lignes et quantités viennent de la facture",
            )
        ],
    )


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
