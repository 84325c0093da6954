"""The editor's "download XML": the CII of an issued invoice or credit note, as it
was finalized (the bytes the journal seals), through a signed link valid a few minutes
(`GET /editor/xml/<signed>`, the same scheme as the PDF's: no token in it)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from editor.backend import ActionRefused, EditorSession
from server.db.documents import DocumentRow
from server.documents.status import Status, is_quote
from server.editor.pdf import PdfLink, PdfLinks
from server.services import Services

PATH = "/editor/xml/{signed}"


def xml_links(signing_keys: Sequence[str], public_url: str) -> PdfLinks:
    return PdfLinks(signing_keys, public_url, kind="xml")


def check_xml(row: DocumentRow) -> None:
    """Only an issued invoice or credit note has its CII."""
    if is_quote(row):
        raise ActionRefused("quote_has_no_xml", "quotes have no Factur-X XML")
    if row.status == Status.DRAFT or row.xml is None:
        raise ActionRefused("document_not_issued", "a draft's XML is not a document yet")


def xml_link(links: PdfLinks, session: EditorSession, document_id: int) -> str:
    return links.url(
        PdfLink(
            partner_id=session.partner_id,
            company_id=session.company_id,
            document_id=document_id,
            locale=session.options.locale,
        )
    )


def xml_routes(services: Services, links: PdfLinks) -> list[BaseRoute]:
    async def download(request: Request) -> Response:
        link = links.read(request.path_params["signed"])
        if link is None:
            return PlainTextResponse("This link has expired: download again.", status_code=410)
        async with services.sessions() as db, db.begin():
            row = await db.scalar(
                select(DocumentRow).where(
                    DocumentRow.id == link.document_id,
                    DocumentRow.company_id == link.company_id,
                    DocumentRow.partner_id == link.partner_id,
                )
            )
        if row is None or row.xml is None or row.status == Status.DRAFT:
            return PlainTextResponse("Not found", status_code=404)
        return Response(
            row.xml,
            media_type="application/xml",
            headers={
                "Content-Disposition": f'attachment; filename="{row.number or row.id}.xml"',
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return [Route(PATH, download, methods=["GET"])]
