"""A document's totals are stored with its content (`documents.totals`) and a list
reads them without loading the content; rows stored before that column existed
show the same totals, computed when read."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import DocumentRow
from server.settings import Settings
from tests.server.helpers import Partner, in_db


def test_a_list_shows_the_totals_of_each_document(partner_a: Partner, settings: Settings) -> None:
    company = partner_a.company()
    first = partner_a.draft(company["id"])
    second = partner_a.finalized(company["id"])
    listed = partner_a.ok(partner_a.get(f"/companies/{company['id']}/documents"))["items"]
    shown = {item["id"]: item for item in listed}
    for document in (first, second):
        one = partner_a.ok(partner_a.get(f"/documents/{document['id']}"))
        assert shown[document["id"]]["totals"] == one["totals"]
        assert one["totals"]["amount_due"] == document["totals"]["amount_due"]
        # Lists do not read the content: no import report, and the scope on one document only.
        summary = {k: v for k, v in one.items() if k not in ("document", "import_report", "scope")}
        assert summary == {k: v for k, v in shown[document["id"]].items() if k != "scope"}
        assert one["scope"] == "e_invoicing" and shown[document["id"]]["scope"] is None

    async def forget_totals(session: AsyncSession) -> None:  # as before migration 0007
        await session.execute(update(DocumentRow).values(totals=None))

    in_db(settings, forget_totals)
    again = partner_a.ok(partner_a.get(f"/companies/{company['id']}/documents"))["items"]
    assert again == listed
    assert partner_a.ok(partner_a.get(f"/documents/{first['id']}"))["totals"] == first["totals"]
