"""The editor's side of issue 12's flows: record a payment, credit chosen lines,
duplicate, delete a draft; and what their dialogs show (the balance, what is left to
credit per line). Each checks what the user typed first and says it in their words;
the server's domain (server/documents/) has the last word."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from editor.backend import NewPayment
from editor.live.messages import Message, created_event
from editor.numbers import display_date, display_number, normalize_date, normalize_number
from editor.refusals import refusal_message
from editor.view import PAYMENT_MEANS
from invoicing.field_errors import FieldError
from invoicing.html import Formatter

if TYPE_CHECKING:
    from editor.actions import Actions

MAX_AMOUNT = Decimal("999999999999.99")


def _decimal(raw: Any, locale: str) -> Decimal | None:
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    text = normalize_number(raw, locale)
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _date(raw: Any) -> dt.date | None:
    """A date as typed day first ('07/12/2026') or ISO."""
    text = normalize_date(raw) if isinstance(raw, str) and len(raw) <= 20 else None
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


async def options(actions: Actions) -> Message:
    """What the payment and credit note dialogs show for the open invoice."""
    connection = actions.connection
    live = connection.live_draft
    assert live.draft.document_id is not None
    balance = await connection.backend.balance(connection.session, live.draft.document_id)
    document = live.analysis.document
    fmt = Formatter(connection.locale, document.currency)
    lines = []
    for index, line in enumerate(document.lines):
        left = balance.remaining[index] if index < len(balance.remaining) else Decimal(0)
        lines.append(
            {
                "index": index,
                "name": line.name or "",
                "left": display_number(f"{left.normalize():f}", connection.locale),
                "left_raw": f"{left.normalize():f}",
            }
        )
    means = document.payment_means
    return {
        "ok": True,
        "balance_text": actions.w["payment_balance"].format(amount=fmt.money(balance.balance)),
        "means_code": str(means[0].code) if means else "58",
        "balance_input": display_number(f"{balance.balance:.2f}", connection.locale),
        "today": display_date(connection.clock().date().isoformat()),
        "lines": lines,
    }


async def record_payment(actions: Actions, params: Mapping[str, Any]) -> Message:
    from editor.actions import Refusal, _money

    connection = actions.connection
    w, locale = actions.w, connection.locale
    live = connection.live_draft
    document_id = live.draft.document_id
    assert document_id is not None
    before = await connection.backend.balance(connection.session, document_id)
    fmt = Formatter(locale, live.analysis.document.currency)
    errors: list[FieldError] = []
    amount = _decimal(params.get("amount"), locale)
    if amount is None or amount <= 0 or amount > MAX_AMOUNT or amount != round(amount, 2):
        errors.append(FieldError("amount", w["amount_invalid"]))
    elif amount > before.balance:
        errors.append(
            FieldError("amount", w["amount_too_much"].format(amount=fmt.money(before.balance)))
        )
    paid_on = _date(params.get("paid_on"))
    if paid_on is None:
        errors.append(FieldError("paid_on", w["date_invalid"]))
    elif paid_on > connection.clock().date():
        errors.append(FieldError("paid_on", w["date_future"]))
    means = params.get("means_code")
    means_code = means if isinstance(means, str) and means in PAYMENT_MEANS else "58"
    reference = params.get("reference")
    reference = (reference.strip()[:140] or None) if isinstance(reference, str) else None
    if errors or amount is None or paid_on is None:
        raise Refusal(
            "validation_failed", refusal_message("validation_failed", locale), tuple(errors)
        )
    payment = NewPayment(amount, paid_on, means_code, reference)
    stored = await connection.backend.record_payment(connection.session, document_id, payment)
    after = await connection.backend.balance(connection.session, document_id)
    await actions._refresh_all(await connection.backend.open_draft(connection.session, document_id))
    event = {
        "type": "payment.recorded",
        "payload": {
            "document_id": document_id,
            "kind": stored.kind.value,
            "status": stored.status,
            "amount": _money(amount),
            "paid_on": paid_on.isoformat(),
            "means_code": means_code,
            "currency": live.analysis.document.currency,
            "balance": _money(after.balance),
        },
    }
    return actions._done(w["payment_recorded"], [event])


async def credit_note(actions: Actions, params: Mapping[str, Any]) -> Message:
    """A credit note of the chosen lines (`lines`: [{index, quantity}]), or of all
    that is left when none are given."""
    from editor.actions import Refusal

    connection = actions.connection
    w, locale = actions.w, connection.locale
    source = connection.live_draft.draft.document_id
    assert source is not None
    chosen: list[tuple[int, Decimal]] | None = None
    raw = params.get("lines")
    if isinstance(raw, list):
        left = (await connection.backend.balance(connection.session, source)).remaining
        chosen, errors = [], []
        for item in raw[:1000]:
            if not isinstance(item, Mapping) or not isinstance(item.get("index"), int):
                continue
            index = item["index"]
            if not 0 <= index < len(left):
                continue
            quantity = _decimal(item.get("quantity"), locale)
            field = f"lines[{index}].quantity"
            if quantity is None or quantity < 0:
                errors.append(FieldError(field, w["amount_invalid"]))
            elif quantity > left[index]:
                shown = display_number(f"{left[index].normalize():f}", locale)
                errors.append(FieldError(field, w["quantity_too_much"].format(quantity=shown)))
            elif quantity > 0:
                chosen.append((index, quantity))
        if errors:
            message = refusal_message("validation_failed", locale)
            raise Refusal("validation_failed", message, tuple(errors))
        if not chosen:
            raise Refusal("validation_failed", w["credit_nothing"])
    created = await connection.backend.create_credit_note(connection.session, source, chosen)
    assert created.document_id is not None
    await connection.switch(created.document_id)
    event = created_event(created)
    event["payload"]["source_id"] = source
    return actions._done("", [event])


async def duplicate(actions: Actions) -> Message:
    connection = actions.connection
    source = connection.live_draft.draft.document_id
    assert source is not None
    created = await connection.backend.duplicate(connection.session, source)
    assert created.document_id is not None
    await connection.switch(created.document_id)
    event = created_event(created)
    event["payload"]["source_id"] = source
    return actions._done(actions.w["duplicated"], [event])


async def delete(actions: Actions) -> Message:
    connection = actions.connection
    draft = connection.live_draft.draft
    assert draft.document_id is not None
    await connection.backend.delete_document(connection.session, draft.document_id)
    return {
        "ok": True,
        "deleted": True,
        "message": actions.w["deleted"],
        "events": [
            {
                "type": "document.deleted",
                "payload": {"document_id": draft.document_id, "kind": draft.kind.value},
            }
        ],
    }
