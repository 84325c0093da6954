"""The memory backend's file links: a signed, short-lived URL serves the Factur-X PDF,
another an issued document's CII XML."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from editor.analysis import PROFILE
from editor.backend import ActionRefused, EditorSession
from editor.memory_backend.store import MemoryStore, StoredDocument
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import DocumentKind
from invoicing.pdf.render import render_pdf

PDF_SALT = "blanche.editor-pdf.memory.v1"
PDF_URL_SECONDS = 300


class MemoryPdfLinks(MemoryStore):
    @cached_property
    def _pdf_links(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.signing_keys, salt=PDF_SALT)

    async def pdf_url(self, session: EditorSession, document_id: int) -> str:
        stored = self._document(session, document_id)
        if stored.content is None:
            raise ActionRefused("not_saved", "save the document first")
        signed = self._pdf_links.dumps(
            {"id": stored.id, "company_id": stored.company_id, "locale": session.options.locale}
        )
        return f"{self.public_url}/demo/pdf/{signed}"

    @property
    def pdf_routes(self) -> list[BaseRoute]:
        return [
            Route("/demo/pdf/{signed}", self._pdf, methods=["GET"]),
            Route("/demo/xml/{signed}", self._xml, methods=["GET"]),
        ]

    async def xml_url(self, session: EditorSession, document_id: int) -> str:
        stored = self._document(session, document_id)
        if stored.kind is DocumentKind.QUOTE:
            raise ActionRefused("quote_has_no_xml", "quotes have no Factur-X XML")
        if stored.status == "draft" or stored.content is None:
            raise ActionRefused("document_not_issued", "a draft's XML is not a document yet")
        signed = self._pdf_links.dumps({"id": stored.id, "company_id": stored.company_id})
        return f"{self.public_url}/demo/xml/{signed}"

    def _linked(self, request: Request) -> tuple[StoredDocument, Mapping[str, Any]] | Response:
        """The saved document a signed link names, with the link; else the answer."""
        try:
            link: Mapping[str, Any] = self._pdf_links.loads(
                request.path_params["signed"], max_age=PDF_URL_SECONDS
            )
        except BadData:
            return PlainTextResponse("This link has expired.", status_code=410)
        stored = self.documents.get(int(link["id"]))
        if stored is None or stored.company_id != link["company_id"] or stored.content is None:
            return PlainTextResponse("Not found", status_code=404)
        return stored, link

    async def _xml(self, request: Request) -> Response:
        linked = self._linked(request)
        if isinstance(linked, Response):
            return linked
        stored, _ = linked
        assert stored.content is not None
        return Response(
            to_xml_bytes(stored.content, PROFILE),
            media_type="application/xml",
            headers={"Content-Disposition": f'attachment; filename="{stored.number}.xml"'},
        )

    async def _pdf(self, request: Request) -> Response:
        linked = self._linked(request)
        if isinstance(linked, Response):
            return linked
        stored, link = linked
        assert stored.content is not None
        logo = self.printed_logo(stored)
        pdf = await asyncio.to_thread(
            render_pdf,
            stored.content,
            PROFILE,
            locale=str(link["locale"]),
            logo=logo.content if logo else None,
            logo_mime=logo.media_type if logo else None,
        )
        name = (stored.number or f"draft-{stored.id}") + ".pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
            },
        )
