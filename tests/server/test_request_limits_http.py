"""Per-partner limits over HTTP, against the service as its own process: a partner
over its rate or with too many requests in flight gets `429` with `Retry-After`,
while another partner is served. (The limits live in the process, not the
database: SQLite only.)"""

from __future__ import annotations

from pathlib import Path

import httpx

from server.settings import LimitSettings, Settings, sqlite_url
from tests.server.helpers import make_partner
from tests.server.raw_http import partial_body
from tests.server.service_process import service_process


def _settings(tmp_path: Path, limits: LimitSettings) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url=sqlite_url(tmp_path / "var" / "blanche.db"),
        signing_keys=("test-signing-key",),
        body_seconds=300.0,
        limits=limits,
    )


def test_rate_limit_429_for_one_partner_while_another_is_served(tmp_path: Path) -> None:
    # One token every 1000 s: the bucket does not refill during the test.
    settings = _settings(tmp_path, LimitSettings(rate_per_second=0.001, burst=4))
    with service_process(settings) as base, httpx.Client(base_url=base, timeout=20) as http:
        flooding = make_partner(http, settings, "Flood", ["https://app.a.example"])
        other = make_partner(http, settings, "Other", ["https://app.b.example"])
        company = flooding.company()
        statuses = [flooding.get(f"/companies/{company['id']}").status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        refused = flooding.get(f"/companies/{company['id']}")
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 1000
        assert flooding.post("/companies", {"name": "More"}).status_code == 429
        other_company = other.company()
        for _ in range(3):
            other.ok(other.get(f"/companies/{other_company['id']}"))


def test_in_flight_cap_429_for_one_partner_while_another_is_served(tmp_path: Path) -> None:
    settings = _settings(tmp_path, LimitSettings(partner_in_flight=2))
    with service_process(settings) as base, httpx.Client(base_url=base, timeout=20) as http:
        parking = make_partner(http, settings, "Parking", ["https://app.a.example"])
        other = make_partner(http, settings, "Other", ["https://app.b.example"])
        company = parking.company()
        other_company = other.company()
        path = f"/api/v1/companies/{company['id']}/contacts"
        with partial_body(base, path, parking.key), partial_body(base, path, parking.key):
            # Both are admitted and reading their bodies (see partial_body).
            refused = parking.get(f"/companies/{company['id']}")
            assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
            assert int(refused.headers["Retry-After"]) >= 1
            other.ok(other.get(f"/companies/{other_company['id']}"))
            other.ok(
                other.post(
                    f"/companies/{other_company['id']}/contacts",
                    {"kind": "company", "name": "Client"},
                ),
                201,
            )
