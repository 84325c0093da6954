"""Adversarial tests: tenant isolation on every operation, hostile bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.api.routes import OPERATIONS
from server.db.documents import DocumentRow
from server.db.models import Base
from server.settings import LimitSettings, Settings
from tests.server.helpers import API, Partner, company_body, document_body, in_db
from tests.server.world import Objects, populate, target_ids, url, valid_body

API_KEY_OPERATIONS = [op for op in OPERATIONS if op.auth == "api_key"]
BODY_LIMIT = 64 * 1024


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url=database_url,
        signing_keys=("test-signing-key",),
        public_url="https://blanche.test",
        max_body_bytes=BODY_LIMIT,
        # Hundreds of requests in a row: what is tested is each answer, not the rate
        # limit (tests/server/test_request_limits*.py), which a fast service reaches.
        limits=LimitSettings(rate_per_second=1e6, burst=1_000_000),
    )


def _snapshot(partner: Partner, objects: Objects) -> list[Any]:
    paths = [
        f"/companies/{objects.company}",
        f"/users/{objects.user}",
        f"/contacts/{objects.contact}",
        f"/contacts/{objects.contact_2}",
        f"/products/{objects.product}",
        f"/documents/{objects.draft}",
        f"/documents/{objects.invoice}",
        f"/documents/{objects.quote}",
        f"/companies/{objects.company}/documents",
        f"/companies/{objects.company}/contacts",
        f"/companies/{objects.company}/users",
        f"/companies/{objects.company}/journal",
        f"/webhooks/{objects.webhook}",
    ]
    return [partner.ok(partner.get(path)) for path in paths]


def _attack(attacker: Partner, mine: Objects, victim: Objects) -> list[str]:
    """Every operation aimed at the victim's objects; returns what was tried."""
    tried = []
    for operation in API_KEY_OPERATIONS:
        targets = target_ids(operation, victim)
        if not targets and operation.handler.__name__ not in {
            "merge_contacts",
            "create_editor_session",
            "create_webhook",
        }:
            continue
        for object_id in targets or [None]:
            body = valid_body(operation, mine, victim)
            response = attacker.request(operation.method, url(operation, object_id), json=body)
            assert response.status_code in {403, 404, 422}, (operation.path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            tried.append(operation.handler.__name__)
    return tried


def test_a_partner_never_reaches_another_partners_objects(
    partner_a: Partner, partner_b: Partner
) -> None:
    mine = populate(partner_a, "A company")
    victim = populate(partner_b, "B company")
    before = _snapshot(partner_b, victim)
    tried = _attack(partner_a, mine, victim)
    # Partner-wide operations: no object id to aim at another tenant.
    untargeted = {
        "get_partner",
        "list_companies",
        "create_company",
        "get_theme",
        "put_theme",
        "preview_theme",
        "get_theme_history",
        "create_studio_link",
        "list_webhooks",
        "list_all_deliveries",
        "get_work_order_settings",
        "put_work_order_settings",
        "get_editor_options",
        "put_editor_options",
    }
    assert set(tried) == {op.handler.__name__ for op in API_KEY_OPERATIONS} - untargeted
    assert _snapshot(partner_b, victim) == before
    listed = partner_a.ok(partner_a.get("/companies"))["items"]
    assert [c["id"] for c in listed] == [mine.company]
    foreign_contact = partner_a.post(
        f"/companies/{mine.company}/documents",
        document_body(),
        params={"contact_id": victim.contact},
    )
    assert foreign_contact.status_code == 404


def test_a_company_key_never_reaches_the_partners_other_companies(
    partner_a: Partner, settings: Settings
) -> None:
    mine = populate(partner_a, "Company 1")
    sibling = populate(partner_a, "Company 2")
    from server.operator_tasks import new_key

    async def work(session: AsyncSession) -> str:
        return (await new_key(session, partner_a.id, mine.company)).secret

    scoped = Partner(partner_a.id, in_db(settings, work), partner_a.client)
    before = _snapshot(partner_a, sibling)
    _attack(scoped, mine, sibling)
    assert _snapshot(partner_a, sibling) == before
    assert scoped.post("/companies", company_body()).json()["code"] == "key_scope"
    assert [c["id"] for c in scoped.ok(scoped.get("/companies"))["items"]] == [mine.company]
    assert scoped.ok(scoped.get(f"/documents/{mine.invoice}"))["id"] == mine.invoice
    listed = scoped.ok(scoped.get(f"/companies/{mine.company}/documents"))["items"]
    assert mine.invoice in [document["id"] for document in listed]


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer bk_not-a-key", "Basic dXNlcjpwYXNz", "Bearer ' OR 1=1 --"],
)
def test_every_operation_needs_a_valid_key(client: httpx.Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    for operation in API_KEY_OPERATIONS:
        response = client.request(
            operation.method, API + url(operation, 1), headers=headers, json={}
        )
        assert response.status_code == 401, operation.path
        assert response.json()["code"] == "unauthorized"


def test_revoked_key_is_refused(partner_a: Partner, settings: Settings) -> None:
    from server.api_keys import revoke_key
    from server.db.tenants import ApiKey

    partner_a.ok(partner_a.get("/partner"))

    async def work(session: AsyncSession) -> None:
        key_id = await session.scalar(select(ApiKey.id).where(ApiKey.partner_id == partner_a.id))
        assert key_id is not None
        await revoke_key(session, key_id)

    in_db(settings, work)
    assert partner_a.get("/partner").status_code == 401


HOSTILE_BODIES: list[tuple[str, bytes, set[int]]] = [
    ("truncated", b'{"name": ', {400}),
    ("array", b"[1, 2]", {422}),
    ("string", b'"hello"', {422}),
    ("empty", b"", {400}),
    ("not utf-8", b'{"name": "\xff\xfe"}', {400}),
    ("NaN", b'{"name": NaN}', {400}),
    ("deep", b"[" * 20_000 + b"]" * 20_000, {400}),
    ("very deep", b"[" * 100_000 + b"]" * 100_000, {413}),
    ("oversized", b'{"name": "' + b"x" * (BODY_LIMIT + 10) + b'"}', {413}),
    ("huge number", b'{"name": 1e999999, "unit_price": 1e999999}', {400, 422}),
    (
        "huge id",
        b'{"company_id": 99999999999999999999999, "user_id": -1, "document": {"id": 1e3}}',
        {404, 422},
    ),
]


def test_hostile_bodies_get_problem_details_never_500(partner_a: Partner) -> None:
    mine = populate(partner_a, "Mine")
    for operation in API_KEY_OPERATIONS:
        if operation.method not in {"POST", "PUT", "PATCH"} or operation.body is None:
            continue
        object_id = (target_ids(operation, mine) or [None])[0]
        for label, body, expected in HOSTILE_BODIES:
            response = partner_a.request(
                operation.method,
                url(operation, object_id),
                content=body,
                headers={"Content-Type": "application/json"},
            )
            allowed = expected
            if operation.path.startswith("/partners/me/theme") and label in {
                "oversized",
                "very deep",
            }:
                # A theme carries a logo: its own, larger body limit (about 1.4 MB).
                allowed = expected | {400, 422}
            if not operation.body_required and label == "empty":
                allowed = {201, 409}  # the body is optional: no body credits all that is left
            assert response.status_code in allowed, (operation.path, label, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert "Traceback" not in response.text


SQLISH = ["'; DROP TABLE documents; --", '" OR "1"="1', "1; SELECT pg_sleep(5)", "%' --"]


def test_sql_like_text_is_stored_verbatim(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()
    for text in SQLISH:
        contact = partner_a.ok(
            partner_a.post(
                f"/companies/{company['id']}/contacts",
                {"kind": "person", "name": text, "notes": text},
            ),
            201,
        )
        assert partner_a.ok(partner_a.get(f"/contacts/{contact['id']}"))["name"] == text
        body = document_body()
        body["buyer"]["name"] = text
        draft = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", body), 201)
        assert draft["document"]["buyer"]["name"] == text
        found = partner_a.ok(
            partner_a.get(f"/companies/{company['id']}/contacts", params={"q": text})
        )
        assert contact["id"] in [c["id"] for c in found["items"]]

    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(DocumentRow)) or 0)

    assert in_db(settings, count) == len(SQLISH)
    assert "documents" in Base.metadata.tables


@pytest.mark.parametrize(
    "path",
    [
        "/documents/99999999999999999999",
        "/documents/0",
        "/documents/-1",
        "/documents/abc",
        "/companies/1/documents?cursor=eyJiZWZvcmUiOiA5OTk5OTk5OTk5OTk5OX0",
        "/companies/1/documents?contact_id=99999999999",
        "/nope",
        "/documents/1/nope",
    ],
)
def test_odd_paths_are_404_or_400(partner_a: Partner, path: str) -> None:
    partner_a.company()
    response = partner_a.get(path)
    assert response.status_code in {400, 404}, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("id_", [2**31, 2**63, 32460777387305476096])
def test_ids_no_column_can_hold_are_no_object(partner_a: Partner, id_: int) -> None:
    partner_a.company()
    for method, path in [
        ("POST", f"/pa-transmissions/{id_}/retry"),
        ("GET", f"/documents/{id_}"),
        ("GET", f"/contacts/{id_}"),
    ]:
        response = partner_a.request(method, path)
        assert response.status_code == 404, (path, response.text)


def test_wrong_method_is_a_problem(partner_a: Partner) -> None:
    response = partner_a.request("PUT", "/companies")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
