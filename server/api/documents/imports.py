"""Import a CII XML or a Factur-X PDF as a draft.

`POST /companies/{id}/documents/import`, the body the file itself (XML or PDF,
told apart by its first bytes), at most `MAX_IMPORT_BYTES`, read and parsed
before the transaction opens. The draft keeps the file's stated amounts while
what they are computed from is unedited; the answer, and every later GET of the
document, carries `import_report`: where those amounts differ from EN 16931's
computation, with the likely cause (see invoicing/amount_warnings.py).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from invoicing.cii.parsing import CiiReadError
from invoicing.cii.reader import ReadResult, read_cii
from invoicing.field_errors import FieldError
from invoicing.model import Document, DocumentKind
from server.api.documents.views import DocumentOut, document_out
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.documents.content import store_content
from server.endpoint import ApiCall
from server.http_json import json_response
from server.problems import Problem
from server.webhooks.events import document_event

# A Factur-X PDF carries its fonts (and may carry attachments): more than a JSON body.
MAX_IMPORT_BYTES = 8 * 1024 * 1024


def _read(body: bytes) -> ReadResult:
    if body.lstrip()[:5] == b"%PDF-":
        from invoicing.pdf.facturx_reader import read_facturx_pdf

        return read_facturx_pdf(body)
    return read_cii(body)


def _unreadable(error: CiiReadError) -> Problem:
    return Problem(
        422,
        "not_a_cii_invoice",
        "The file is not a readable CII invoice",
        f"{error} (send a Factur-X / EN 16931 CII XML, or a Factur-X PDF)",
        errors=[FieldError(error.path or "", str(error))],
    )


async def _parse(body: bytes) -> ReadResult | Problem:
    """The file read (CPU work: in a worker thread), or the problem to answer."""
    if not body.strip():
        return Problem(400, "empty_body", "Empty body", "Send the CII XML or the Factur-X PDF.")
    try:
        return await run_in_threadpool(_read, body)
    except CiiReadError as error:
        return _unreadable(error)


async def import_document(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    result = call.prepared
    if isinstance(result, Problem):
        raise result
    assert isinstance(result, ReadResult)
    document: Document = result.imported_document
    if document.kind is DocumentKind.QUOTE:  # pragma: no cover - CII has no quotes
        raise Problem(422, "not_an_invoice", "Not an invoice", "Quotes cannot be imported.")
    row = DocumentRow(
        partner_id=call.caller.partner_id,
        company_id=company.id,
        status="draft",
    )
    store_content(row, document)
    call.session.add(row)
    await call.session.flush()
    await document_event(call.session, row, "document.created")
    return json_response(document_out(row).model_dump(mode="json"), 201)


OPERATIONS = (
    Operation(
        "POST",
        "/companies/{id:int}/documents/import",
        import_document,
        "Import a CII XML or a Factur-X PDF (the body) as a draft; `import_report` lists "
        "the stated amounts that differ from EN 16931's computation",
        response=DocumentOut,
        status=201,
        max_body_bytes=MAX_IMPORT_BYTES,
        prepare=_parse,
    ),
)
