"""What happens to a document after drafting: finalize, send, credit, convert,
accept or refuse a quote, duplicate. Payments: server/api/payments.py;
deposits: server/api/deposits.py."""

from __future__ import annotations

from starlette.responses import Response

from server.api.documents.crud import load_document
from server.api.documents.views import DocumentOut, document_out
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.documents import derived, quotes
from server.documents.credit_notes.scope import CreditNoteIn
from server.documents.finalize import finalize
from server.documents.journal import append_event
from server.documents.payments import paris_today
from server.documents.refusals import kind_is_fr
from server.documents.status import Status
from server.endpoint import ApiCall
from server.http_json import json_response
from server.problems import Refusal
from server.webhooks.events import document_event


def out(call: ApiCall, row: DocumentRow, status: int = 200) -> Response:
    today = paris_today(call.services.clock())
    return json_response(document_out(row, today).model_dump(mode="json"), status)


async def finalize_document(call: ApiCall) -> Response:
    """Runs outside the request's transaction (Operation.transaction=False): the
    official check is done between two short ones (server.documents.finalize)."""
    async with call.session.begin():
        row = await load_document(call)
        company_id = row.company_id
    today = paris_today(call.services.clock())
    services = call.services
    await finalize(
        services.sessions.begin,
        company_id,
        row.id,
        today,
        services.work,
        services.read_sessions.begin,
    )
    call.session.expunge_all()  # the row was finalized by another session
    async with call.session.begin():
        return out(call, await load_document(call))


async def mark_sent(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    if row.status != Status.FINALIZED:
        raise Refusal(
            409,
            "wrong_status",
            "Not possible in this status",
            f"This {row.kind} is {row.status}: only a finalized document can be marked as sent.",
            f"{kind_is_fr(row.kind, row.status)} : seul un document finalisé peut être marqué "
            "comme envoyé.",
            extra={"status": row.status},
        )
    row.status = Status.SENT
    row.updated_at = call.services.clock()
    await call.session.flush()
    await append_event(call.session, row.id, "sent", {"channel": "api"})
    return out(call, row)


async def _optional_body(call: ApiCall) -> CreditNoteIn | None:
    if not await call.body():
        return None
    return await call.model(CreditNoteIn)


async def credit_note(call: ApiCall) -> Response:
    """A draft credit note of the chosen lines (no body: all that is left)."""
    body = await _optional_body(call)
    source = await load_document(call, lock=True)
    row = await derived.new_credit_note(call.session, source, body)
    await document_event(call.session, row, "document.created")
    return out(call, row, 201)


async def convert_quote(call: ApiCall) -> Response:
    source = await load_document(call, lock=True)
    company = await call.caller.company(call.session, source.company_id)
    row = await derived.convert_quote(call.session, source, company, call.services.clock())
    await document_event(call.session, row, "document.created")
    return out(call, row, 201)


async def accept_quote(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    now = call.services.clock()
    quotes.accept(row, paris_today(now), now)
    await call.session.flush()
    await document_event(call.session, row, "document.accepted")
    return out(call, row)


async def refuse_quote(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    now = call.services.clock()
    quotes.refuse(row, paris_today(now), now)
    await call.session.flush()
    await document_event(call.session, row, "document.refused")
    return out(call, row)


async def duplicate_document(call: ApiCall) -> Response:
    source = await load_document(call)
    row = await derived.duplicate(call.session, source)
    await document_event(call.session, row, "document.created")
    return out(call, row, 201)


OPERATIONS = (
    Operation(
        "POST",
        "/documents/{id:int}/finalize",
        finalize_document,
        "Finalize: gapless number, XML, journal entry; immutable from then on",
        response=DocumentOut,
        transaction=False,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/sent",
        mark_sent,
        "Mark a finalized document (invoice or quote) as sent",
        response=DocumentOut,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/credit-note",
        credit_note,
        "Draft a credit note of an issued invoice: the lines and quantities of the optional "
        "body, or all that is not credited yet",
        CreditNoteIn,
        DocumentOut,
        201,
        body_required=False,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/convert",
        convert_quote,
        "Draft the invoice of a quote (once), deducting the deposit invoices asked on it",
        response=DocumentOut,
        status=201,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/accept",
        accept_quote,
        "Mark an issued quote as accepted (409 quote_expired past its validity date)",
        response=DocumentOut,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/refuse",
        refuse_quote,
        "Mark an issued quote as refused",
        response=DocumentOut,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/duplicate",
        duplicate_document,
        "Copy any document into a new draft of the same kind",
        response=DocumentOut,
        status=201,
    ),
)
