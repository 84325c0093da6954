"""The seller's logo as the editor's page loads it, on the service's database: the
editor backend names it by a signed path with its digest (not its bytes), the
service serves that path with a year's cache; an issued document's path stays the
logo of its issue after the company's logo changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from anyio.from_thread import start_blocking_portal

from server.editor.backend import DatabaseEditorBackend
from server.settings import Settings
from tests.server.asgi_client import _PortalTransport
from tests.server.helpers import make_partner
from tests.server.test_printed_logo import png

HOST = "https://app.a.example"


@pytest.fixture
def http(app: Any) -> Iterator[tuple[httpx.Client, Any]]:
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        httpx.Client(
            transport=_PortalTransport(portal, app, "127.0.0.1"), base_url="https://blanche.test"
        ) as client,
    ):
        yield client, portal


def test_the_editor_names_the_logo_by_digest_and_the_service_serves_it(
    http: tuple[httpx.Client, Any], app: Any, settings: Settings
) -> None:
    client, portal = http
    backend: DatabaseEditorBackend = app.state.editor.backend
    partner = make_partner(client, settings, "Partner A", [HOST])
    company = partner.company()
    user = partner.user(company["id"])
    logo_path = f"/companies/{company['id']}/logo"

    def path_of(document_id: int) -> str | None:
        minted = partner.post(
            "/editor-sessions",
            {
                "company_id": company["id"],
                "user_id": user["id"],
                "document": {"id": document_id},
                "parent_origin": HOST,
            },
        )
        token = partner.ok(minted, 201)["token"]

        async def named() -> str | None:
            session = await backend.resolve_session(token)
            return await backend.document_logo(session, document_id)

        found: str | None = portal.call(named)
        return found

    draft = partner.draft(company["id"])
    assert path_of(draft["id"]) is None  # no logo: none printed
    partner.ok(
        partner.put(logo_path, content=png((120, 40)), headers={"Content-Type": "image/png"})
    )
    first = partner.get(logo_path).content
    issued = partner.finalized(company["id"])
    draft_path = path_of(draft["id"])
    assert draft_path is not None and draft_path.startswith("/editor/seller-logo/")
    assert path_of(issued["id"]) == draft_path  # the same image, the same path

    served = client.get(draft_path)  # no credentials: the signed path is the right
    assert served.status_code == 200 and served.content == first
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (
        client.get(draft_path, headers={"If-None-Match": served.headers["etag"]}).status_code == 304
    )

    second = png((50, 50), (200, 30, 30))
    partner.ok(partner.put(logo_path, content=second, headers={"Content-Type": "image/png"}))
    new_path = path_of(draft["id"])
    assert new_path is not None and new_path != draft_path
    assert client.get(new_path).content == partner.get(logo_path).content
    assert path_of(issued["id"]) == draft_path  # the logo of its issue...
    assert client.get(draft_path).content == first  # ...served from what issue kept

    partner.ok(partner.delete(logo_path))
    assert path_of(draft["id"]) is None
    assert client.get(new_path).status_code == 404  # nobody's logo any more
    assert client.get(draft_path[:-4] + "AAAA").status_code == 404
