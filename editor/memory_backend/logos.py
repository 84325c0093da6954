"""The memory backend's seller logos: the company's current one for drafts, the one
of its issue for an issued document, set through a signed PUT link (editor.logo.upload)
and served by digest (editor.logo.image)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from editor.backend import EditorSession
from editor.logo.image import PATH, LogoImageLinks, logo_image_response
from editor.logo.upload import answer, read_logo
from editor.memory_backend.store import MemoryStore

LOGO_SALT = "blanche.editor-logo.memory.v1"
LOGO_URL_SECONDS = 300


class MemoryLogos(MemoryStore):
    @cached_property
    def _logo_links(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.signing_keys, salt=LOGO_SALT)

    @cached_property
    def _logo_images(self) -> LogoImageLinks:
        return LogoImageLinks(self.signing_keys)

    async def document_logo(self, session: EditorSession, document_id: int | None) -> str | None:
        if document_id is None:
            logo = self._company(session).seller_logo
        else:
            logo = self.printed_logo(self._document(session, document_id))
        return self._logo_images.path(session.company_id, logo.sha256) if logo else None

    async def logo_upload_url(self, session: EditorSession) -> str:
        signed = self._logo_links.dumps(
            {"company_id": session.company_id, "locale": session.options.locale}
        )
        return f"{self.public_url}/demo/logo/{signed}"

    async def remove_logo(self, session: EditorSession) -> None:
        self._company(session).seller_logo = None

    @property
    def logo_routes(self) -> list[BaseRoute]:
        return [
            Route("/demo/logo/{signed}", self._logo, methods=["PUT"]),
            Route(PATH, self._logo_image, methods=["GET"]),
        ]

    async def _logo_image(self, request: Request) -> Response:
        named = self._logo_images.read(request.path_params["signed"])
        if named is None:
            return logo_image_response(request, None, None, "")
        company_id, sha256 = named
        company = self.companies.get(company_id)
        kept = [company.seller_logo] if company is not None else []
        kept += [
            stored.logo for stored in self.documents.values() if stored.company_id == company_id
        ]
        found = next((logo for logo in kept if logo and logo.sha256 == sha256), None)
        if found is None:
            return logo_image_response(request, None, None, sha256)
        return logo_image_response(request, found.media_type, found.content, sha256)

    async def _logo(self, request: Request) -> Response:
        try:
            link: Mapping[str, Any] = self._logo_links.loads(
                request.path_params["signed"], max_age=LOGO_URL_SECONDS
            )
        except BadData:
            return answer("logo_expired", "fr")
        logo = await read_logo(request)
        if isinstance(logo, str):
            return answer(logo, str(link["locale"]))
        self.companies[int(link["company_id"])].seller_logo = logo
        return answer(None, str(link["locale"]))
