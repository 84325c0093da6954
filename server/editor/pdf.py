"""The editor's "download PDF": a signed link valid a few minutes, no token in it.

`GET /editor/pdf/<signed>` where `signed` names the document, its tenant and
the session's language (itsdangerous, the service's rotating keys). An issued
document has one original PDF: rendered once, kept in the file storage under
the same key as the REST API's (`pdf/<company>/<id>.pdf`), whatever the
viewer's language, with the seller's logo of its issue (server.printed_look). A
draft is rendered in the session's language, and kept by content, logo and theme
(server.documents.pdf): rendering happens in the work pool, after the database
transaction that read the document has ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from invoicing.profiles import Profile
from server.db.documents import DocumentRow
from server.db.tenants import Company
from server.documents.content import load_content
from server.documents.pdf import DeferredPdf
from server.documents.status import Status
from server.printed_look import DraftLook, draft_look, look_when_rendered
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
    kind: str = "pdf"  # "xml": the same links for the CII (server/editor/xml.py)

    @property
    def _serializer(self) -> URLSafeTimedSerializer:
        salt = SALT if self.kind == "pdf" else f"blanche.editor-{self.kind}.v1"
        return URLSafeTimedSerializer(list(self.signing_keys), salt=salt)

    def url(self, link: PdfLink) -> str:
        signed = self._serializer.dumps(link.model_dump())
        return f"{self.public_url.rstrip('/')}/editor/{self.kind}/{signed}"

    def read(self, signed: str) -> PdfLink | None:
        if len(signed) > 1000:
            return None
        try:
            return PdfLink.model_validate(self._serializer.loads(signed, max_age=LINK_SECONDS))
        except (BadData, ValidationError):
            return None


async def _document(
    services: Services, link: PdfLink
) -> tuple[DocumentRow, Company, DraftLook | None] | None:
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
        if found is None:
            return None
        row = found[0]
        # An issued document's look is read only if its PDF must be rendered; a
        # draft's logo image only if its PDF is not in the cache.
        look = (
            await draft_look(db, services.read_sessions, row, link.partner_id)
            if row.status == Status.DRAFT
            else None
        )
    return row, found[1], look


def pdf_routes(services: Services, links: PdfLinks) -> list[BaseRoute]:
    async def download(request: Request) -> Response:
        link = links.read(request.path_params["signed"])
        if link is None:
            return PlainTextResponse("This link has expired: download again.", status_code=410)
        found = await _document(services, link)
        if found is None:
            return PlainTextResponse("Not found", status_code=404)
        row, company, look = found
        profile, document = Profile(company.profile), load_content(row)
        pdfs = services.pdfs
        if look is not None:  # a draft's
            produce = partial(
                pdfs.draft, row.company_id, document, profile, link.locale, link.partner_id, look
            )
        else:
            loader = look_when_rendered(services.read_sessions, row, link.partner_id)
            produce = partial(
                pdfs.issued, row.company_id, row.id, document, profile, link.partner_id, loader
            )
        draft_word = "brouillon" if link.locale.startswith("fr") else "draft"
        name = row.number or f"{draft_word}-{row.id}"
        return DeferredPdf(
            produce,
            {
                "Content-Disposition": f'attachment; filename="{name}.pdf"',
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return [Route(PATH, download, methods=["GET"])]
