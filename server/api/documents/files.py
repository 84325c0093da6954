"""Document downloads: the CII XML and the Factur-X PDF."""

from __future__ import annotations

from functools import partial

from starlette.responses import Response

from invoicing.cii.writer import to_xml_bytes
from invoicing.profiles import Profile
from server.api.documents.crud import load_document
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.documents.content import load_content
from server.documents.pdf import DeferredPdf
from server.documents.status import Status, is_quote
from server.endpoint import ApiCall
from server.printed_look import draft_look, look_when_rendered
from server.problems import Refusal


def _filename(row: DocumentRow, extension: str) -> str:
    name = row.number or f"draft-{row.id}"
    return f'attachment; filename="{name}.{extension}"'


async def download_xml(call: ApiCall) -> Response:
    row = await load_document(call)
    if is_quote(row):
        raise Refusal(
            409,
            "quote_has_no_xml",
            "Quotes have no Factur-X XML",
            "Convert the quote to an invoice: POST /api/v1/documents/{id}/convert.",
            "Convertissez le devis en facture : POST /api/v1/documents/{id}/convert.",
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


async def download_pdf(call: ApiCall) -> Response:
    """Rendered in the work pool once the request's transaction has ended:
    finalized documents once (then from storage), drafts once per content."""
    row = await load_document(call)
    company = await call.caller.company(call.session, row.company_id)
    document, profile = load_content(row), Profile(company.profile)
    pdfs, partner_id = call.services.pdfs, call.caller.partner_id
    if row.status == Status.DRAFT:
        look = await draft_look(call.session, call.services.read_sessions, row, partner_id)
        produce = partial(pdfs.draft, row.company_id, document, profile, "fr", partner_id, look)
    else:  # stored once rendered: logo and theme read only for that first render
        loader = look_when_rendered(call.services.read_sessions, row, partner_id)
        produce = partial(
            pdfs.issued, row.company_id, row.id, document, profile, partner_id, loader
        )
    return DeferredPdf(produce, {"Content-Disposition": _filename(row, "pdf")})


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
