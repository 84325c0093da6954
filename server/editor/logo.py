"""The seller's logo sent from the editor: `PUT /editor/logo/<signed>` with the image
as the body (editor.logo.upload says why a link and not the live channel); and
the logo as the editor's page loads it, `GET /editor/seller-logo/<signed>` (by
digest, cached for a year: editor.logo.image).

`signed` names the partner, the company and the session's language (itsdangerous,
the service's rotating keys, valid a few minutes); the answer is JSON in that
language. The logo is checked as `PUT /companies/{id}/logo` checks it (Pillow
re-encoding, SVG sanitized, 1 MB) and stored in the same row.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from editor.logo.image import PATH as IMAGE_PATH
from editor.logo.image import LogoImageLinks, logo_image_response
from editor.logo.upload import answer, read_logo
from server.db.base import utcnow
from server.db.company_logos import CompanyLogo
from server.db.tenants import Company
from server.editor.pdf import PdfLinks
from server.printed_look import logo_image
from server.services import Services

SALT = "blanche.editor-logo.v1"
LINK_SECONDS = 300
PATH = "/editor/logo/{signed}"


class LogoLink(BaseModel):
    partner_id: int
    company_id: int
    locale: str


@dataclass(frozen=True, slots=True)
class LogoLinks:
    signing_keys: tuple[str, ...]
    public_url: str

    @classmethod
    def beside(cls, pdf_links: PdfLinks) -> LogoLinks:
        return cls(tuple(pdf_links.signing_keys), pdf_links.public_url)

    @property
    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(list(self.signing_keys), salt=SALT)

    def url(self, link: LogoLink) -> str:
        signed = self._serializer.dumps(link.model_dump())
        return f"{self.public_url.rstrip('/')}/editor/logo/{signed}"

    def read(self, signed: str) -> LogoLink | None:
        if len(signed) > 1000:
            return None
        try:
            return LogoLink.model_validate(self._serializer.loads(signed, max_age=LINK_SECONDS))
        except (BadData, ValidationError):
            return None


async def remove_company_logo(services: Services, partner_id: int, company_id: int) -> None:
    async with services.sessions() as db, db.begin():
        await db.execute(
            delete(CompanyLogo).where(
                CompanyLogo.company_id == company_id, CompanyLogo.partner_id == partner_id
            )
        )


def logo_routes(services: Services, pdf_links: PdfLinks) -> list[BaseRoute]:
    links = LogoLinks.beside(pdf_links)

    async def upload(request: Request) -> Response:
        link = links.read(request.path_params["signed"])
        if link is None:
            locale = request.headers.get("accept-language", "fr")[:2]
            return answer("logo_expired", locale)
        logo = await read_logo(request)  # before the transaction: the heavy part
        if isinstance(logo, str):
            return answer(logo, link.locale)
        async with services.sessions() as db, db.begin():
            company = await db.scalar(
                select(Company).where(
                    Company.id == link.company_id, Company.partner_id == link.partner_id
                )
            )
            if company is None:
                return answer("logo_failed", link.locale)
            row = await db.get(CompanyLogo, company.id)
            if row is None:
                row = CompanyLogo(company_id=company.id, partner_id=company.partner_id)
                db.add(row)
            row.media_type, row.content, row.sha256 = logo.media_type, logo.content, logo.sha256
            row.width, row.height, row.updated_at = logo.width, logo.height, utcnow()
        return answer(None, link.locale)

    images = LogoImageLinks(pdf_links.signing_keys)

    async def image(request: Request) -> Response:
        named = images.read(request.path_params["signed"])
        if named is None:
            return logo_image_response(request, None, None, "")
        company_id, sha256 = named
        async with services.sessions() as db, db.begin():
            logo = await logo_image(db, company_id, sha256)
        if logo is None:
            return logo_image_response(request, None, None, sha256)
        return logo_image_response(request, logo.media_type, logo.content, sha256)

    return [Route(PATH, upload, methods=["PUT"]), Route(IMAGE_PATH, image, methods=["GET"])]
