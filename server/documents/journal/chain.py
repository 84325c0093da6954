"""What a journal entry says and how it is hashed.

Format 2 (every entry made since revision 0005):

    entry_hash = SHA-256("blanche-journal/2" \\n previous_hash \\n kind \\n facts)

where `facts` is canonical JSON (sorted keys, no spaces, UTF-8) holding:
- `state`: the document's columns after the event (number, series, sequence,
  status, issue date, buyer name, payment columns...) and the SHA-256 of its
  stored content and XML, so any later change of a column is seen;
- `legal` (the `issued` entry only): the facts an auditor reads on the invoice:
  number, type, dates, seller and buyer identities, currency and amounts;
- `event` (later events): what the caller says happened (payment amount...).

Format 1 (entries made before 0005): SHA-256(previous \\n content \\n XML SHA-256).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from invoicing.model import Document, Party
from invoicing.totals import compute_totals
from server.db.documents import DocumentRow

GENESIS = "0" * 64
FORMAT = 2


def entry_hash(previous_hash: str, content: str, xml_sha256: str) -> str:
    """The hash of a format 1 entry."""
    data = b"\n".join((previous_hash.encode(), content.encode(), xml_sha256.encode()))
    return hashlib.sha256(data).hexdigest()


def facts_hash(previous_hash: str, kind: str, facts_json: str) -> str:
    """The hash of a format 2 entry."""
    data = "\n".join((f"blanche-journal/{FORMAT}", previous_hash, kind, facts_json))
    return hashlib.sha256(data.encode()).hexdigest()


def _plain(value: object) -> object:
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    raise TypeError(f"a journal fact cannot be a {type(value).__name__}")


def canonical_facts(facts: Mapping[str, object]) -> str:
    return json.dumps(
        facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )


def _sha256(data: bytes | str | None) -> str | None:
    if data is None:
        return None
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def document_state(row: DocumentRow) -> dict[str, object]:
    """The columns of a journaled document, as chained after each event."""
    return {
        "document_id": row.id,
        "kind": row.kind,
        "status": row.status,
        "number": row.number,
        "series": row.series,
        "sequence": row.sequence,
        "issue_date": _iso(row.issue_date),
        "buyer_name": row.buyer_name,
        "source_document_id": row.source_document_id,
        "paid_on": _iso(row.paid_on),
        "payment_means_code": row.payment_means_code,
        "payment_reference": row.payment_reference,
        "paid_total": row.paid_total,
        "credited_total": row.credited_total,
        "finalized_at": _iso(_naive_utc(row.finalized_at)),
        "content_sha256": _sha256(row.content),
        "xml_sha256": _sha256(row.xml),
    }


def _naive_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive UTC datetimes, PostgreSQL aware ones: chain one form."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _party(party: Party) -> dict[str, object]:
    return {
        "name": party.name,
        "siren": party.siren,
        "siret": party.siret,
        "vat_id": party.vat_id,
        "country": party.address.country,
        "identifiers": [f"{i.scheme or ''}:{i.value}" for i in party.identifiers],
    }


def legal_facts(document: Document) -> dict[str, Any]:
    """What the issued document says, in an auditor's terms (amounts as text)."""
    totals = compute_totals(document)
    return {
        "number": document.number,
        "kind": document.kind.value,
        "type_code": document.type_code,
        "issue_date": _iso(document.issue_date),
        "due_date": _iso(document.due_date),
        "tax_point_date": _iso(document.tax_point_date),
        "currency": document.currency,
        "seller": _party(document.seller),
        "buyer": _party(document.buyer),
        "preceding_invoices": [p.number for p in document.preceding_invoices],
        "amounts": {
            "line_total": str(totals.line_total),
            "allowance_total": str(totals.allowance_total),
            "charge_total": str(totals.charge_total),
            "tax_exclusive_total": str(totals.tax_exclusive_total),
            "vat_total": str(totals.vat_total),
            "tax_inclusive_total": str(totals.tax_inclusive_total),
            "prepaid_amount": str(totals.prepaid_amount),
            "amount_due": str(totals.amount_due),
            "vat_breakdown": [
                {
                    "category": group.category.value,
                    "rate": None if group.rate is None else str(group.rate),
                    "taxable_amount": str(group.taxable_amount),
                    "tax_amount": str(group.tax_amount),
                }
                for group in totals.vat_breakdown
            ],
        },
    }


def differences(expected: object, found: object, path: str = "") -> list[tuple[str, str, str]]:
    """(dotted fact name, chained value, value now) for each leaf that differs."""
    if isinstance(expected, dict) and isinstance(found, dict):
        out: list[tuple[str, str, str]] = []
        for key in sorted(set(expected) | set(found)):
            name = f"{path}.{key}" if path else str(key)
            out.extend(differences(expected.get(key), found.get(key), name))
        return out
    if expected != found:
        return [(path, _text(expected), _text(found))]
    return []


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
