"""Request bodies are read whole, within a size limit and a deadline, before any
transaction opens: a client that sends slowly holds nobody else up (issue 14's
slow-body attack), against the service running as its own process."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import httpx

from server.settings import Settings, sqlite_url
from tests.server.helpers import company_body, document_body, make_partner
from tests.server.raw_http import partial_body, read_response
from tests.server.service_process import service_process

# Longer than the client timeout below: were the slow request holding the write lock
# until its deadline, the other partner's writes would time out.
LONG_BODY_SECONDS = 300.0
CLIENT_SECONDS = 20.0


def test_a_body_held_open_locks_nothing_for_other_partners(settings: Settings) -> None:
    settings = dataclasses.replace(settings, body_seconds=LONG_BODY_SECONDS)
    with (
        service_process(settings) as base,
        httpx.Client(base_url=base, timeout=CLIENT_SECONDS) as http,
    ):
        attacker = make_partner(http, settings, "Attacker", ["https://app.a.example"])
        other = make_partner(http, settings, "Other", ["https://app.b.example"])
        attacker_company = attacker.company()
        company = other.company()
        path = f"/api/v1/companies/{attacker_company['id']}/contacts"
        with partial_body(base, path, attacker.key), partial_body(base, path, attacker.key):
            # Writes (each takes the write lock) and reads of the other partner, served.
            draft = other.draft(company["id"])
            other.ok(other.put(f"/documents/{draft['id']}", document_body()))
            contact = other.ok(
                other.post(
                    f"/companies/{company['id']}/contacts", {"kind": "company", "name": "Client"}
                ),
                201,
            )
            listed = other.ok(other.get(f"/companies/{company['id']}/documents"))
            assert [item["id"] for item in listed["items"]] == [draft["id"]]
            assert other.ok(other.get(f"/contacts/{contact['id']}"))["name"] == "Client"
            # The attacker's own other requests too.
            attacker.ok(attacker.post("/companies", company_body("Second")), 201)
        # Nothing of the abandoned request was written.
        contacts = attacker.ok(attacker.get(f"/companies/{attacker_company['id']}/contacts"))
        assert contacts["items"] == []


def test_body_deadline_408_and_size_limit_413(tmp_path: Path) -> None:
    """Both with a field-level message; nothing written. (The database plays no
    part before the body is read: SQLite only.)"""
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=sqlite_url(tmp_path / "var" / "blanche.db"),
        signing_keys=("test-signing-key",),
        max_body_bytes=4096,
        body_seconds=1.0,
    )
    with (
        service_process(settings) as base,
        httpx.Client(base_url=base, timeout=CLIENT_SECONDS) as http,
    ):
        partner = make_partner(http, settings, "Client", ["https://app.a.example"])
        company = partner.company()
        path = f"/companies/{company['id']}/contacts"
        with partial_body(base, "/api/v1" + path, partner.key) as sock:
            slow = read_response(sock)
        assert slow.status == 408
        assert slow.headers["content-type"] == "application/problem+json"
        assert slow.json()["code"] == "body_timeout"
        assert slow.json()["detail"] == "The whole body must arrive within 1 s of the request."
        assert slow.json()["errors"] == [
            {
                "field": "body",
                "message": "The body did not arrive in full within 1 s: send it faster.",
            }
        ]
        with partial_body(base, "/api/v1" + path, partner.key, accept_language="fr") as sock:
            slow_fr = read_response(sock).json()
        assert slow_fr["code"] == "body_timeout" and slow_fr["title"] == "Request body too slow"
        assert slow_fr["detail"] == ("Le corps entier doit arriver au plus 1 s après la requête.")
        assert slow_fr["errors"] == [
            {
                "field": "body",
                "message": "Le corps n'est pas arrivé en entier en 1 s : envoyez-le plus vite.",
            }
        ]

        large = {"kind": "company", "name": "x" * 200, "notes": "y" * 5000}
        declared = partner.post(path, large)
        content = json.dumps(large).encode()

        def chunks() -> Iterator[bytes]:
            yield content[:2000]
            yield content[2000:]

        chunked = partner.request("POST", path, content=chunks())  # no Content-Length
        for response in (declared, chunked):
            assert response.status_code == 413, response.text
            problem = response.json()
            assert problem["code"] == "body_too_large"
            assert problem["detail"] == "The body is too large: 4096 bytes at most."
            assert problem["errors"] == [{"field": "body", "message": "Send 4096 bytes at most."}]
        french = partner.post(path, large, headers={"Accept-Language": "fr"}).json()
        assert french["code"] == "body_too_large" and french["title"] == "Request body too large"
        assert french["detail"] == "Le corps est trop grand : 4096 octets au plus."
        assert french["errors"] == [{"field": "body", "message": "Envoyez 4096 octets au plus."}]
        assert partner.ok(partner.get(path))["items"] == []
        # Under the limit and in time: a body like any other.
        partner.ok(partner.post(path, {"kind": "company", "name": "Client"}), 201)
