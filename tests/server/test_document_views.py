"""A list's summaries are written without building the pydantic model
(`summary_data`): the JSON must be the model's, for documents in every state."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic_core import to_json
from sqlalchemy import null, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.api.documents.views import (
    DocumentList,
    DocumentSummary,
    document_json,
    document_out,
    document_summary,
    summary_data,
)
from server.db.documents import DocumentRow
from server.documents.content import keep_shown, load_content
from server.documents.payments import paris_today
from server.documents.quotes import shown_status
from server.settings import Settings
from tests.server.documents.flows import invoice_body, issue
from tests.server.helpers import Clock, Partner, in_db

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "invoicing" / "samples"


def _documents_in_every_state(partner: Partner) -> int:
    company = partner.company()["id"]
    partner.draft(company)
    paid = issue(partner, company, invoice_body(("2", "450.00", "20")))
    body = {"amount": "100.00", "paid_on": "2026-03-02", "means_code": "30"}
    partner.ok(partner.post(f"/documents/{paid['id']}/payments", body), 201)
    credited = issue(partner, company, invoice_body(("3", "120.50", "20")))
    lines = {"lines": [{"index": 0, "quantity": "1.5"}]}
    partner.ok(partner.post(f"/documents/{credited['id']}/credit-note", lines), 201)
    for converted in (True, False):  # converted into an invoice, or awaiting an answer
        quote = partner.draft(company, "quote")
        partner.ok(partner.post(f"/documents/{quote['id']}/finalize"))
        if converted:
            partner.ok(partner.post(f"/documents/{quote['id']}/convert"), 201)
    partner.draft(company, "quote")
    return company


def test_summary_data_is_the_models_json(partner_a: Partner, settings: Settings) -> None:
    company = _documents_in_every_state(partner_a)
    documents = in_db(settings, _rows)
    assert {row.status for row in documents} >= {"draft", "partially_paid", "finalized"}
    assert any(row.credit_scope for row in documents)
    assert any(row.converted_into_id for row in documents)
    for today in (dt.date(2026, 3, 2), dt.date(2030, 1, 1)):  # a quote expired, or not
        for row in documents:
            fast = json.loads(to_json(summary_data(row, today)))
            assert fast == json.loads(document_summary(row, today).model_dump_json())

    listed: dict[str, Any] = partner_a.ok(partner_a.get(f"/companies/{company}/documents"))
    assert DocumentList.model_validate(listed).model_dump(mode="json") == listed
    assert [item["id"] for item in listed["items"]] == [row.id for row in reversed(documents)]


def test_a_just_written_documents_json_is_the_models_to_the_byte_but_its_content(
    partner_a: Partner, settings: Settings
) -> None:
    """`document_json` of a row whose content was just written: the summary's bytes
    are the model's; the content spliced in holds the same values."""
    _documents_in_every_state(partner_a)
    for row in in_db(settings, _rows):
        keep_shown(row, load_content(row))  # as a create or a replacement leaves it
        written, shown = document_json(row), document_out(row).model_dump_json()
        assert written.split(',"document":')[0] == shown.split(',"document":')[0]
        assert json.loads(written) == json.loads(shown)


async def _rows(session: AsyncSession) -> list[DocumentRow]:
    return list(await session.scalars(select(DocumentRow).order_by(DocumentRow.id)))


def test_a_list_is_each_documents_summary_to_the_byte(
    partner_a: Partner, settings: Settings, clock: Clock
) -> None:
    """Read as column values, with the content only where a summary needs it (a
    quote awaiting an answer, expired or not; a row stored without totals), a page
    is the summaries' JSON, fields in the model's order."""
    company = _documents_in_every_state(partner_a)
    legacy = partner_a.draft(company)["id"]

    async def as_before_migration_0007(session: AsyncSession) -> None:
        await session.execute(
            update(DocumentRow).where(DocumentRow.id == legacy).values(totals=null())
        )

    in_db(settings, as_before_migration_0007)
    documents = in_db(settings, _rows)
    assert any(row.totals is None for row in documents)
    for days in (0, 3650):  # the quote awaiting an answer is then expired
        clock.advance(days=days)
        today = paris_today(clock())
        assert any(shown_status(row, today) == "expired" for row in documents) == (days > 0)
        response = partner_a.get(f"/companies/{company}/documents")
        page = {"items": [summary_data(row, today) for row in reversed(documents)]}
        page["next_cursor"] = None
        assert response.content == to_json(page)
        first = json.loads(response.content)["items"][0]
        assert list(first) == list(DocumentSummary.model_fields)


def test_an_empty_list_of_a_company_not_the_callers_is_not_found(
    partner_a: Partner, partner_b: Partner
) -> None:
    mine = partner_a.company()["id"]
    assert partner_a.ok(partner_a.get(f"/companies/{mine}/documents")) == {
        "items": [],
        "next_cursor": None,
    }
    assert partner_b.get(f"/companies/{mine}/documents").status_code == 404
    assert partner_b.get("/companies/2147483648/documents").status_code == 404


def test_a_created_or_replaced_documents_answer_is_what_reading_it_gives(
    partner_a: Partner,
) -> None:
    """Their answers splice the content just stored (`document_json`); a read
    serializes the model (`document_out`): the same JSON values."""
    company = partner_a.company()["id"]
    created = partner_a.draft(company)
    assert created == partner_a.ok(partner_a.get(f"/documents/{created['id']}"))

    xml = (SAMPLES_DIR / "gross_prices.xml").read_bytes()
    imported = partner_a.ok(
        partner_a.post(
            f"/companies/{company}/documents/import",
            content=xml,
            headers={"Content-Type": "application/xml"},
        ),
        201,
    )
    replaced = partner_a.ok(partner_a.put(f"/documents/{imported['id']}", imported["document"]))
    assert replaced["import_report"]["faithful"] is True and replaced["import_report"]["warnings"]
    read = partner_a.ok(partner_a.get(f"/documents/{imported['id']}"))
    assert replaced == read
    assert replaced["document"] == imported["document"]
