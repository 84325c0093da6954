"""Document downloads: the CII XML and the Factur-X PDF."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from invoicing.cii_writer import to_xml_bytes
from invoicing.model import Document
from invoicing.profiles import Profile
from server.api.documents import load_document
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.documents.content import load_content
from server.documents.status import Status, is_quote
from server.endpoint import ApiCall
from server.problems import Problem


def _filename(row: DocumentRow, extension: str) -> str:
    name = row.number or f"draft-{row.id}"
    return f'attachment; filename="{name}.{extension}"'


async def download_xml(call: ApiCall) -> Response:
    row = await load_document(call)
    if is_quote(row):
        raise Problem(
            409,
            "quote_has_no_xml",
            "Quotes have no Factur-X XML",
            "Convert the quote to an invoice: POST /api/v1/documents/{id}/convert.",
        )
    company = await call.caller.company(call.session, row.company_id)
    xml = (
        row.xml
        if row.xml is not None
        else to_xml_bytes(load_content(row), Profile(company.profile))
    )
    return Response(
        xml, media_type="application/xml", headers={"Content-Disposition": _filename(row, "xml")}
    )


def _render_pdf(document: Document, profile: Profile) -> bytes:
    from invoicing.pdf import render_pdf  # heavy (WeasyPrint): imported on first use

    return render_pdf(document, profile)


async def download_pdf(call: ApiCall) -> Response:
    """Finalized documents render once and are then served from storage."""
    row = await load_document(call)
    company = await call.caller.company(call.session, row.company_id)
    storage = call.services.storage
    key = f"pdf/{row.company_id}/{row.id}.pdf"
    pdf = storage.get(key) if row.status != Status.DRAFT else None
    if pdf is None:
        pdf = await run_in_threadpool(_render_pdf, load_content(row), Profile(company.profile))
        if row.status != Status.DRAFT:
            storage.put(key, pdf)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": _filename(row, "pdf")}
    )


OPERATIONS = (
    Operation(
        "GET",
        "/documents/{id:int}/xml",
        download_xml,
        "CII XML (as finalized; a draft's is a preview)",
        media_type="application/xml",
    ),
    Operation(
        "GET",
        "/documents/{id:int}/pdf",
        download_pdf,
        "Factur-X PDF/A-3",
        media_type="application/pdf",
    ),
)
