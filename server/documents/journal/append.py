"""Appending to a company's journal: a document's issue, then its later events.

Both run in the caller's transaction, which must be the one that changed the
document: the entry records the document's state as that transaction leaves it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import DocumentRow, JournalEntry
from server.documents.content import load_content, sha256_hex
from server.documents.journal.chain import (
    FORMAT,
    GENESIS,
    canonical_facts,
    document_state,
    facts_hash,
    legal_facts,
)
from server.documents.journal.seal import Anchor, anchor_on_commit, seal_of
from server.documents.locks import lock_company

ISSUED = "issued"
MAX_FACTS_CHARS = 20_000


async def append_entry(session: AsyncSession, row: DocumentRow) -> JournalEntry:
    """Chain the issue of `row` (just finalized, its company row locked by the caller)."""
    assert row.xml is not None and row.number is not None
    facts = {"legal": legal_facts(load_content(row)), "state": document_state(row)}
    return await _append(session, row, ISSUED, facts)


async def append_event(
    session: AsyncSession, document_id: int, kind: str, facts: Mapping[str, object]
) -> JournalEntry | None:
    """Chain a later event of an issued document: `sent`, `payment`, `paid`,
    `credit_note`, `cancelled`... `facts` (JSON-able; Decimal and dates are
    written as text) says what happened, e.g. {"amount": Decimal("50.00"),
    "paid_on": date}. Call it in the transaction that changed the document,
    after the change. Quotes and drafts are not journaled: returns None."""
    if not kind or len(kind) > 40 or kind == ISSUED:
        raise ValueError(f"not an event kind: {kind!r}")
    row = await session.get(DocumentRow, document_id)
    if row is None:
        raise LookupError(f"no document {document_id}")
    if row.kind == "quote" or row.finalized_at is None or row.xml is None:
        return None
    await lock_company(session, row.company_id)
    return await _append(session, row, kind, {"event": dict(facts), "state": document_state(row)})


async def _append(
    session: AsyncSession, row: DocumentRow, kind: str, facts: Mapping[str, object]
) -> JournalEntry:
    seal = seal_of(session)
    facts_json = canonical_facts(facts)
    if len(facts_json) > MAX_FACTS_CHARS:
        raise ValueError(f"journal facts over {MAX_FACTS_CHARS} characters")
    last = await session.scalar(
        select(JournalEntry)
        .where(JournalEntry.company_id == row.company_id)
        .order_by(JournalEntry.position.desc())
        .limit(1)
    )
    previous = last.entry_hash if last else GENESIS
    position = (last.position + 1) if last else 1
    digest = facts_hash(previous, kind, facts_json)
    key_id, mac = seal.seal(row.company_id, position, digest)
    assert row.xml is not None and row.number is not None
    entry = JournalEntry(
        partner_id=row.partner_id,
        company_id=row.company_id,
        position=position,
        document_id=row.id,
        number=row.number,
        xml_sha256=sha256_hex(row.xml),
        previous_hash=previous,
        entry_hash=digest,
        format=FORMAT,
        kind=kind,
        facts=facts_json,
        key_id=key_id,
        seal=mac,
    )
    session.add(entry)
    await session.flush()
    anchor_on_commit(session, Anchor(row.company_id, position, digest, key_id, mac))
    return entry
