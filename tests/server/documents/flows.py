"""Helpers of the document-flow tests: invoices to credit and pay, the official check."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.official import official_check
from invoicing.profiles import Profile
from server.db.webhooks import WebhookEvent
from server.settings import Settings
from tests.server.helpers import Partner, document_body, in_db


def invoice_body(*lines: tuple[str, str, str], kind: str = "invoice") -> dict[str, Any]:
    """The demo invoice with these lines: (quantity, net price, VAT rate)."""
    body = document_body(kind)
    body["allowances_charges"] = []
    body["lines"] = [
        {"name": f"Article {n}", "quantity": q, "net_price": p, "vat_rate": r, "unit": "C62"}
        for n, (q, p, r) in enumerate(lines)
    ]
    return body


# 65.00 + 842.97 excl. VAT at 20 %: 1,089.56 incl. VAT, the first line being 78.00 of it.
ISSUE_12 = (("1", "65.00", "20"), ("1", "842.97", "20"))


def issue(partner: Partner, company_id: int, body: dict[str, Any]) -> dict[str, Any]:
    draft = partner.ok(partner.post(f"/companies/{company_id}/documents", body), 201)
    return finalize(partner, draft["id"])


def finalize(partner: Partner, document_id: int) -> dict[str, Any]:
    issued = partner.ok(partner.post(f"/documents/{document_id}/finalize"))
    assert_official(partner, issued)
    return issued  # type: ignore[no-any-return]


def assert_official(partner: Partner, document: dict[str, Any]) -> None:
    """XSD + Factur-X EN 16931 (+ BR-FR when the document is in the reform's scope)."""
    xml = partner.get(f"/documents/{document['id']}/xml").content
    french = document.get("scope", "e_invoicing") in {"e_invoicing", "b2g"}
    result = official_check(xml, Profile.EN16931, french=french)
    assert result.ok, result.as_dict()


def get(partner: Partner, document_id: int) -> dict[str, Any]:
    return partner.ok(partner.get(f"/documents/{document_id}"))  # type: ignore[no-any-return]


def amount(text: str | None) -> Decimal:
    assert text is not None
    return Decimal(text)


def event_types(settings: Settings, document_id: int) -> list[str]:
    """The types of the webhook events about one document, in order."""

    async def work(session: AsyncSession) -> list[str]:
        rows = await session.scalars(select(WebhookEvent).order_by(WebhookEvent.id))
        events = [json.loads(row.payload) for row in rows]
        return [
            e["type"]
            for e in events
            if e["data"]["object_type"] == "document" and e["data"]["id"] == document_id
        ]

    return in_db(settings, work)
