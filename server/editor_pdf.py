"""The editor's "download PDF": a signed link valid a few minutes, no token in it.

`GET /editor/pdf/<signed>` where `signed` names the document, its tenant and
the session's language (itsdangerous, the service's rotating keys). An issued
document has one original PDF: rendered once, kept in the file storage under
the same key as the REST API's (`pdf/<company>/<id>.pdf`), whatever the
viewer's language. A draft is rendered on each download, in the session's
language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from invoicing.model import Document
from invoicing.profiles import Profile
from server.db.documents import DocumentRow
from server.db.tenants import Company
from server.documents.content import load_content
from server.documents.status import Status
from server.services import Services

SALT = "blanche.editor-pdf.v1"
LINK_SECONDS = 300
PATH = "/editor/pdf/{signed}"


class PdfLink(BaseModel):
    partner_id: int
    company_id: int
    document_id: int
    locale: str


@dataclass(frozen=True, slots=True)
class PdfLinks:
    signing_keys: Sequence[str]
    public_url: str

    @property
    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(list(self.signing_keys), salt=SALT)

    def url(self, link: PdfLink) -> str:
        signed = self._serializer.dumps(link.model_dump())
        return f"{self.public_url.rstrip('/')}/editor/pdf/{signed}"

    def read(self, signed: str) -> PdfLink | None:
        if len(signed) > 1000:
            return None
        try:
            return PdfLink.model_validate(self._serializer.loads(signed, max_age=LINK_SECONDS))
        except (BadData, ValidationError):
            return None


def _render(document: Document, profile: Profile, locale: str) -> bytes:
    from invoicing.pdf import render_pdf  # heavy (WeasyPrint): imported on first use

    return render_pdf(document, profile, locale=locale)


async def _document(services: Services, link: PdfLink) -> tuple[DocumentRow, Company] | None:
    async with services.sessions() as db, db.begin():
        found = (
            await db.execute(
                select(DocumentRow, Company)
                .join(Company, Company.id == DocumentRow.company_id)
                .where(
                    DocumentRow.id == link.document_id,
                    DocumentRow.company_id == link.company_id,
                    DocumentRow.partner_id == link.partner_id,
                    Company.partner_id == link.partner_id,
                )
            )
        ).one_or_none()
    return None if found is None else (found[0], found[1])


def pdf_routes(services: Services, links: PdfLinks) -> list[BaseRoute]:
    async def download(request: Request) -> Response:
        link = links.read(request.path_params["signed"])
        if link is None:
            return PlainTextResponse("This link has expired: download again.", status_code=410)
        found = await _document(services, link)
        if found is None:
            return PlainTextResponse("Not found", status_code=404)
        row, company = found
        profile = Profile(company.profile)
        if row.status == Status.DRAFT:
            pdf = await run_in_threadpool(_render, load_content(row), profile, link.locale)
        else:
            key = f"pdf/{row.company_id}/{row.id}.pdf"
            stored = services.storage.get(key)
            if stored is None:
                stored = await run_in_threadpool(_render, load_content(row), profile, "fr")
                services.storage.put(key, stored)
            pdf = stored
        name = row.number or f"draft-{row.id}"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{name}.pdf"',
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return [Route(PATH, download, methods=["GET"])]
