from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import itertools
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import Document
from server.cli import main
from server.db.documents import DocumentRow, JournalEntry, NumberingCounter
from server.db.engine import create_engine, session_factory
from server.documents.content import canonical_json, sha256_hex
from server.documents.journal import (
    GENESIS,
    JournalSeal,
    append_event,
    bind_seal,
    entry_hash,
    facts_hash,
)
from server.documents.journal.chain import canonical_facts, document_state, legal_facts
from server.settings import Settings
from tests.server.helpers import Partner, in_db


@pytest.fixture
def issued(partner_a: Partner) -> tuple[int, list[int]]:
    """Three invoices (the first credited, the second sent then paid), a draft and
    a quote (neither journaled), and the credit note, last."""
    company = partner_a.company()
    ids = [int(partner_a.finalized(company["id"])["id"]) for _ in range(3)]
    partner_a.draft(company["id"])
    partner_a.finalized(company["id"], "quote")
    partner_a.ok(partner_a.post(f"/documents/{ids[1]}/sent"))
    partner_a.ok(partner_a.post(f"/documents/{ids[1]}/payment", {"paid_on": "2026-03-02"}))
    credit = partner_a.ok(partner_a.post(f"/documents/{ids[0]}/credit-note"), 201)
    partner_a.ok(partner_a.post(f"/documents/{credit['id']}/finalize"))
    return int(company["id"]), [*ids, int(credit["id"])]


def _verify(partner: Partner, company_id: int) -> dict[str, Any]:
    return partner.ok(partner.get(f"/companies/{company_id}/journal/verify"))  # type: ignore[no-any-return]


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
    report = _verify(partner_a, company_id)
    assert report["ok"] is True and report["problems"] == []
    assert report["entries"] == 8 and report["head"] == journal[-1]["entry_hash"]
    assert report["sealed_to"] == 8 and report["anchored_to"] == 8


Tamper = Callable[[AsyncSession, list[int]], Awaitable[None]]


async def _set(session: AsyncSession, document_id: int, **values: Any) -> None:
    await session.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(**values))


async def _issue_date(session: AsyncSession, ids: list[int]) -> None:
    await _set(session, ids[2], issue_date=dt.date(2026, 1, 1))


async def _buyer_name(session: AsyncSession, ids: list[int]) -> None:
    await _set(session, ids[2], buyer_name="Someone Else SA")


async def _status(session: AsyncSession, ids: list[int]) -> None:
    # un-cancel the credited invoice
    await _set(session, ids[0], status="finalized", credited_total=None)


async def _number(session: AsyncSession, ids: list[int]) -> None:
    await _set(session, ids[2], number="F-2026-00099")


async def _sequence(session: AsyncSession, ids: list[int]) -> None:
    await _set(session, ids[2], sequence=7)


async def _paid_on(session: AsyncSession, ids: list[int]) -> None:
    await _set(session, ids[1], paid_on=dt.date(2026, 4, 1))


async def _amounts(session: AsyncSession, ids: list[int]) -> None:
    row = await session.get(DocumentRow, ids[2])
    assert row is not None
    document = Document.model_validate_json(row.content)
    line = document.lines[0]
    assert line.net_price is not None
    lines = [line.model_copy(update={"net_price": line.net_price * 10}), *document.lines[1:]]
    row.content = canonical_json(document.model_copy(update={"lines": lines}))


async def _xml(session: AsyncSession, ids: list[int]) -> None:
    row = await session.get(DocumentRow, ids[2])
    assert row is not None and row.xml is not None and b"Boulangerie" in row.xml
    row.xml = row.xml.replace(b"Boulangerie", b"Patisserie")


async def _xml_and_its_digest(session: AsyncSession, ids: list[int]) -> None:
    await _xml(session, ids)
    row = await session.get(DocumentRow, ids[2])
    assert row is not None and row.xml is not None
    row.xml_sha256 = sha256_hex(row.xml)


