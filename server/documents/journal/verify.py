"""Verification: recompute the chain, check the seals and the anchor, and
compare what the chain says of each document with the database as it is now.

Each problem names where it is: the entry (`position`), the document (`document_id`,
`number`), the fact or column (`fact`) with the chained (`expected`) and present
(`found`) values, or the numbering series (`series`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.cii.reader import read_cii
from server.db.documents import DocumentRow, JournalEntry, NumberingCounter
from server.db.tenants import Company
from server.documents.content import load_content, sha256_hex
from server.documents.journal.chain import (
    GENESIS,
    differences,
    document_state,
    entry_hash,
    facts_hash,
    legal_facts,
)
from server.documents.journal.seal import JournalSeal, seal_of
from server.documents.numbering import DEFAULT_PREFIXES


@dataclass(slots=True)
class JournalReport:
    company_id: int
    entries: int = 0
    head: str = GENESIS
    sealed_to: int = 0  # the last position covered by a valid seal
    anchored_to: int | None = None  # the position the anchor outside the database records
    problems: list[dict[str, object]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str, **where: object) -> None:
        self.problems.append({"problem": problem, **where})

    def as_dict(self) -> dict[str, object]:
        return {
            "company_id": self.company_id,
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "sealed_to": self.sealed_to,
            "anchored_to": self.anchored_to,
            "problems": self.problems,
        }


@dataclass(slots=True)
class _Journaled:
    """What the chain says of one document so far."""

    number: str
    legal: dict[str, Any] | None = None
    state: dict[str, Any] | None = None
    position: int = 0


async def verify_journal(
    session: AsyncSession, company_id: int, seal: JournalSeal | None = None
) -> JournalReport:
    """Verify one company's journal; `seal` defaults to the session's."""
    seal = seal or seal_of(session)
    report = JournalReport(company_id)
    entries = list(
        await session.scalars(
            select(JournalEntry)
            .where(JournalEntry.company_id == company_id)
            .order_by(JournalEntry.position)
        )
    )
    rows = {
        row.id: row
        for row in await session.scalars(
            select(DocumentRow).where(
                DocumentRow.company_id == company_id, DocumentRow.finalized_at.is_not(None)
            )
        )
    }  # quotes too: a journaled invoice turned into a "quote" is named by its kind
    journaled = _walk(report, entries, rows, seal, company_id)
    _check_documents(report, journaled, rows)
    _check_anchor(report, entries, seal, company_id)
    await _check_numbering(session, report, company_id, journaled)
    return report


def _walk(
    report: JournalReport,
    entries: list[JournalEntry],
    rows: dict[int, DocumentRow],
    seal: JournalSeal,
    company_id: int,
) -> dict[int, _Journaled]:
    journaled: dict[int, _Journaled] = {}
    previous = GENESIS
    unsealed: list[int] = []
    for expected_position, entry in enumerate(entries, start=1):
        where: dict[str, object] = {
            "position": entry.position,
            "document_id": entry.document_id,
            "number": entry.number,
        }
        if entry.position != expected_position:
            report.add(f"entries {expected_position}..{entry.position - 1} missing", **where)
        if entry.previous_hash != previous:
            report.add("previous hash does not match the previous entry", **where)
        seen = journaled.setdefault(entry.document_id, _Journaled(entry.number))
        if entry.format == 1:
            _check_legacy_entry(report, entry, previous, rows.get(entry.document_id), where)
        else:
            _read_facts(report, entry, previous, seen, where)
        if entry.seal is None or entry.key_id is None:
            if entry.format != 1:
                report.add("entry not sealed", **where)
            unsealed.append(entry.position)
        elif not seal.knows(entry.key_id):
            report.add(f"sealed with an unknown key ({entry.key_id})", **where)
        elif not seal.check(company_id, entry.position, entry.entry_hash, entry.key_id, entry.seal):
            report.add(
                "seal does not match: the entry was changed or the chain re-hashed "
                "without the journal key",
                **where,
            )
        else:
            report.sealed_to = entry.position
            unsealed.clear()
        previous = entry.entry_hash
    if unsealed:
        report.add(
            f"entries {unsealed[0]}..{unsealed[-1]} were made before the journal was sealed "
            "and no sealed entry follows them yet",
            position=unsealed[0],
        )
    report.entries = len(entries)
    report.head = previous
    return journaled


def _check_legacy_entry(
    report: JournalReport,
    entry: JournalEntry,
    previous: str,
    row: DocumentRow | None,
    where: dict[str, object],
) -> None:
    if row is None:
        return  # reported with the documents
    if entry_hash(previous, row.content, entry.xml_sha256) != entry.entry_hash:
        report.add("document content changed or entry hash altered", **where)


def _read_facts(
    report: JournalReport,
    entry: JournalEntry,
    previous: str,
    seen: _Journaled,
    where: dict[str, object],
) -> None:
    facts_json = entry.facts or ""
    if facts_hash(previous, entry.kind, facts_json) != entry.entry_hash:
        report.add("entry hash does not match its facts: the entry was changed", **where)
    try:
        facts = json.loads(facts_json)
        state = facts["state"]
    except (ValueError, KeyError, TypeError):
        report.add("entry facts unreadable", **where)
        return
    if entry.kind == "issued":
        seen.legal = facts.get("legal")
    seen.state = state
    seen.position = entry.position


def _check_documents(
    report: JournalReport, journaled: dict[int, _Journaled], rows: dict[int, DocumentRow]
) -> None:
    for document_id, seen in journaled.items():
        where: dict[str, object] = {"document_id": document_id, "number": seen.number}
        row = rows.pop(document_id, None)
        if row is None or row.xml is None:
            report.add("document deleted or no longer finalized", **where)
            continue
        if seen.state is None:  # legacy entries only
            if sha256_hex(row.xml) != row.xml_sha256:
                report.add("XML changed since finalization", fact="xml", **where)
            if row.number != seen.number:
                report.add(
                    "document number changed",
                    fact="number",
                    expected=seen.number,
                    found=str(row.number),
                    **where,
                )
            continue
        where["position"] = seen.position
        now = document_state(row)
        chained_columns = {name: now.get(name) for name in seen.state}  # what that entry chained
        for fact, expected, found in differences(seen.state, chained_columns):
            report.add(
                f"{fact} changed since entry {seen.position}",
                fact=fact,
                expected=expected,
                found=found,
                **where,
            )
        if seen.legal is not None:
            _name_changed_facts(report, seen, row, now, where)
    for row in rows.values():
        if row.kind != "quote":  # quotes are not journaled
            report.add(
                "finalized document not in the journal", document_id=row.id, number=row.number
            )


def _name_changed_facts(
    report: JournalReport,
    seen: _Journaled,
    row: DocumentRow,
    now: dict[str, Any],
    where: dict[str, object],
) -> None:
    """When the content or the XML changed, say which legal facts they now state."""
    assert seen.state is not None and seen.legal is not None
    sources: list[tuple[str, Any]] = []
    if now["content_sha256"] != seen.state.get("content_sha256"):
        sources.append(("content", lambda: legal_facts(load_content(row))))
    if now["xml_sha256"] != seen.state.get("xml_sha256"):
        sources.append(("xml", lambda: legal_facts(read_cii(row.xml or b"").document)))
    for source, read in sources:
        try:
            facts = read()
        except Exception as error:
            report.add(f"{source} no longer readable: {error}", fact=source, **where)
            continue
        for fact, expected, found in differences(seen.legal, facts):
            report.add(
                f"{source} now states another {fact}",
                fact=f"{source}:{fact}",
                expected=expected,
                found=found,
                **where,
            )


def _check_anchor(
    report: JournalReport, entries: list[JournalEntry], seal: JournalSeal, company_id: int
) -> None:
    anchor = seal.read_anchor(company_id)
    if anchor is None:
        return
    report.anchored_to = anchor.position
    if not seal.check(company_id, anchor.position, anchor.entry_hash, anchor.key_id, anchor.seal):
        report.add(
            "the anchor outside the database is not sealed by the journal key",
            position=anchor.position,
        )
        return
    at = next((e for e in entries if e.position == anchor.position), None)
    if at is None:
        report.add(
            f"journal truncated: the anchor outside the database records entry "
            f"{anchor.position}, the database ends at {report.entries}",
            position=anchor.position,
        )
    elif at.entry_hash != anchor.entry_hash:
        report.add(
            "entry differs from the one anchored outside the database",
            position=anchor.position,
            expected=anchor.entry_hash,
            found=at.entry_hash,
        )


async def _check_numbering(
    session: AsyncSession,
    report: JournalReport,
    company_id: int,
    journaled: dict[int, _Journaled],
) -> None:
    """Each invoice series runs 1..last number given, without a gap, and its
    counter is not behind what the journal issued."""
    company = await session.get(Company, company_id)
    quote_prefix = (company.series if company else {}).get("quote", DEFAULT_PREFIXES["quote"])
    counters = {
        c.series: c
        for c in await session.scalars(
            select(NumberingCounter).where(NumberingCounter.company_id == company_id)
        )
    }
    chained: dict[str, int] = {}
    for seen in journaled.values():
        state = seen.state or {}
        series, sequence = state.get("series"), state.get("sequence")
        if isinstance(series, str) and isinstance(sequence, int):
            chained[series] = max(chained.get(series, 0), sequence)
    for series, last in sorted(chained.items()):
        counter = counters.get(series)
        if counter is None or counter.last_value < last:
            found = "missing" if counter is None else str(counter.last_value)
            report.add(
                "numbering counter behind the journal",
                series=series,
                fact="numbering_counters.last_value",
                expected=str(last),
                found=found,
            )
    for counter in counters.values():
        if counter.series.rpartition("-")[0] == quote_prefix:
            continue  # quotes may be deleted: their series may have holes
        sequences = sorted(
            sequence
            for sequence in await session.scalars(
                select(DocumentRow.sequence).where(
                    DocumentRow.company_id == company_id,
                    DocumentRow.series == counter.series,
                )
            )
            if sequence is not None
        )
        if sequences != list(range(1, counter.last_value + 1)):
            report.add("gap in the numbering", series=counter.series)
