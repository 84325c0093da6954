"""What the credit note dialog shows: per invoice line, what was invoiced, what the
credit notes already issued took and what is left (quantities and amounts excl. VAT),
and the total of the credit note as the user chooses its quantities (the service
computes it as it would make the credit note: same scope, same bounds)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from editor.backend import ActionRefused
from editor.live.messages import Message
from editor.numbers import display_number
from invoicing.credit_lines import credited_net_amount
from invoicing.html import Formatter

if TYPE_CHECKING:
    from editor.actions import Actions

MAX_LINES = 1000


def _quantity(value: Decimal, locale: str) -> str:
    return display_number(f"{value.normalize():f}", locale) if value else "0"


def chosen_lines(
    raw: Any, remaining: Sequence[Decimal], locale: str
) -> list[tuple[int, Decimal]] | None:
    """The (index, quantity) the user typed, None when one cannot be read or is more
    than is left (the dialog then shows no total: the field says what is wrong)."""
    from editor.flows import _decimal

    chosen = []
    for item in raw[:MAX_LINES] if isinstance(raw, list) else []:
        index = item.get("index") if isinstance(item, Mapping) else None
        if not isinstance(index, int) or not 0 <= index < len(remaining):
            return None
        text = item.get("quantity")
        if isinstance(text, str) and not text.strip():
            continue
        quantity = _decimal(text, locale)
        if quantity is None or quantity < 0 or quantity > remaining[index]:
            return None
        if quantity > 0:
            chosen.append((index, quantity))
    return chosen


async def total_text(actions: Actions, lines: list[tuple[int, Decimal]] | None) -> str:
    connection = actions.connection
    w = actions.w
    if lines is None:
        return w["credit_total_unknown"]
    if not lines:
        return w["credit_total_none"]
    document_id = connection.live_draft.draft.document_id
    assert document_id is not None
    try:
        totals = await connection.backend.credit_total(connection.session, document_id, lines)
    except ActionRefused:
        return w["credit_total_unknown"]
    fmt = Formatter(connection.locale, connection.live_draft.analysis.document.currency)
    return w["credit_total"].format(
        incl=fmt.money(totals.tax_inclusive_total),
        excl=fmt.money(totals.tax_exclusive_total),
        vat=fmt.money(totals.vat_total),
    )


async def options(actions: Actions, params: Mapping[str, Any]) -> Message:
    connection = actions.connection
    live = connection.live_draft
    locale = connection.locale
    document_id = live.draft.document_id
    assert document_id is not None
    balance = await connection.backend.balance(connection.session, document_id)
    remaining = balance.remaining
    if "lines" in params:  # the user changed a quantity: only the total
        return {
            "ok": True,
            "total": await total_text(actions, chosen_lines(params["lines"], remaining, locale)),
        }
    document, totals = live.analysis.document, live.analysis.totals
    fmt = Formatter(locale, document.currency)
    lines = []
    for index, line in enumerate(document.lines):
        invoiced = line.quantity or Decimal(0)
        left = remaining[index] if index < len(remaining) else Decimal(0)
        invoiced_amount = totals.lines[index].net_amount
        left_amount = credited_net_amount(line, left)
        lines.append(
            {
                "index": index,
                "name": line.name or "",
                "invoiced": f"{_quantity(invoiced, locale)} · {fmt.money(invoiced_amount)}",
                "credited": f"{_quantity(invoiced - left, locale)} · "
                f"{fmt.money(invoiced_amount - left_amount)}",
                "left": f"{_quantity(left, locale)} · {fmt.money(left_amount)}",
                "left_input": _quantity(left, locale) if left else "",
            }
        )
    everything = [(i, q) for i, q in enumerate(remaining) if q > 0]
    return {"ok": True, "lines": lines, "total": await total_text(actions, everything)}
