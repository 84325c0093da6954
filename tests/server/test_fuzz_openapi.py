"""Schemathesis against the OpenAPI document, over real HTTP: whatever the
generated request, the answer is never a 5xx, and every error is a problem."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from server.api.openapi import build_openapi  # noqa: E402
from server.api.routes import OPERATIONS  # noqa: E402
from server.app import create_app  # noqa: E402
from server.settings import Settings, sqlite_url  # noqa: E402
from tests.server.helpers import Partner, make_partner  # noqa: E402
from tests.server.live_server import live_server  # noqa: E402

# The PDF is CPU-bound rendering with no input but the id: covered by the API tests.
schema = schemathesis.openapi.from_dict(build_openapi(OPERATIONS)).exclude(path_regex="/pdf$")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Partner]]:
    var = tmp_path_factory.mktemp("fuzz") / "var"
    service_settings = Settings(
        var_dir=Path(var),
        database_url=sqlite_url(Path(var) / "blanche.db"),
        signing_keys=("fuzz-key",),
        max_body_bytes=256 * 1024,
    )
    import httpx

    with (
        live_server(create_app(service_settings)) as base_url,
        httpx.Client(base_url=base_url) as http,
    ):
        partner = make_partner(http, service_settings, "Fuzz", ["https://fuzz.example"])
        company = partner.company()
        partner.user(company["id"])
        partner.draft(company["id"])
        partner.finalized(company["id"])
        yield base_url, partner


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case: object, live: tuple[str, Partner]) -> None:
    base_url, partner = live
    response = case.call(  # type: ignore[attr-defined]
        base_url=base_url, headers={"Authorization": f"Bearer {partner.key}"}
    )
    assert response.status_code < 500, (case, response.text)  # type: ignore[attr-defined]
    if response.status_code >= 400:
        content_type = response.headers["content-type"]  # type: ignore[attr-defined]
        assert content_type == ["application/problem+json"], (case, response.text)  # type: ignore[attr-defined]
