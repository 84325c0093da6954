"""The journal of a company's issued documents and their later events (see
docs/journal.md), and its verification."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from sqlalchemy import select
from starlette.responses import Response

from server.api.common import Output, respond
from server.api.operation import Operation
from server.db.documents import JournalEntry
from server.documents.journal import verify_journal
from server.endpoint import ApiCall


class JournalEntryOut(Output):
    position: int
    document_id: int
    number: str
    kind: str = Field(description="issued, sent, paid, cancelled, payment, credit_note...")
    format: int = Field(description="2: entry_hash covers kind and facts; 1: before 0005")
    facts: str | None = Field(
        None, description="canonical JSON the hash covers (state, legal facts, event)"
    )
    xml_sha256: str
    previous_hash: str
    entry_hash: str
    key_id: str | None = Field(None, description="the journal key that sealed the entry")
    seal: str | None = Field(
        None, description="HMAC-SHA256 of company, position and entry hash (docs/journal.md)"
    )
    created_at: dt.datetime


class Journal(Output):
    items: list[JournalEntryOut]


class JournalProblem(Output):
    problem: str
    position: int | None = None
    document_id: int | None = None
    number: str | None = None
    fact: str | None = Field(None, description="the column or fact that differs")
    expected: str | None = Field(None, description="what the journal chained")
    found: str | None = Field(None, description="what the database holds now")
    series: str | None = None


class JournalVerification(Output):
    company_id: int
    ok: bool
    entries: int
    head: str
    sealed_to: int
    anchored_to: int | None
    problems: list[JournalProblem]


async def get_journal(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    entries = await call.session.scalars(
        select(JournalEntry)
        .where(
            JournalEntry.partner_id == call.caller.partner_id,
            JournalEntry.company_id == company.id,
        )
        .order_by(JournalEntry.position)
    )
    return respond(Journal, {"items": list(entries)})


async def verify(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    report = await verify_journal(call.session, company.id)
    return respond(JournalVerification, report.as_dict())


OPERATIONS = (
    Operation(
        "GET",
        "/companies/{id:int}/journal",
        get_journal,
        "The company's hash journal",
        response=Journal,
    ),
    Operation(
        "GET",
        "/companies/{id:int}/journal/verify",
        verify,
        "Recompute the chain from the stored documents",
        response=JournalVerification,
    ),
)
