"""Send an issued document by email (partner API and editor)."""

from __future__ import annotations

from pydantic import ValidationError
from starlette.responses import Response

from server.api.common import respond
from server.api.documents.crud import load_document
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.db.tenants import Partner
from server.documents.locks import lock_company
from server.editor.auth import EditorCall
from server.emails.documents import SendEmailIn, SentEmailOut, send_document_email
from server.endpoint import ApiCall
from server.extra_settings import extra_settings
from server.http_json import parse_json_object
from server.problems import Refusal, invalid_body, not_found


async def send_email(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    request = await call.model(SendEmailIn)
    smtp = extra_settings(call.request.app).smtp
    sent = await send_document_email(
        call.session, call.services, smtp, call.caller.partner, row, request
    )
    return respond(SentEmailOut, sent)


async def editor_send_email(call: EditorCall) -> Response:
    scope = call.scope
    if scope.document_id is None:
        raise Refusal(
            409,
            "document_not_issued",
            "Drafts are not sent",
            "Save and finalize the document.",
            "Enregistrez et finalisez le document.",
        )
    await lock_company(call.session, scope.company_id)  # first: server/documents/locks.py
    row = await call.session.get(DocumentRow, scope.document_id, with_for_update=True)
    partner = await call.session.get(Partner, scope.partner_id)
    if row is None or partner is None or row.partner_id != partner.id:
        raise not_found("document")
    body = parse_json_object(call.body)
    try:
        request = SendEmailIn.model_validate(body)
    except ValidationError as error:
        raise invalid_body(error, language=scope.options.locale) from None
    smtp = extra_settings(call.request.app).smtp
    sent = await send_document_email(call.session, call.services, smtp, partner, row, request)
    return respond(SentEmailOut, sent)


OPERATIONS = (
    Operation(
        "POST",
        "/documents/{id:int}/send-email",
        send_email,
        "Email an issued document with its PDF, under the partner's brand",
        SendEmailIn,
        SentEmailOut,
    ),
    Operation(
        "POST",
        "/editor/send-email",
        editor_send_email,
        "Email the editor session's document (Authorization: Editor <token>)",
        SendEmailIn,
        SentEmailOut,
        auth="editor_token",
    ),
)
