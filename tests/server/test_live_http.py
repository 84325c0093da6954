"""A smoke test over real HTTP (uvicorn), checking that tokens never reach the logs."""

from __future__ import annotations

import logging

import httpx
import pytest

from server.app import create_app
from server.settings import Settings
from tests.server.helpers import company_body, document_body, make_partner
from tests.server.live_server import live_server


def test_partner_flow_over_real_http(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(settings)
    with live_server(app) as base_url, httpx.Client(base_url=base_url) as http:
        partner = make_partner(http, settings, "Live", ["https://app.live.example"])
        company = partner.ok(partner.post("/companies", company_body()), 201)
        user = partner.user(company["id"])
        draft = partner.ok(
            partner.post(f"/companies/{company['id']}/documents", document_body()), 201
        )
        # The first official check starts a worker process and compiles the stylesheets.
        invoice = partner.ok(partner.post(f"/documents/{draft['id']}/finalize", timeout=60))
        assert invoice["number"] == f"F-{invoice['issue_date'][:4]}-00001"
        xml = partner.get(f"/documents/{draft['id']}/xml")
        assert xml.status_code == 200 and invoice["number"].encode() in xml.content
        session = partner.ok(
            partner.post(
                "/editor-sessions",
                {
                    "company_id": company["id"],
                    "user_id": user["id"],
                    "document": {"id": draft["id"]},
                    "parent_origin": "https://app.live.example",
                },
            ),
            201,
        )
        token = session["token"]
        context = http.get("/api/v1/editor/context", headers={"Authorization": f"Editor {token}"})
        assert context.status_code == 200
        tampered = http.get(
            "/api/v1/editor/context", headers={"Authorization": f"Editor {token[:-3]}xyz"}
        )
        assert tampered.status_code == 401
        missing = http.get("/api/v1/nowhere")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert http.get("/api/v1/openapi.json").status_code == 200
    messages = [record.getMessage() for record in caplog.records]
    assert any("POST /api/v1/editor-sessions" in m for m in messages), "access log captured"
    for message in messages:
        assert token not in message and token[:40] not in message
        assert partner.key not in message
