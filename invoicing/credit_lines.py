"""An invoice line as a credit note takes it: at a credited quantity, its fixed
line allowances and charges pro rata (a percentage applies as it is). Used by the
service's credit notes and by the editor's credit note dialog, so that what the
dialog announces is what the credit note carries."""

from __future__ import annotations

from decimal import Decimal

from invoicing.model import Line
from invoicing.money import round_amount
from invoicing.totals import line_totals


def credited_line(line: Line, quantity: Decimal) -> Line:
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


def credited_net_amount(line: Line, quantity: Decimal) -> Decimal:
    """BT-131 of the line at `quantity` (excl. VAT)."""
    return line_totals(credited_line(line, quantity)).net_amount