async def _back_to_draft(session: AsyncSession, ids: list[int]) -> None:
    await _set(session, ids[2], finalized_at=None, xml=None, status="draft")


async def _entry_facts(session: AsyncSession, ids: list[int]) -> None:
    entry = await session.scalar(select(JournalEntry).where(JournalEntry.position == 3))
    assert entry is not None and entry.facts is not None
    entry.facts = entry.facts.replace('"status":"finalized"', '"status":"paid"')


async def _drop_an_entry(session: AsyncSession, ids: list[int]) -> None:
    await session.execute(delete(JournalEntry).where(JournalEntry.position == 4))


async def _reseal_with_another_key(session: AsyncSession, ids: list[int]) -> None:
    """Re-hash and seal with a key of the attacker's own."""
    forged = JournalSeal((b"not-the-key",), None)
    await _rehash_after(session, ids, forged)


async def _rehash_chain(session: AsyncSession, ids: list[int]) -> None:
    """Change an amount, then recompute every fact and hash after it (keeping the
    seals, which cannot be recomputed without the key)."""
    await _rehash_after(session, ids, None)


async def _rehash_unsealed(session: AsyncSession, ids: list[int]) -> None:
    await _rehash_after(session, ids, None, drop_seals=True)


async def _downgrade_to_format_1(session: AsyncSession, ids: list[int]) -> None:
    """Rewrite every entry as an unsealed pre-0005 entry."""
    await _amounts(session, ids)
    previous = GENESIS
    for entry in await session.scalars(select(JournalEntry).order_by(JournalEntry.position)):
        row = await session.get(DocumentRow, entry.document_id)
        assert row is not None
        entry.format, entry.facts, entry.seal, entry.key_id = 1, None, None, None
        entry.previous_hash = previous
        entry.entry_hash = entry_hash(previous, row.content, entry.xml_sha256)
        previous = entry.entry_hash


async def _rehash_after(
    session: AsyncSession, ids: list[int], forged: JournalSeal | None, drop_seals: bool = False
) -> None:
    await _amounts(session, ids)
    previous = GENESIS
    for entry in await session.scalars(select(JournalEntry).order_by(JournalEntry.position)):
        facts = json.loads(entry.facts or "{}")
        if entry.document_id == ids[2]:
            row = await session.get(DocumentRow, ids[2])
            assert row is not None
            facts["state"] = document_state(row)
            facts["legal"] = legal_facts(Document.model_validate_json(row.content))
            entry.facts = canonical_facts(facts)
        entry.previous_hash = previous
        entry.entry_hash = facts_hash(previous, entry.kind, entry.facts or "")
        if forged is not None:
            entry.key_id, entry.seal = forged.seal(
                entry.company_id, entry.position, entry.entry_hash
            )
        if drop_seals:
            entry.key_id = entry.seal = None
        previous = entry.entry_hash


async def _truncate(session: AsyncSession, ids: list[int]) -> None:
    """Delete the last entries with their documents and wind the counters back, as
    if the credit note (and the cancellation it caused) never happened."""
    credit = await session.get(DocumentRow, ids[3])
    assert credit is not None and credit.series is not None
    await session.execute(delete(JournalEntry).where(JournalEntry.position >= 6))
    await session.execute(delete(DocumentRow).where(DocumentRow.id == ids[3]))
    await _set(session, ids[0], status="finalized", credited_total=None)
    await session.execute(delete(NumberingCounter).where(NumberingCounter.series == credit.series))


