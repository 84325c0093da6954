"""The journal chains each issued document's legal facts and later events."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import DocumentRow, JournalEntry
from server.db.engine import create_engine, session_factory
from server.documents.journal import (
    GENESIS,
    JournalSeal,
    append_event,
    bind_seal,
    entry_hash,
    facts_hash,
)
from server.documents.journal.chain import document_state
from server.settings import Settings
from tests.server.documents.journal.reports import verify_report
from tests.server.documents.journal.tampers import set_columns
from tests.server.helpers import Partner, in_db


def test_journal_chains_issues_and_later_events(
    partner_a: Partner, issued: tuple[int, list[int]]
) -> None:
    company_id, ids = issued
    journal = partner_a.ok(partner_a.get(f"/companies/{company_id}/journal"))["items"]
    assert [(e["document_id"], e["kind"]) for e in journal] == [
        (ids[0], "issued"),
        (ids[1], "issued"),
        (ids[2], "issued"),
        (ids[1], "sent"),
        (ids[1], "payment"),
        (ids[3], "issued"),
        (ids[0], "credit_note"),
        (ids[0], "cancelled"),
    ]
    assert [e["position"] for e in journal] == list(range(1, 9))
    assert journal[0]["previous_hash"] == GENESIS
    for before, after in itertools.pairwise(journal):
        assert after["previous_hash"] == before["entry_hash"]
    for entry in journal:
        assert entry["format"] == 2 and entry["seal"] and entry["key_id"]
        assert (
            facts_hash(entry["previous_hash"], entry["kind"], entry["facts"])
            == (entry["entry_hash"])
        )
    issue = json.loads(journal[1]["facts"])
    legal = issue["legal"]
    assert legal["number"] == journal[1]["number"] and legal["issue_date"] == "2026-03-02"
    assert legal["seller"]["name"] and legal["buyer"]["name"] == "Boulangerie Dupont & Fils"
    assert legal["amounts"]["amount_due"] and legal["amounts"]["vat_breakdown"]
    assert issue["state"]["status"] == "finalized" and issue["state"]["xml_sha256"]
    paid = json.loads(journal[4]["facts"])
    assert paid["event"]["paid_on"] == "2026-03-02" and paid["state"]["status"] == "paid"
    credited = json.loads(journal[6]["facts"])
    assert credited["event"]["credit_note_id"] == ids[3]
    assert credited["event"]["amount"] == credited["event"]["credited_amount"]
    cancelled = json.loads(journal[7]["facts"])
    assert cancelled["event"]["credit_note"] == journal[5]["number"]
    assert cancelled["state"]["status"] == "cancelled"
    report = verify_report(partner_a, company_id)
    assert report["ok"] is True and report["problems"] == []
    assert report["entries"] == 8 and report["head"] == journal[-1]["entry_hash"]
    assert report["sealed_to"] == 8 and report["anchored_to"] == 8


def test_events_of_drafts_and_quotes_are_not_journaled(
    partner_a: Partner, settings: Settings, issued: tuple[int, list[int]]
) -> None:
    company_id, _ = issued
    draft = partner_a.draft(company_id)
    quote = partner_a.finalized(company_id, "quote")

    async def append() -> list[object]:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        bind_seal(sessions, JournalSeal.for_settings(settings))
        try:
            async with sessions() as session, session.begin():
                return [
                    await append_event(session, document["id"], "sent", {})
                    for document in (draft, quote)
                ]
        finally:
            await engine.dispose()

    assert asyncio.run(append()) == [None, None]
    assert verify_report(partner_a, company_id)["entries"] == 8


def test_payments_and_partial_credit_notes_are_chained_and_checked(
    partner_a: Partner, settings: Settings
) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    path = f"/documents/{invoice['id']}"
    partner_a.ok(
        partner_a.post(f"{path}/payments", {"amount": "10.00", "paid_on": "2026-03-01"}), 201
    )
    credit = partner_a.ok(
        partner_a.post(f"{path}/credit-note", {"lines": [{"index": 0, "quantity": "1"}]}), 201
    )
    partner_a.ok(partner_a.post(f"/documents/{credit['id']}/finalize"))
    journal = partner_a.ok(partner_a.get(f"/companies/{company['id']}/journal"))["items"]
    kinds = [(e["document_id"], e["kind"]) for e in journal]
    assert kinds == [
        (invoice["id"], "issued"),
        (invoice["id"], "payment"),
        (credit["id"], "issued"),
        (invoice["id"], "credit_note"),
    ]
    payment = json.loads(journal[1]["facts"])
    assert payment["event"]["amount"] == "10.00" and payment["state"]["paid_total"] == "10.00"
    assert verify_report(partner_a, company["id"])["ok"] is True

    in_db(settings, lambda session: set_columns(session, int(invoice["id"]), paid_total="0.00"))
    problems = verify_report(partner_a, company["id"])["problems"]
    assert [(p["fact"], p["expected"], p["found"]) for p in problems] == [
        ("paid_total", "10.00", "0.00")
    ]


# Every column the chain watches, a value it never holds here, and how the report shows it.
OTHER_VALUES: dict[str, object] = {
    "kind": "quote",
    "status": "draft",
    "number": "F-2026-00042",
    "series": "X-2026",
    "sequence": 42,
    "issue_date": dt.date(2025, 12, 31),
    "buyer_name": "Quelqu'un d'autre",
    "source_document_id": None,
    "paid_on": dt.date(2026, 1, 1),
    "payment_means_code": "10",
    "payment_reference": "virement 42",
    "paid_total": "999.99",
    "credited_total": "1.00",
    "finalized_at": dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC),
    "content": '{"tampered": true}',
    "xml": b"<tampered/>",
}
FACT_OF = {"content": "content_sha256", "xml": "xml_sha256"}


def test_a_change_to_any_watched_column_is_named(
    partner_a: Partner, settings: Settings, issued: tuple[int, list[int]]
) -> None:
    """One column at a time on the credit note (it has a source document), then put back."""
    company_id, ids = issued
    note = ids[3]
    state_keys = set(document_state(DocumentRow(content="", xml=b"")))
    assert {FACT_OF.get(c, c) for c in OTHER_VALUES} == state_keys - {"document_id"}

    async def read(session: AsyncSession) -> dict[str, object]:
        row = await session.get(DocumentRow, note)
        assert row is not None
        return {column: getattr(row, column) for column in OTHER_VALUES}

    original = in_db(settings, read)
    for column, value in OTHER_VALUES.items():
        in_db(settings, lambda session, c=column, v=value: set_columns(session, note, **{c: v}))  # type: ignore[misc]
        problems = verify_report(partner_a, company_id)["problems"]
        named = [p for p in problems if p.get("fact") == FACT_OF.get(column, column)]
        assert named and named[0]["document_id"] == note, (column, problems)
        in_db(settings, lambda session, c=column: set_columns(session, note, **{c: original[c]}))  # type: ignore[misc]
    assert verify_report(partner_a, company_id)["ok"] is True


def test_entries_made_before_the_seal_are_covered_by_the_next_sealed_entry(
    partner_a: Partner, settings: Settings, issued: tuple[int, list[int]]
) -> None:
    """A database journaled before revision 0005: its entries (format 1, no seal)
    verify as they did, and the first sealed entry after them covers them."""
    company_id, _ = issued

    async def as_before_0005(session: AsyncSession) -> None:
        previous = GENESIS
        for entry in await session.scalars(select(JournalEntry).order_by(JournalEntry.position)):
            row = await session.get(DocumentRow, entry.document_id)
            assert row is not None
            entry.format, entry.kind, entry.facts, entry.seal, entry.key_id = (
                1,
                "issued",
                None,
                None,
                None,
            )
            entry.previous_hash = previous
            entry.entry_hash = entry_hash(previous, row.content, entry.xml_sha256)
            previous = entry.entry_hash

    count = len(partner_a.ok(partner_a.get(f"/companies/{company_id}/journal"))["items"])
    in_db(settings, as_before_0005)
    (settings.var_dir / "journal" / "heads" / f"{company_id}.json").unlink()
    report = verify_report(partner_a, company_id)
    assert [p["problem"] for p in report["problems"]] == [
        f"entries 1..{count} were made before the journal was sealed and no sealed entry "
        "follows them yet"
    ]
    partner_a.finalized(company_id)
    report = verify_report(partner_a, company_id)
    assert report["ok"] is True and report["sealed_to"] == count + 1, report["problems"]
