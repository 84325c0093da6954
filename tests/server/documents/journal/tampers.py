"""Ways to tamper with the journal or the documents it covers, each with what the
verification report must name."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import Document
from server.db.documents import DocumentRow, JournalEntry, NumberingCounter
from server.documents.content import canonical_json, sha256_hex
from server.documents.journal import (
    GENESIS,
    JournalSeal,
    entry_hash,
    facts_hash,
)
from server.documents.journal.chain import canonical_facts, document_state, legal_facts

Tamper = Callable[[AsyncSession, list[int]], Awaitable[None]]


async def set_columns(session: AsyncSession, document_id: int, **values: Any) -> None:
    await session.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(**values))


async def _issue_date(session: AsyncSession, ids: list[int]) -> None:
    await set_columns(session, ids[2], issue_date=dt.date(2026, 1, 1))


async def _buyer_name(session: AsyncSession, ids: list[int]) -> None:
    await set_columns(session, ids[2], buyer_name="Someone Else SA")


async def _status(session: AsyncSession, ids: list[int]) -> None:
    # un-cancel the credited invoice
    await set_columns(session, ids[0], status="finalized", credited_total=None)


async def _number(session: AsyncSession, ids: list[int]) -> None:
    await set_columns(session, ids[2], number="F-2026-00099")


async def _sequence(session: AsyncSession, ids: list[int]) -> None:
    await set_columns(session, ids[2], sequence=7)


async def _paid_on(session: AsyncSession, ids: list[int]) -> None:
    await set_columns(session, ids[1], paid_on=dt.date(2026, 4, 1))


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
    await set_columns(session, ids[2], finalized_at=None, xml=None, status="draft")


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


async def truncate(session: AsyncSession, ids: list[int]) -> None:
    """Delete the last entries with their documents and wind the counters back, as
    if the credit note (and the cancellation it caused) never happened."""
    credit = await session.get(DocumentRow, ids[3])
    assert credit is not None and credit.series is not None
    await session.execute(delete(JournalEntry).where(JournalEntry.position >= 6))
    await session.execute(delete(DocumentRow).where(DocumentRow.id == ids[3]))
    await set_columns(session, ids[0], status="finalized", credited_total=None)
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
    (truncate, {"problem": "journal truncated", "position": 8}),
]
