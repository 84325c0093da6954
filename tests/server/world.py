"""Two partners, each with a company full of objects, for tenant-isolation tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from server.api.operation import Operation
from tests.server.helpers import Partner, document_body

_PARAM = re.compile(r"\{id:int\}")


@dataclass
class Objects:
    company: int
    user: int
    contact: int
    contact_2: int
    product: int
    draft: int
    invoice: int
    quote: int
    webhook: int
    transmission: int  # the invoice's flow to the company's PA


def populate(partner: Partner, name: str) -> Objects:
    company = partner.company(name)["id"]
    user = partner.user(company)["id"]
    contacts = [
        partner.ok(
            partner.post(f"/companies/{company}/contacts", {"kind": "person", "name": n}), 201
        )["id"]
        for n in ("Jeanne", "Jean")
    ]
    product = partner.ok(
        partner.post(f"/companies/{company}/products", {"name": "Vis", "unit_price": "1.5"}), 201
    )["id"]
    draft = partner.draft(company, contact_id=contacts[0])["id"]
    pa = {"url": "https://pa.example.com/", "client_id": name, "client_secret": "secret"}
    partner.ok(partner.put(f"/companies/{company}/pa", pa))  # its invoices go through it
    invoice = partner.finalized(company)["id"]
    (sent,) = partner.ok(partner.get(f"/companies/{company}/pa/transmissions"))["items"]
    quote = partner.draft(company, "quote")["id"]
    webhook = partner.ok(
        partner.post("/webhooks", {"url": "https://hooks.example.com/h", "events": ["*"]}), 201
    )["id"]
    return Objects(
        company, user, contacts[0], contacts[1], product, draft, invoice, quote, webhook, sent["id"]
    )


def target_ids(operation: Operation, objects: Objects) -> list[int]:
    """The objects of `objects` an operation's path can name."""
    path = operation.path
    if path.startswith("/companies/"):
        return [objects.company]
    if path.startswith("/users/"):
        return [objects.user]
    if path.startswith("/contacts/{"):
        return [objects.contact]
    if path.startswith("/products/"):
        return [objects.product]
    if path.startswith("/documents/"):
        return [objects.draft, objects.invoice, objects.quote]
    if path.startswith("/webhooks/{"):
        return [objects.webhook]
    if path.startswith("/pa-transmissions/{"):
        return [objects.transmission]
    return []


def url(operation: Operation, object_id: int | None) -> str:
    return _PARAM.sub(str(object_id), operation.path) if object_id is not None else operation.path


def valid_body(operation: Operation, mine: Objects, target: Objects) -> Any:
    """A body that would succeed if the target objects were the caller's."""
    name = operation.handler.__name__
    bodies: dict[str, Any] = {
        "create_company": {"name": "X"},
        "update_company": {"name": "Renamed"},
        "create_user": {"name": "Intruder"},
        "update_user": {"name": "Renamed"},
        "create_contact": {"kind": "person", "name": "Intruder"},
        "update_contact": {"name": "Renamed"},
        "merge_contacts": {
            "contacts": [
                {"type": "person", "id": target.contact},
                {"type": "person", "id": target.contact_2},
            ],
            "target_contact": {"type": "person", "id": target.contact},
        },
        "create_product": {"name": "Intruder", "unit_price": "1"},
        "update_product": {"name": "Renamed"},
        "create_document": document_body(),
        "replace_document": document_body(),
        "pay_balance": {"paid_on": "2026-03-02"},
        "add_payment": {"amount": "1.00", "paid_on": "2026-03-02"},
        "create_deposit_invoice": {"amount": "10.00"},
        "settle_deposits": {"deposit_ids": []},
        "create_webhook": {
            "url": "https://hooks.example.com/x",
            "events": ["*"],
            "company_ids": [target.company],
        },
        "update_webhook": {"url": "https://evil.example.com/"},
        "change_companies": {"add": [mine.company]},
        "rotate_secret": {},
        "replay_webhook": {"from": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
        "draft_from_work_order": {
            "company_id": target.company,
            "customer": {"id": target.contact},
            "description": "Intrusion",
        },
        "create_editor_session": {
            "company_id": target.company,
            "user_id": target.user,
            "document": {"id": target.draft},
            "parent_origin": "https://app.a.example",
        },
    }
    return bodies.get(name)