# (tamper, what a problem must name: its fact, document (index in ids) or text)
CASES: list[tuple[Tamper, dict[str, object]]] = [
    (_issue_date, {"fact": "issue_date", "document": 2, "expected": "2026-03-02"}),
    (_buyer_name, {"fact": "buyer_name", "document": 2, "found": "Someone Else SA"}),
    (_status, {"fact": "status", "document": 0, "expected": "cancelled"}),
    (_number, {"fact": "number", "document": 2, "found": "F-2026-00099"}),
    (_sequence, {"fact": "sequence", "document": 2, "found": "7"}),
    (_paid_on, {"fact": "paid_on", "document": 1, "expected": "2026-03-02"}),
    (_amounts, {"fact": "content:amounts.amount_due", "document": 2}),
    (_amounts, {"fact": "content_sha256", "document": 2}),
    (_xml, {"fact": "xml:buyer.name", "document": 2, "found": "Patisserie Dupont & Fils"}),
    (_xml_and_its_digest, {"fact": "xml_sha256", "document": 2}),
    (_back_to_draft, {"problem": "document deleted or no longer finalized", "document": 2}),
    (_entry_facts, {"problem": "entry hash does not match its facts", "position": 3}),
    (_drop_an_entry, {"problem": "entries 4..4 missing", "position": 5}),
    (_rehash_chain, {"problem": "seal does not match", "position": 3}),
    (_rehash_unsealed, {"problem": "entry not sealed", "position": 1}),
    (_reseal_with_another_key, {"problem": "sealed with an unknown key", "position": 1}),
    (_downgrade_to_format_1, {"problem": "entries 1..8 were made before the journal"}),
    (_truncate, {"problem": "journal truncated", "position": 8}),
]


def _names(problem: dict[str, Any], expected: dict[str, object], ids: list[int]) -> bool:
    for key, value in expected.items():
        if key == "document":
            if problem.get("document_id") != ids[int(str(value))]:
                return False
        elif key == "problem":
            if not str(problem["problem"]).startswith(str(value)):
                return False
        elif problem.get(key) != value:
            return False
    return True


