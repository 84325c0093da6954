"""What a credit note credits (its scope), what the issued credit notes of an invoice
took, and the scope of a new one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import Document, DocumentKind, Quantity
from invoicing.money import ZERO
from invoicing.totals import compute_totals
from server.api.common import Input
from server.db.documents import DocumentRow
from server.documents.content import load_content
from server.documents.credit_notes.refusals import exceeds
from server.documents.refusals import fr_number
from server.documents.status import Status
from server.problems import Refusal

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


def left_to_credit(invoice: Document, taken: Credited, amount_left: Decimal) -> dict[str, Any]:
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
        raise exceeds(
            (
                f"{len(errors)} line(s) ask more than the invoice has left to credit.",
                f"{len(errors)} ligne(s) demandent plus que ce qui reste à créditer.",
            ),
            errors,
            left_to_credit(invoice, taken, ZERO),
        )
    chosen = {item.index: item.quantity for item in body.lines}
    lines = tuple(sorted(chosen.items()))
    takes_the_rest = not taken.whole and all(
        chosen.get(i, ZERO) == q for i, q in enumerate(remaining)
    )
    return CreditScope(lines, takes_the_rest)
