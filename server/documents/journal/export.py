"""The journal as handed to an auditor: every entry with the facts its hash
covers, the seals, the anchor kept outside the database, the verification
report, and how to check it all without our code (docs/journal.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.documents import JournalEntry
from server.db.tenants import Company
from server.documents.journal.seal import seal_of
from server.documents.journal.verify import verify_journal

EXPORT_FORMAT = "blanche-journal-export/1"

HOW_TO_VERIFY = (
    "For each company, walk `entries` by position from 1. Format 2: entry_hash = "
    'SHA-256(UTF-8 of "blanche-journal/2" LF previous_hash LF kind LF facts), where facts is the '
    "exact `facts_json` string; previous_hash is the previous entry's entry_hash (64 zeros for "
    "position 1). Format 1 (before the seal existed): SHA-256(previous_hash LF document content "
    "JSON LF xml_sha256). seal = HMAC-SHA256(journal key, UTF-8 of "
    '"blanche-journal-seal/1" LF company_id LF position LF entry_hash), hex; key_id names the '
    "key (the operator hands the key over for the audit, or runs `blanche journal verify`). "
    "`anchor` is the head written outside the database after each commit: the chain must reach "
    "its position with the same hash. Compare `legal` facts with the issued Factur-X XML "
    "(xml_sha256 is the SHA-256 of that XML), and keep this file: a later export must extend "
    "its chain unchanged (`blanche journal verify --against THIS_FILE`)."
)


async def export_journal(session: AsyncSession, company_id: int) -> dict[str, Any]:
    seal = seal_of(session)
    entries = await session.scalars(
        select(JournalEntry)
        .where(JournalEntry.company_id == company_id)
        .order_by(JournalEntry.position)
    )
    anchor = seal.read_anchor(company_id)
    report = await verify_journal(session, company_id, seal)
    return {
        "company_id": company_id,
        "entries": [
            {
                "position": e.position,
                "document_id": e.document_id,
                "number": e.number,
                "kind": e.kind,
                "format": e.format,
                "facts_json": e.facts,
                "facts": None if e.facts is None else json.loads(e.facts),
                "xml_sha256": e.xml_sha256,
                "previous_hash": e.previous_hash,
                "entry_hash": e.entry_hash,
                "key_id": e.key_id,
                "seal": e.seal,
                "created_at": e.created_at.isoformat(),
            }
            for e in entries
        ],
        "anchor": None if anchor is None else anchor.as_dict(),
        "verification": report.as_dict(),
    }


async def export_journals(session: AsyncSession, company_id: int | None) -> dict[str, Any]:
    if company_id is None:
        ids = list(await session.scalars(select(Company.id).order_by(Company.id)))
    else:
        ids = [company_id]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "key_ids": [seal_of(session).key_id],
        "how_to_verify": HOW_TO_VERIFY,
        "companies": [await export_journal(session, company) for company in ids],
    }


def compare_with_export(
    earlier: dict[str, Any], now: dict[str, Any]
) -> list[tuple[int, dict[str, object]]]:
    """(company id, problem) for each entry of an earlier export that the
    journal no longer holds unchanged: the auditor's own anchor."""
    current = {c["company_id"]: c for c in now["companies"]}
    problems: list[tuple[int, dict[str, object]]] = []
    for company in earlier.get("companies", []):
        company_id = int(company["company_id"])
        entries = {e["position"]: e for e in current.get(company_id, {}).get("entries", [])}
        for old in company.get("entries", []):
            new = entries.get(old["position"])
            if new is None:
                problems.append(
                    (
                        company_id,
                        {
                            "problem": "entry of the earlier export missing now",
                            "position": old["position"],
                            "number": old["number"],
                        },
                    )
                )
            elif new["entry_hash"] != old["entry_hash"]:
                problems.append(
                    (
                        company_id,
                        {
                            "problem": "entry differs from the earlier export",
                            "position": old["position"],
                            "number": old["number"],
                            "expected": old["entry_hash"],
                            "found": new["entry_hash"],
                        },
                    )
                )
    return problems
