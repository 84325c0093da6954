"""An invoice states when it is due (French Code de commerce, art. L441-9; EN 16931
BR-CO-25 asks for a due date or payment terms when an amount is due)."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.model import DocumentKind
from invoicing.rules.engine import Context, Hit, rule

FAMILY = "core"


@rule(
    "BL-DUE-DATE",
    reads=("kind", "type_code", "due_date", "payment_term"),
    fr="Indiquez l'échéance : des conditions de paiement ou une date d'échéance.",
    en="State when it is due: payment terms or a due date.",
    why="A mandatory mention in France (C. com. L441-9). Finalization refuses an invoice "
    "without a due date (typed, or computed from the payment terms); a credit note is "
    "due on its issue date.",
)
def due_date_stated(ctx: Context) -> Iterator[Hit]:
    doc = ctx.source  # printed on the document whatever its XML profile carries (MINIMUM)
    if doc.kind is DocumentKind.QUOTE or doc.is_credit_note:
        return
    if doc.due_date is None and doc.payment_term is None:
        yield Hit(("due_date",))
