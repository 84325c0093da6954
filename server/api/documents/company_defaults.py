"""What a new document takes from its company, read in the create's transaction as
the columns' text, and remembered by the process for the next create.

On SQLite the write transactions of every process take turns (server/db/sqlite/
writers.py): whatever a create computes inside its transaction, every other writer
waits for. A draft's content depends on its company's defaults, so it could only be
built once they were read, inside. With the defaults this process last read for the
company, the draft is built before the transaction's first statement; the
transaction reads the columns again as text, and the draft is kept only if they are
the same text (else it is built again, inside, from what was just read). The
columns are compared, never trusted: another process, or the studio, may have
changed the company since.
"""

from __future__ import annotations

import collections
import json
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Exists, Text, bindparam, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.caller import Caller, is_row_id
from server.db.direct import DirectStatement
from server.db.tenants import Company
from server.problems import not_found

REMEMBERED_COMPANIES = 1024  # per process: a few kB each


@dataclass(frozen=True, slots=True)
class CompanyDefaults:
    """What a new document takes from its company (`with_company_defaults`), read as
    column values: a create needs no ORM object of the company."""

    id: int
    seller: dict[str, Any]
    payment_terms: str | None
    payment_term: dict[str, Any] | None
    legal_notes: list[dict[str, Any]]


_TABLE = Company.__table__
# As text: compared as they are stored, decoded only when they changed. (On
# PostgreSQL the driver would decode a JSON column itself: the cast keeps it text.)
_COLUMNS = (
    _TABLE.c.id,
    cast(_TABLE.c.seller, Text),
    _TABLE.c.payment_terms,
    cast(_TABLE.c.payment_term, Text),
    cast(_TABLE.c.legal_notes, Text),
)


def _visible(restricted: bool) -> tuple[ColumnElement[bool], ...]:
    """The company `seen_id`, if the caller may see it: `Caller`'s restriction (of its
    partner, and of a key kept to one company), with `_visible_parameters`. Named
    apart from a document's columns: `UNCHANGED` is part of a document's INSERT."""
    visible = (
        _TABLE.c.partner_id == bindparam("seen_partner_id"),
        _TABLE.c.id == bindparam("seen_id"),
    )
    if restricted:
        return (*visible, _TABLE.c.id == bindparam("seen_key_company_id"))
    return visible


def _visible_parameters(caller: Caller, company_id: int) -> dict[str, Any]:
    parameters = {"seen_partner_id": caller.partner_id, "seen_id": company_id}
    if caller.key_company_id is not None:
        parameters["seen_key_company_id"] = caller.key_company_id
    return parameters


_STATEMENTS = {
    restricted: DirectStatement(select(*_COLUMNS).where(*_visible(restricted)))
    for restricted in (False, True)
}

StoredText = tuple[Any, ...]  # the columns as read: id, then text or None


def _decoded(text: StoredText) -> CompanyDefaults:
    """As the columns' JSON type would have read them."""
    company_id, seller, payment_terms, payment_term, legal_notes = text
    return CompanyDefaults(
        id=company_id,
        seller=_json(seller),
        payment_terms=payment_terms,
        payment_term=_json(payment_term),
        legal_notes=_json(legal_notes),
    )


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@dataclass(frozen=True, slots=True)
class Seen:
    """A company's columns as read, and the defaults they hold."""

    text: StoredText
    defaults: CompanyDefaults


class RememberedDefaults:
    """The defaults this process last read per company and partner, the least
    recently used forgotten first."""

    def __init__(self, size: int = REMEMBERED_COMPANIES) -> None:
        self._size = size
        self._seen: collections.OrderedDict[tuple[int, int], Seen] = collections.OrderedDict()

    def guess(self, caller: Caller, company_id: int) -> Seen | None:
        """What was read last for this company under this partner: a guess, to be
        checked in the transaction (`read`)."""
        key = (caller.partner_id, company_id)
        seen = self._seen.get(key)
        if seen is not None:
            self._seen.move_to_end(key)
        return seen

    async def read(
        self, session: AsyncSession, caller: Caller, company_id: int, guessed: Seen | None
    ) -> Seen:
        """The company's defaults if `caller` may see it, else 404: `guessed` itself
        when its columns read the same text."""
        key = (caller.partner_id, company_id)
        found = None
        if is_row_id(company_id):
            statement = _STATEMENTS[caller.key_company_id is not None]
            params = _visible_parameters(caller, company_id)
            rows = await session.run_sync(statement.rows_in, params)
            found = rows[0] if rows else None
        if found is None:
            self._seen.pop(key, None)
            raise not_found("company")
        text = found
        if guessed is not None and text == guessed.text:
            return guessed
        seen = self._seen[key] = Seen(text, _decoded(text))
        self._seen.move_to_end(key)
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return seen


REMEMBERED = RememberedDefaults()


def _unchanged(restricted: bool) -> Exists:
    """The company, visible to the caller, whose columns still read as `seen_*`."""
    seen = [bindparam(f"seen_{name}", type_=Text) for name in _TEXT_COLUMNS]
    same = zip(_COLUMNS[1:], seen, strict=True)
    query = select(_TABLE.c.id).where(
        *_visible(restricted), *(column.is_not_distinct_from(value) for column, value in same)
    )
    return query.exists()


_TEXT_COLUMNS = ("seller", "payment_terms", "payment_term", "legal_notes")
# For `new_rows.insert_new_if_in`: a new document of a company whose defaults are
# those seen, in the INSERT itself (one statement less than reading them first).
UNCHANGED = {
    restricted: (("company_unchanged", restricted), partial(_unchanged, restricted))
    for restricted in (False, True)
}


def unchanged_parameters(caller: Caller, seen: Seen) -> dict[str, Any]:
    """The parameters of `UNCHANGED[caller.key_company_id is not None]`."""
    texts = zip(_TEXT_COLUMNS, seen.text[1:], strict=True)
    return {
        **_visible_parameters(caller, seen.text[0]),
        **{f"seen_{name}": text for name, text in texts},
    }
