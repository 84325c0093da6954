"""A PDF produced as the response is sent: a problem met while rendering it is
answered in the caller's language like any other."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.documents.pdf import DeferredPdf
from server.problems import refused_request


async def _busy() -> bytes:
    raise refused_request(503, "pdf_busy", "PDF not available now", headers={"Retry-After": "2"})


async def _pdf(request: Request) -> Response:
    return DeferredPdf(_busy, {"Content-Disposition": "inline"})


def _get(language: str) -> httpx.Response:
    async def call() -> httpx.Response:
        app = Starlette(routes=[Route("/pdf", _pdf)])
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/pdf", headers={"Accept-Language": language})

    return asyncio.run(call())


def test_a_pdf_not_rendered_is_said_in_the_callers_language() -> None:
    french, english = _get("fr-FR,fr;q=0.9"), _get("en")
    for response in (french, english):
        assert response.status_code == 503 and response.headers["retry-after"] == "2"
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "pdf_busy"
    assert french.json()["detail"] == (
        "Trop de PDF sont en cours de rendu pour vous : réessayez dans un instant."
    )
    assert english.json()["detail"] == "Too many PDFs are being rendered for you; retry shortly."
