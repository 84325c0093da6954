"""The per-company journal of issued documents and their later events: a hash
chain sealed with a key kept outside the database. See docs/journal.md."""

from __future__ import annotations

from server.documents.journal.append import append_entry, append_event
from server.documents.journal.chain import GENESIS, entry_hash, facts_hash
from server.documents.journal.seal import JournalKeyMissing, JournalSeal, bind_seal, seal_of
from server.documents.journal.verify import JournalReport, verify_journal

__all__ = [
    "GENESIS",
    "JournalKeyMissing",
    "JournalReport",
    "JournalSeal",
    "append_entry",
    "append_event",
    "bind_seal",
    "entry_hash",
    "facts_hash",
    "seal_of",
    "verify_journal",
]
