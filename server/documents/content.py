"""A stored document's content: canonical JSON of `invoicing.model.Document`.

Canonical (sorted keys, no spaces, decimals as text) so that the journal
hashes exactly the bytes that are stored.
"""

from __future__ import annotations

import hashlib
import json

from invoicing.model import Document
from server.db.documents import DocumentRow


def canonical_json(document: Document) -> str:
    return json.dumps(
        document.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def load_content(row: DocumentRow) -> Document:
    return Document.model_validate_json(row.content)


def store_content(row: DocumentRow, document: Document) -> None:
    row.content = canonical_json(document)
    row.kind = document.kind.value
    row.issue_date = document.issue_date
    row.buyer_name = (document.buyer.name or "")[:1000]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
