"""A create builds its draft ahead from the defaults its process read last, and keeps
it only if the company's columns still read the same."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.api.documents import company_defaults, crud
from server.api.documents.company_defaults import RememberedDefaults
from server.caller import Caller
from server.db.tenants import Company
from server.db.tenants import Partner as PartnerRow
from server.operator_tasks import new_key
from server.settings import Settings
from tests.server.helpers import Partner, document_body, in_db


def _sellerless() -> dict[str, Any]:
    body = document_body()
    del body["seller"], body["payment_terms"]
    return body


def test_each_draft_takes_the_defaults_its_company_has_when_it_is_created(
    partner_a: Partner, settings: Settings
) -> None:
    company = partner_a.company()
    path = f"/companies/{company['id']}/documents"
    first = partner_a.ok(partner_a.post(path, _sellerless()), 201)
    assert first["document"]["seller"]["name"] == "Atelier Blanc SARL"
    again = partner_a.ok(partner_a.post(path, _sellerless()), 201)  # built ahead
    assert again["document"] == first["document"]

    seller = {**company["seller"], "name": "Atelier Noir « été »"}
    partner_a.ok(partner_a.patch(f"/companies/{company['id']}", {"seller": seller}))
    renamed = partner_a.ok(partner_a.post(path, _sellerless()), 201)
    assert renamed["document"]["seller"]["name"] == "Atelier Noir « été »"

    # Changed behind the API's back (another process, a script): read again all the same.
    async def rename(session: AsyncSession) -> None:
        await session.execute(
            text("UPDATE companies SET payment_terms = :terms WHERE id = :id"),
            {"terms": "Paiement à réception", "id": company["id"]},
        )

    in_db(settings, rename)
    for _ in range(2):  # read again, then built ahead from it
        draft = partner_a.ok(partner_a.post(path, _sellerless()), 201)
        assert draft["document"]["seller"]["name"] == "Atelier Noir « été »"
        assert draft["document"]["payment_terms"] == "Paiement à réception"
        assert partner_a.ok(partner_a.get(f"/documents/{draft['id']}")) == draft


def test_a_company_the_caller_may_not_see_is_missing_whatever_was_read_before(
    partner_a: Partner, partner_b: Partner, settings: Settings
) -> None:
    company = partner_a.company()
    other = partner_a.company("Atelier Gris")
    path = f"/companies/{company['id']}/documents"
    partner_a.ok(partner_a.post(path, document_body()), 201)
    partner_a.ok(partner_a.post(path, document_body()), 201)
    assert partner_b.post(path, document_body()).status_code == 404
    assert partner_b.post(path, {"surprise": 1}).status_code == 404  # the company first

    async def key_for_other(session: AsyncSession) -> str:
        return (await new_key(session, partner_a.id, other["id"])).secret

    restricted = Partner(partner_a.id, in_db(settings, key_for_other), partner_a.client)
    assert restricted.post(path, document_body()).status_code == 404
    restricted.ok(restricted.post(f"/companies/{other['id']}/documents", document_body()), 201)
    assert partner_a.post("/companies/99999/documents", document_body()).status_code == 404


def test_a_draft_with_a_contact_or_a_user_is_linked_to_them(partner_a: Partner) -> None:
    company = partner_a.company()
    path = f"/companies/{company['id']}/documents"
    partner_a.ok(partner_a.post(path, document_body()), 201)
    user = partner_a.user(company["id"])
    contact = partner_a.ok(
        partner_a.post(
            f"/companies/{company['id']}/contacts",
            {"kind": "company", "name": "Boulangerie Martin", "siren": "552100554"},
        ),
        201,
    )
    body = document_body()
    body["buyer"] = {}
    params = {"contact_id": contact["id"], "user_id": user["id"]}
    draft = partner_a.ok(partner_a.post(path, body, params=params), 201)
    assert draft["contact_id"] == contact["id"] and draft["user_id"] == user["id"]
    assert draft["document"]["buyer"]["name"] == "Boulangerie Martin"
    with_user = partner_a.ok(
        partner_a.post(path, document_body(), params={"user_id": user["id"]}), 201
    )
    assert with_user["user_id"] == user["id"] and with_user["contact_id"] is None


def test_the_defaults_read_as_text_are_what_the_columns_hold(
    partner_a: Partner, settings: Settings
) -> None:
    partner_a.company()
    remembered = RememberedDefaults()

    async def read_both(session: AsyncSession) -> tuple[Any, Company]:
        company = await session.get_one(Company, 1)
        caller = Caller(await session.get_one(PartnerRow, company.partner_id), None, "127.0.0.1")
        seen = await remembered.read(session, caller, company.id, None)
        assert remembered.guess(caller, company.id) == seen
        assert await remembered.read(session, caller, company.id, seen) is seen
        return seen.defaults, company

    defaults, company = in_db(settings, read_both)
    assert defaults.seller == company.seller and defaults.seller
    assert defaults.payment_term == company.payment_term
    assert defaults.legal_notes == company.legal_notes
    assert defaults.payment_terms == company.payment_terms


def test_a_process_remembers_a_bounded_number_of_companies(
    partner_a: Partner, settings: Settings
) -> None:
    ids = [partner_a.company(f"Atelier {n}")["id"] for n in range(3)]
    remembered = RememberedDefaults(size=2)

    async def read_all(session: AsyncSession) -> list[bool]:
        company = await session.get_one(Company, ids[0])
        caller = Caller(await session.get_one(PartnerRow, company.partner_id), None, "127.0.0.1")
        for company_id in ids:
            await remembered.read(session, caller, company_id, None)
        return [remembered.guess(caller, company_id) is not None for company_id in ids]

    assert in_db(settings, read_all) == [False, True, True]


def test_a_draft_built_ahead_is_written_by_one_statement_that_checks_its_company(
    partner_a: Partner, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once its company is remembered, a create does not read it: the INSERT finds
    it unchanged (on either database: the same text as the columns hold)."""
    reads: list[object] = []
    counted = {
        restricted: _Counted(statement, reads)
        for restricted, statement in company_defaults._STATEMENTS.items()
    }
    monkeypatch.setattr(company_defaults, "_STATEMENTS", counted)
    monkeypatch.setattr(crud, "REMEMBERED", RememberedDefaults())  # nothing read before
    company = partner_a.company()
    path = f"/companies/{company['id']}/documents"
    partner_a.ok(partner_a.post(path, _sellerless()), 201)
    assert len(reads) == 1
    for _ in range(3):
        draft = partner_a.ok(partner_a.post(path, _sellerless()), 201)
        assert draft["document"]["seller"]["name"] == "Atelier Blanc SARL"
    assert len(reads) == 1
    partner_a.ok(partner_a.patch(f"/companies/{company['id']}", {"payment_terms": "À 45 jours"}))
    changed = partner_a.ok(partner_a.post(path, _sellerless()), 201)
    assert changed["document"]["payment_terms"] == "À 45 jours"
    assert len(reads) == 2


class _Counted:
    """The company's read, counted."""

    def __init__(self, statement: Any, reads: list[object]) -> None:
        self._statement = statement
        self._reads = reads

    def rows_in(self, *args: Any) -> Any:
        self._reads.append(args)
        return self._statement.rows_in(*args)
