"""Payments of an issued invoice: record (several), list, pay the balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field
from starlette.responses import Response

from invoicing.model import Amount
from invoicing.text import Code, Text
from server.api.common import Input, Output
from server.api.documents.actions import out
from server.api.documents.crud import load_document
from server.api.documents.views import DocumentOut, document_out
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.documents.payments import paris_today, payments_of, record_payment
from server.documents.refusals import kind_is_fr
from server.documents.status import INVOICE_KINDS, OPEN_INVOICE, Status
from server.endpoint import ApiCall
from server.http_json import json_response
from server.problems import Refusal
from server.webhooks.events import document_event


class PaymentIn(Input):
    """Body of `POST /documents/{id}/payments`."""

    amount: Amount = Field(gt=0, description="In the invoice's currency; at most the balance")
    paid_on: dt.date = Field(description="Not after today (Europe/Paris)")
    means_code: Code = Field("58", description="UNCL 4461 (58 SEPA transfer, 48 card...)")
    reference: Text | None = Field(None, description="e.g. the bank transfer's label")


class BalancePaymentIn(Input):
    """Body of `POST /documents/{id}/payment`: the whole balance, paid on `paid_on`."""

    paid_on: dt.date
    means_code: Code = "58"
    reference: Text | None = None


class PaymentOut(Output):
    id: int
    document_id: int
    amount: Decimal
    paid_on: dt.date
    means_code: str
    reference: str | None
    created_at: dt.datetime


class PaymentList(Output):
    items: list[PaymentOut]
    paid_amount: Decimal
    balance: Decimal | None


class RecordedPayment(Output):
    payment: PaymentOut
    document: DocumentOut


async def _recorded(call: ApiCall, row: DocumentRow) -> DocumentOut:
    await document_event(call.session, row, "document.payment_recorded")
    if row.status == Status.PAID:
        await document_event(call.session, row, "document.paid")
    return document_out(row, paris_today(call.services.clock()))


async def add_payment(call: ApiCall) -> Response:
    body = await call.model(PaymentIn)
    row = await load_document(call, lock=True)
    now = call.services.clock()
    payment = await record_payment(
        call.session,
        row,
        amount=body.amount,
        paid_on=body.paid_on,
        means_code=body.means_code,
        reference=body.reference,
        now=now,
    )
    document = await _recorded(call, row)
    result = RecordedPayment(payment=PaymentOut.model_validate(payment), document=document)
    return json_response(result.model_dump(mode="json"), 201)


async def list_payments(call: ApiCall) -> Response:
    row = await load_document(call)
    payments = await payments_of(call.session, row)
    shown = document_out(row, paris_today(call.services.clock()))
    page = PaymentList(
        items=[PaymentOut.model_validate(p) for p in payments],
        paid_amount=shown.paid_amount or Decimal("0.00"),
        balance=shown.balance,
    )
    return json_response(page.model_dump(mode="json"))


async def pay_balance(call: ApiCall) -> Response:
    """`POST /payment`: what is left is paid (409 when the invoice is not open)."""
    body = await call.model(BalancePaymentIn)
    row = await load_document(call, lock=True)
    if row.kind not in INVOICE_KINDS or row.status not in OPEN_INVOICE - {Status.PAID}:
        raise Refusal(
            409,
            "wrong_status",
            "Not possible in this status",
            f"This {row.kind} is {row.status}: only an issued invoice with a balance can be paid.",
            f"{kind_is_fr(row.kind, row.status)} : seule une facture émise qui reste à payer "
            "peut être payée.",
            extra={"status": row.status},
        )
    now = call.services.clock()
    await record_payment(
        call.session,
        row,
        amount=None,
        paid_on=body.paid_on,
        means_code=body.means_code,
        reference=body.reference,
        now=now,
    )
    await _recorded(call, row)
    return out(call, row)


OPERATIONS = (
    Operation(
        "POST",
        "/documents/{id:int}/payments",
        add_payment,
        "Record a payment of an issued invoice (partially_paid, then paid at zero balance)",
        PaymentIn,
        RecordedPayment,
        201,
    ),
    Operation(
        "GET",
        "/documents/{id:int}/payments",
        list_payments,
        "The payments of an invoice, oldest first",
        response=PaymentList,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/payment",
        pay_balance,
        "Record the payment of the whole balance",
        BalancePaymentIn,
        DocumentOut,
    ),
)