@pytest.mark.parametrize(("tamper", "expected"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_tampering_is_detected_and_named(
    partner_a: Partner,
    settings: Settings,
    issued: tuple[int, list[int]],
    tamper: Tamper,
    expected: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    company_id, ids = issued
    assert _verify(partner_a, company_id)["ok"] is True
    in_db(settings, lambda session: tamper(session, ids))
    report = _verify(partner_a, company_id)
    assert report["ok"] is False
    assert any(_names(p, expected, ids) for p in report["problems"]), report["problems"]
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    assert main(["journal", "verify", "--company", str(company_id)]) == 1
    out = capsys.readouterr().out
    assert "TAMPERED" in out
    if "fact" in expected:
        assert str(expected["fact"]) in out


def test_truncation_without_the_anchor_shows_in_the_numbering(
    partner_a: Partner, settings: Settings, issued: tuple[int, list[int]]
) -> None:
    """Even with the anchor file gone, deleting the last invoice and its entry
    but not its counter leaves a gap the numbering check names."""
    company_id, ids = issued

    async def erase(session: AsyncSession) -> None:
        await session.execute(delete(JournalEntry).where(JournalEntry.position >= 6))
        await session.execute(delete(DocumentRow).where(DocumentRow.id == ids[3]))
        await _set(session, ids[0], status="finalized", credited_total=None)

    in_db(settings, erase)
    for anchor in (settings.var_dir / "journal" / "heads").iterdir():
        anchor.unlink()
    problems = _verify(partner_a, company_id)["problems"]
    assert [p["problem"] for p in problems] == ["gap in the numbering"]


def test_the_journal_key_and_anchors_stay_outside_the_database(
    settings: Settings, issued: tuple[int, list[int]]
) -> None:
    company_id, _ = issued
    key_file = settings.var_dir / "journal-keys"
    anchor = settings.var_dir / "journal" / "heads" / f"{company_id}.json"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert anchor.stat().st_mode & 0o777 == 0o600
    assert anchor.parent.stat().st_mode & 0o777 == 0o700
    assert json.loads(anchor.read_text())["position"] == 8


def test_the_anchor_moves_on_commit_only(
    partner_a: Partner, settings: Settings, issued: tuple[int, list[int]]
) -> None:
    """An event appended in a transaction that rolls back leaves no entry and does
    not move the anchor; a committed one moves it."""
    company_id, ids = issued

    async def append(commit: bool) -> None:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        bind_seal(sessions, JournalSeal.for_settings(settings))
        try:
            async with sessions() as session, session.begin():
                entry = await append_event(session, ids[1], "reminder", {"n": 1})
                assert entry is not None and entry.position == 9
                if not commit:
                    await session.rollback()
        finally:
            await engine.dispose()

    asyncio.run(append(commit=False))
    report = _verify(partner_a, company_id)
    assert report["ok"] is True and (report["entries"], report["anchored_to"]) == (8, 8)
    asyncio.run(append(commit=True))
    report = _verify(partner_a, company_id)
    assert report["ok"] is True and (report["entries"], report["anchored_to"]) == (9, 9)


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
    assert _verify(partner_a, company_id)["entries"] == 8


def test_cli_verify_passes_on_an_intact_journal(
    settings: Settings,
    issued: tuple[int, list[int]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    assert main(["journal", "verify"]) == 0
    assert "8 entries, ok" in capsys.readouterr().out


def test_export_for_an_auditor_and_verify_against_it(
    settings: Settings,
    issued: tuple[int, list[int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The export holds what an auditor needs to recompute every hash and seal
    without our code; kept by the auditor, it catches a truncation even when
    the attacker also removed the anchor file."""
    company_id, ids = issued
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    export_file = tmp_path / "journal.json"
    assert main(["journal", "export", "--output", str(export_file)]) == 0
    exported = json.loads(export_file.read_text())
    company = exported["companies"][0]
    assert company["verification"]["ok"] is True and company["anchor"]["position"] == 8
    key = (settings.var_dir / "journal-keys").read_text().split()[-1].encode()
    previous = GENESIS
    for entry in company["entries"]:  # the recipe of how_to_verify, by hand
        text = "\n".join(("blanche-journal/2", previous, entry["kind"], entry["facts_json"]))
        assert hashlib.sha256(text.encode()).hexdigest() == entry["entry_hash"]
        message = (
            f"blanche-journal-seal/1\n{company_id}\n{entry['position']}\n{entry['entry_hash']}"
        )
        assert hmac.new(key, message.encode(), hashlib.sha256).hexdigest() == entry["seal"]
        previous = entry["entry_hash"]
    assert main(["journal", "verify", "--against", str(export_file)]) == 0
    capsys.readouterr()

    async def erase(session: AsyncSession) -> None:
        await _truncate(session, ids)
        await _set(session, ids[0], status="cancelled")  # keep the rest consistent

    in_db(settings, erase)
    (settings.var_dir / "journal" / "heads" / f"{company_id}.json").unlink()
    assert main(["journal", "verify", "--against", str(export_file)]) == 1
    out = capsys.readouterr().out
    assert "entry 6" in out and "entry of the earlier export missing now" in out


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
    assert _verify(partner_a, company["id"])["ok"] is True

    in_db(settings, lambda session: _set(session, int(invoice["id"]), paid_total="0.00"))
    problems = _verify(partner_a, company["id"])["problems"]
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
        in_db(settings, lambda session, c=column, v=value: _set(session, note, **{c: v}))  # type: ignore[misc]
        problems = _verify(partner_a, company_id)["problems"]
        named = [p for p in problems if p.get("fact") == FACT_OF.get(column, column)]
        assert named and named[0]["document_id"] == note, (column, problems)
        in_db(settings, lambda session, c=column: _set(session, note, **{c: original[c]}))  # type: ignore[misc]
    assert _verify(partner_a, company_id)["ok"] is True


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
    report = _verify(partner_a, company_id)
    assert [p["problem"] for p in report["problems"]] == [
        f"entries 1..{count} were made before the journal was sealed and no sealed entry "
        "follows them yet"
    ]
    partner_a.finalized(company_id)
    report = _verify(partner_a, company_id)
    assert report["ok"] is True and report["sealed_to"] == count + 1, report["problems"]
