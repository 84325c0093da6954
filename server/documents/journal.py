"""The per-company hash journal of finalized documents.

entry_hash = SHA-256(previous_hash "\\n" canonical document JSON "\\n" XML SHA-256)

Verification recomputes every link from the documents as stored now, so a
change made directly in the database (to a document's content or XML, to an
entry, or a deleted row) breaks the chain and is reported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import DocumentRow, JournalEntry, NumberingCounter
from server.db.tenants import Company
from server.documents.content import sha256_hex
from server.documents.numbering import DEFAULT_PREFIXES

GENESIS = "0" * 64


def entry_hash(previous_hash: str, content: str, xml_sha256: str) -> str:
    data = b"\n".join((previous_hash.encode(), content.encode(), xml_sha256.encode()))
    return hashlib.sha256(data).hexdigest()


async def append_entry(session: AsyncSession, row: DocumentRow) -> JournalEntry:
    """Chain `row` (just finalized, its company row locked by the caller)."""
    assert row.xml is not None and row.number is not None
    last = await session.scalar(
        select(JournalEntry)
        .where(JournalEntry.company_id == row.company_id)
        .order_by(JournalEntry.position.desc())
        .limit(1)
    )
    previous = last.entry_hash if last else GENESIS
    xml_digest = sha256_hex(row.xml)
    entry = JournalEntry(
        partner_id=row.partner_id,
        company_id=row.company_id,
        position=(last.position + 1) if last else 1,
        document_id=row.id,
        number=row.number,
        xml_sha256=xml_digest,
        previous_hash=previous,
        entry_hash=entry_hash(previous, row.content, xml_digest),
    )
    session.add(entry)
    await session.flush()
    return entry


@dataclass(slots=True)
class JournalReport:
    company_id: int
    entries: int = 0
    head: str = GENESIS
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
            "problems": self.problems,
        }


async def verify_journal(session: AsyncSession, company_id: int) -> JournalReport:
    report = JournalReport(company_id)
    entries = list(
        await session.scalars(
            select(JournalEntry)
            .where(JournalEntry.company_id == company_id)
            .order_by(JournalEntry.position)
        )
    )
    journaled = {
        row.id: row
        for row in await session.scalars(
            select(DocumentRow).where(
                DocumentRow.company_id == company_id, DocumentRow.finalized_at.is_not(None)
            )
        )
        if row.kind != "quote"
    }
    previous = GENESIS
    for expected_position, entry in enumerate(entries, start=1):
        where = {"position": entry.position, "document_id": entry.document_id}
        if entry.position != expected_position:
            report.add("missing entry before this one", **where)
        if entry.previous_hash != previous:
            report.add("previous hash does not match the previous entry", **where)
        row = journaled.pop(entry.document_id, None)
        if row is None or row.xml is None:
            report.add("document missing or no longer finalized", **where)
        else:
            xml_digest = sha256_hex(row.xml)
            if xml_digest != entry.xml_sha256 or row.xml_sha256 != xml_digest:
                report.add("XML changed since finalization", **where)
            if row.number != entry.number:
                report.add("document number changed", **where)
            if entry_hash(previous, row.content, entry.xml_sha256) != entry.entry_hash:
                report.add("document content changed or entry hash altered", **where)
        previous = entry.entry_hash
    for row in journaled.values():
        report.add("finalized document not in the journal", document_id=row.id)
    report.entries = len(entries)
    report.head = previous
    await _check_numbering(session, report, company_id)
    return report


async def _check_numbering(session: AsyncSession, report: JournalReport, company_id: int) -> None:
    """Each invoice series runs 1..last number given, without a gap: a deleted
    finalized document shows even when its journal entry went with it."""
    company = await session.get(Company, company_id)
    quote_prefix = (company.series if company else {}).get("quote", DEFAULT_PREFIXES["quote"])
    counters = await session.scalars(
        select(NumberingCounter).where(NumberingCounter.company_id == company_id)
    )
    for counter in counters:
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
