"""What happens to a document after drafting: finalize, send, pay, credit, convert."""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response

from invoicing.model import Document, DocumentKind, PrecedingInvoice
from invoicing.text import Code, Text
from server.api.common import Input
from server.api.document_views import DocumentOut, document_out
from server.api.documents import load_document
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.documents.content import load_content, store_content
from server.documents.finalize import finalize
from server.documents.journal import append_event
from server.documents.status import Status, is_quote
from server.endpoint import ApiCall
from server.http_json import json_response
from server.problems import Problem
from server.webhooks.events import document_event


class PaymentIn(Input):
    paid_on: dt.date
    means_code: Code = "58"
    reference: Text | None = None


def _out(row: DocumentRow, status: int = 200) -> Response:
    return json_response(document_out(row).model_dump(mode="json"), status)


async def finalize_document(call: ApiCall) -> Response:
    row = await load_document(call)
    company = await call.caller.company(call.session, row.company_id)
    finalized = await finalize(call.session, company, row.id, call.services.clock().date())
    return _out(finalized)


async def mark_sent(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    if row.status != Status.FINALIZED:
        raise _wrong_status(row, "only a finalized document can be marked as sent")
    row.status = Status.SENT
    row.updated_at = call.services.clock()
    await append_event(call.session, row.id, "sent", {"channel": "api"})
    return _out(row)


async def mark_paid(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    body = await call.model(PaymentIn)
    if is_quote(row) or row.status not in {Status.FINALIZED, Status.SENT}:
        raise _wrong_status(row, "only a finalized or sent invoice can be marked as paid")
    row.status = Status.PAID
    row.paid_on = body.paid_on
    row.payment_means_code = body.means_code
    row.payment_reference = body.reference
    row.updated_at = call.services.clock()
    await call.session.flush()
    await append_event(
        call.session,
        row.id,
        "paid",
        {"paid_on": body.paid_on, "means_code": body.means_code, "reference": body.reference},
    )
    await document_event(call.session, row, "document.paid")
    return _out(row)


def _derived(source: DocumentRow, document: Document) -> DocumentRow:
    row = DocumentRow(
        partner_id=source.partner_id,
        company_id=source.company_id,
        contact_id=source.contact_id,
        user_id=source.user_id,
        source_document_id=source.id,
        status=Status.DRAFT,
    )
    store_content(row, document)
    return row


async def credit_note(call: ApiCall) -> Response:
    """A draft credit note for the whole invoice; finalizing it cancels the invoice."""
    source = await load_document(call, lock=True)
    if source.kind not in {"invoice", "deposit_invoice"} or source.status not in {
        Status.FINALIZED,
        Status.SENT,
        Status.PAID,
    }:
        raise _wrong_status(source, "a credit note corrects a finalized invoice")
    original = load_content(source)
    assert source.number is not None
    document = original.model_copy(
        update={
            "kind": DocumentKind.CREDIT_NOTE,
            "type_code": None,
            "number": None,
            "issue_date": None,
            "due_date": None,
            "payment_reference": None,
            "preceding_invoices": [
                PrecedingInvoice(number=source.number, issue_date=source.issue_date)
            ],
        }
    )
    row = _derived(source, Document.model_validate(document.model_dump()))
    call.session.add(row)
    await call.session.flush()
    await document_event(call.session, row, "document.created")
    return _out(row, 201)


async def convert_quote(call: ApiCall) -> Response:
    source = await load_document(call)
    if not is_quote(source):
        raise _wrong_status(source, "only a quote can be converted to an invoice")
    document = load_content(source).model_copy(
        update={"kind": DocumentKind.INVOICE, "number": None, "issue_date": None}
    )
    row = _derived(source, Document.model_validate(document.model_dump()))
    call.session.add(row)
    await call.session.flush()
    await document_event(call.session, row, "document.created")
    return _out(row, 201)


def _wrong_status(row: DocumentRow, detail: str) -> Problem:
    return Problem(
        409,
        "wrong_status",
        "Not possible in this status",
        f"This {row.kind} is {row.status}: {detail}.",
        extra={"status": row.status},
    )


OPERATIONS = (
    Operation(
        "POST",
        "/documents/{id:int}/finalize",
        finalize_document,
        "Finalize: gapless number, XML, journal entry; immutable from then on",
        response=DocumentOut,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/sent",
        mark_sent,
        "Mark a finalized document as sent",
        response=DocumentOut,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/payment",
        mark_paid,
        "Mark an invoice as paid",
        PaymentIn,
        DocumentOut,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/credit-note",
        credit_note,
        "Draft a credit note cancelling a finalized invoice",
        response=DocumentOut,
        status=201,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/convert",
        convert_quote,
        "Draft an invoice from a quote",
        response=DocumentOut,
        status=201,
    ),
)
