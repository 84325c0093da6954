"""One page of a company's documents, newest first: the statement and the summaries.

A page is read as column values, not ORM objects (building and filling 50 of them
cost more than the rest of the request), through one statement built once per
combination of filters, with every value bound (building a statement and its cache
key costs about as much as running it). Rows whose summary reads the content (see
`views.needs_content`: rare) are then loaded whole, in one query.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import orjson
from pydantic_core import to_json
from sqlalchemy import JSON, ColumnElement, Select, Text, bindparam, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.api.documents.views import SUMMARY_SOURCE, needs_content, summary_data, summary_fields
from server.caller import Caller
from server.db.documents import DocumentRow

_TABLE = DocumentRow.__table__.c
# The JSON columns are read as their text, parsed by orjson (`_json`): json, which
# the column type (and asyncpg's codec) would use, cost a fifth of a list's CPU.
_COLUMNS = tuple(
    cast(_TABLE[name], Text).label(name) if isinstance(_TABLE[name].type, JSON) else _TABLE[name]
    for name in SUMMARY_SOURCE
)

# The filters a list takes, each a condition on one bound parameter of its name.
CONDITIONS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "kind": lambda value: _TABLE.kind == value,
    "status": lambda value: _TABLE.status == value,
    "number": lambda value: _TABLE.number == value,
    "contact_id": lambda value: _TABLE.contact_id == value,
    "issued_from": lambda value: _TABLE.issue_date >= value,
    "issued_to": lambda value: _TABLE.issue_date <= value,
    "before": lambda value: _TABLE.id < value,  # the cursor
}

_STATEMENTS: dict[tuple[bool, tuple[str, ...]], Select[Any]] = {}


def page_statement(restricted: bool, filters: tuple[str, ...]) -> Select[Any]:
    """The page's `SELECT` of `SUMMARY_SOURCE`: parameters `partner_id`, `company_id`,
    `limit`, each of `filters` (names of `CONDITIONS`, in its order) and, when
    `restricted` (a key restricted to one company, as `Caller.scoped` filters),
    `key_company_id`. In (partner_id, company_id, id) order: migration 0014's index."""
    key = (restricted, filters)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = select(*_COLUMNS).where(
            _TABLE.partner_id == bindparam("partner_id"),
            _TABLE.company_id == bindparam("company_id"),
        )
        if restricted:
            statement = statement.where(_TABLE.company_id == bindparam("key_company_id"))
        for name in filters:
            statement = statement.where(CONDITIONS[name](bindparam(name)))
        statement = statement.order_by(_TABLE.id.desc()).limit(bindparam("limit"))
        _STATEMENTS[key] = statement
    return statement


async def page_summaries(
    session: AsyncSession,
    caller: Caller,
    company_id: int,
    filters: Mapping[str, Any],
    limit: int,
    today: dt.date,
) -> tuple[list[dict[str, Any]], list[int]]:
    """The summaries (`views.summary_fields`) of the caller's documents of
    `company_id` that pass `filters` (values by `CONDITIONS` name, None: not
    filtered), at most `limit`, newest first; and the ids read, whose last one the
    next page starts below. On PostgreSQL each statement reads the latest commits:
    a document deleted between the page and its content is left out, as it is gone."""
    names = tuple(name for name in CONDITIONS if filters.get(name) is not None)
    params: dict[str, Any] = {name: filters[name] for name in names}
    params.update(caller.tenant_params(), company_id=company_id, limit=limit)
    statement = page_statement(caller.key_company_id is not None, names)
    connection = await session.connection()
    rows = (await connection.execute(statement, params)).all()
    summaries: list[dict[str, Any]] = []
    reading: dict[int, int] = {}  # document id -> its position in the page
    for row in rows:
        values = row._mapping
        totals = _json(values["totals"])
        if needs_content(values["kind"], values["status"], totals):
            reading[values["id"]] = len(summaries)
            summaries.append({})
        else:
            credit_scope = _json(values["credit_scope"])
            summaries.append(summary_fields(values, values["status"], totals, credit_scope))
    if reading:
        for document in await session.scalars(
            select(DocumentRow).where(DocumentRow.id.in_(reading))
        ):
            summaries[reading[document.id]] = summary_data(document, today)
    ids = [row.id for row in rows]
    return [summary for summary in summaries if summary], ids


def _json(text: str | None) -> Any:
    """A JSON column's value from its text. What orjson refuses and `json` reads (NaN,
    which `json` may have written) is read by `json`: the value never depends on which."""
    if text is None:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def page_json(page: Mapping[str, Any]) -> bytes:
    """`page` as `pydantic_core.to_json` writes it (so, a `DocumentList`'s JSON), written
    by orjson in a third of the CPU: Decimals as their text, UTC written `Z`. What orjson
    refuses (a type it does not know, a lone surrogate) is written by `to_json`."""
    try:
        return orjson.dumps(page, default=_decimal_text, option=orjson.OPT_UTC_Z)
    except orjson.JSONEncodeError:
        return to_json(page)


def _decimal_text(value: object) -> str:
    if type(value) is Decimal:
        return str(value)
    raise TypeError
