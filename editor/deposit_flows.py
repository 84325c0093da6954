"""The editor's side of deposits: ask a deposit on an issued quote (an amount incl.
VAT or a percentage of the quote) or, without a quote, set a draft deposit invoice's
amount incl. VAT at one VAT rate; and let a draft invoice deduct the issued deposit
invoices it settles (it becomes the final invoice: BT-113, references to the deposit
invoices, the "final after deposit" billing mode). What the user typed is checked
here first and said in their words; the server's domain has the last word."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from editor.backend import NewDeposit
from editor.flows import MAX_AMOUNT, _decimal
from editor.live.messages import Message, created_event
from editor.refusals import refusal_message
from invoicing.field_errors import FieldError
from invoicing.html import Formatter

if TYPE_CHECKING:
    from editor.actions import Actions

HUNDRED = Decimal(100)
MAX_CHOSEN = 50


async def options(actions: Actions, wanted: str) -> Message:
    """What the deposit dialog (the quote's total), the deposit amount dialog, or the
    deduction dialog (the issued deposit invoices this draft can deduct) shows."""
    connection = actions.connection
    live = connection.live_draft
    document = live.analysis.document
    fmt = Formatter(connection.locale, document.currency)
    if wanted == "deposit":
        total = fmt.money(live.analysis.totals.tax_inclusive_total)
        return {"ok": True, "text": actions.w["deposit_text"].format(total=total)}
    if wanted == "deposit_total":
        return {"ok": True, "text": actions.w["deposit_amount_text"]}
    assert live.draft.document_id is not None
    # The customer as the form has it now, typed or chosen, saved or not.
    found = await connection.backend.deposit_invoices(
        connection.session, live.draft.document_id, live.customer()
    )
    deposits = []
    for deposit in found:
        shown = Formatter(connection.locale, deposit.currency)
        when = fmt.date(deposit.issue_date) if deposit.issue_date else ""
        parts = [deposit.number, when, shown.money(deposit.amount), deposit.buyer_name]
        deposits.append(
            {
                "id": deposit.id,
                "label": " — ".join(part for part in parts if part),
                "checked": deposit.deducted,
            }
        )
    text = actions.w["deduct_text"] if deposits else actions.w["deduct_none"]
    return {"ok": True, "text": text, "deposits": deposits}


async def create(actions: Actions, params: Mapping[str, Any]) -> Message:
    """A deposit invoice draft asked on the open quote; the editor goes to it."""
    from editor.actions import Refusal

    connection = actions.connection
    w, locale = actions.w, connection.locale
    quote = connection.live_draft.draft.document_id
    assert quote is not None
    typed = {
        name: params.get(name) if isinstance(params.get(name), str) else ""
        for name in ("amount", "percent")
    }
    given = [name for name, text in typed.items() if str(text).strip()]
    errors: list[FieldError] = []
    amount = percent = None
    if len(given) != 1:
        errors.append(FieldError("amount", w["deposit_one"]))
    elif given == ["amount"]:
        amount = _decimal(typed["amount"], locale)
        if amount is None or amount <= 0 or amount > MAX_AMOUNT or amount != round(amount, 2):
            errors.append(FieldError("amount", w["amount_invalid"]))
    else:
        percent = _decimal(typed["percent"], locale)
        if percent is None or not 0 < percent <= HUNDRED or percent != round(percent, 4):
            errors.append(FieldError("percent", w["percent_invalid"]))
    if errors:
        message = refusal_message("validation_failed", locale)
        raise Refusal("validation_failed", message, tuple(errors))
    deposit = NewDeposit(quote_id=quote, amount=amount, percent=percent)
    created = await connection.backend.create_deposit(connection.session, deposit)
    assert created.document_id is not None
    await connection.switch(created.document_id)
    event = created_event(created)
    event["payload"]["source_id"] = quote
    return actions._done(w["deposit_created"], [event])


async def set_total(actions: Actions, params: Mapping[str, Any]) -> Message:
    """The open draft deposit invoice asks an amount incl. VAT at one VAT rate: saved
    first, its lines become the deposit's, then it is shown as it became."""
    from editor.actions import Refusal

    connection = actions.connection
    w, locale = actions.w, connection.locale
    amount = _decimal(params.get("amount"), locale)
    rate = _decimal(params.get("vat_rate"), locale)
    errors: list[FieldError] = []
    if amount is None or amount <= 0 or amount > MAX_AMOUNT or amount != round(amount, 2):
        errors.append(FieldError("amount", w["amount_invalid"]))
    if rate is None or not 0 <= rate <= HUNDRED or rate != round(rate, 2):
        errors.append(FieldError("vat_rate", w["percent_invalid"]))
    if errors or amount is None or rate is None:
        message = refusal_message("validation_failed", locale)
        raise Refusal("validation_failed", message, tuple(errors))
    _, events = await actions._save()
    document_id = connection.live_draft.draft.document_id
    assert document_id is not None
    draft = await connection.backend.set_deposit_amount(
        connection.session, document_id, amount, rate
    )
    await actions._refresh_all(draft)
    fmt = Formatter(locale, connection.live_draft.analysis.document.currency)
    return actions._done(w["deposit_amount_set"].format(amount=fmt.money(amount)), events)


async def deduct(actions: Actions, params: Mapping[str, Any]) -> Message:
    """The open draft invoice deducts exactly the chosen deposit invoices: it is saved
    first (the deduction is made on the saved document), then shown as it became."""
    connection = actions.connection
    w = actions.w
    raw = params.get("deposit_ids")
    chosen = [
        i for i in (raw if isinstance(raw, list) else [])[:MAX_CHOSEN] if type(i) is int and i > 0
    ]
    _, events = await actions._save()
    live = connection.live_draft
    document_id = live.draft.document_id
    assert document_id is not None
    draft = await connection.backend.deduct_deposits(connection.session, document_id, chosen)
    await actions._refresh_all(draft)
    analysis = connection.live_draft.analysis
    prepaid = analysis.totals.prepaid_amount
    fmt = Formatter(connection.locale, analysis.document.currency)
    text = w["deducted"].format(amount=fmt.money(prepaid)) if chosen else w["deducted_none"]
    return actions._done(text, events)
