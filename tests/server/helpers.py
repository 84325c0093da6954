"""Test helpers: a settable clock, a partner with its API key, sample bodies."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import DocumentKind
from invoicing.samples import demo_invoice, seller
from server import operator_tasks
from server.db.engine import create_engine, session_factory
from server.db.tenants import Partner as PartnerRow
from server.documents.journal import JournalSeal, bind_seal
from server.settings import Settings

T = TypeVar("T")
API = "/api/v1"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def in_db(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in its own committed transaction, outside the app."""

    async def run() -> T:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        bind_seal(sessions, JournalSeal.for_settings(settings))
        try:
            async with sessions() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def document_body(kind: str = "invoice", lines: int = 3) -> dict[str, Any]:
    document = demo_invoice(lines)
    document = document.model_copy(
        update={
            "number": None,
            "issue_date": None,
            "payment_reference": None,
            "kind": DocumentKind(kind),
        }
    )
    body = document.model_dump(mode="json", exclude_none=True)
    # The key of samples.buyer()'s VAT number is wrong (reported); use the right one.
    body["buyer"]["vat_id"] = "FR96552100554"
    return body


def company_body(name: str = "Atelier Blanc") -> dict[str, Any]:
    return {
        "name": name,
        "seller": seller().model_dump(mode="json", exclude_none=True),
        "payment_term": {"kind": "days", "days": 30},  # gives documents a due date
    }


@dataclass
class Partner:
    id: int
    key: str
    client: httpx.Client

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}", **kwargs.pop("headers", {})}
        return self.client.request(method, API + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def ok(self, response: httpx.Response, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()

    def company(self, name: str = "Atelier Blanc") -> dict[str, Any]:
        return self.ok(self.post("/companies", company_body(name)), 201)  # type: ignore[no-any-return]

    def user(self, company_id: int, name: str = "Claire") -> dict[str, Any]:
        return self.ok(self.post(f"/companies/{company_id}/users", {"name": name}), 201)  # type: ignore[no-any-return]

    def draft(self, company_id: int, kind: str = "invoice", **params: Any) -> dict[str, Any]:
        response = self.post(
            f"/companies/{company_id}/documents", document_body(kind), params=params
        )
        return self.ok(response, 201)  # type: ignore[no-any-return]

    def finalized(self, company_id: int, kind: str = "invoice") -> dict[str, Any]:
        draft = self.draft(company_id, kind)
        return self.ok(self.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def make_partner(
    client: httpx.Client,
    settings: Settings,
    name: str,
    origins: list[str],
    ips: list[str] | None = None,
    account_creations_per_hour: int | None = 100,
) -> Partner:
    async def work(session: AsyncSession) -> tuple[int, str]:
        created = await operator_tasks.create_partner(session, name, origins, ips or [])
        await session.execute(
            update(PartnerRow)
            .where(PartnerRow.id == created.partner_id)
            .values(account_creations_per_hour=account_creations_per_hour)
        )
        return created.partner_id, created.key.secret

    partner_id, key = in_db(settings, work)
    return Partner(partner_id, key, client)
