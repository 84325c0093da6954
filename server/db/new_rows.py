"""Writing one new row without the unit of work.

`session.add(row)` then `flush()` sorts the session's changes, collects the row's
values and reads its key back, costing several times the INSERT itself. On the
hottest writes (a draft created, its webhook event) the row is written by one
`INSERT ... RETURNING id` instead, and put in the session as if it had been flushed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, Table, insert
from sqlalchemy import inspect as inspect_model
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from server.db.base import Base


@dataclass(frozen=True, slots=True)
class _Column:
    attribute: str
    key: str  # the column's, in the INSERT's parameters
    default: Any  # what the unit of work writes when the row leaves it unset...
    make_default: Callable[[], Any] | None  # ...or what computes it


@dataclass(frozen=True, slots=True)
class _Plan:
    statement: ReturningInsert[int]
    columns: tuple[_Column, ...]  # but `id`


_PLANS: dict[type[Base], _Plan] = {}


def _plan(model: type[Base]) -> _Plan:
    plan = _PLANS.get(model)
    if plan is None:
        mapper = inspect_model(model)
        table = cast(Table, mapper.local_table)
        columns = tuple(
            _column(prop.key, cast(Column[Any], prop.columns[0]), table.name)
            for prop in mapper.column_attrs
            if prop.key != "id"
        )
        plan = _Plan(insert(table).returning(table.c.id), columns)
        _PLANS[model] = plan
    return plan


def _column(attribute: str, column: Column[Any], table: str) -> _Column:
    """None, a value or a Python function taking nothing: not a default the
    database computes, which insert_new cannot know."""
    default = column.default
    if default is None and column.server_default is None:
        return _Column(attribute, column.key, None, None)
    if isinstance(default, ScalarElementColumnDefault):
        return _Column(attribute, column.key, default.arg, None)
    if isinstance(default, CallableColumnDefault):
        make = default.arg
        return _Column(attribute, column.key, None, lambda: make(None))  # type: ignore[arg-type]
    raise ValueError(f"{table}.{column.name}: a default insert_new cannot write")


async def insert_new(session: AsyncSession, row: Base) -> None:
    """Write `row` (transient, its `id` unset), set its `id` and every column it left
    unset (to the column's default), and put it in `session`, persistent with
    nothing pending, exactly as `session.add(row)` and a flush leave it. Changes
    already pending in `session` are flushed first, in the order they were made."""
    plan = _plan(type(row))
    if session.new or session.dirty or session.deleted:
        await session.flush()
    state = row.__dict__
    values: dict[str, Any] = {}
    for column in plan.columns:
        if column.attribute in state:
            values[column.key] = state[column.attribute]
        else:
            value = column.make_default() if column.make_default else column.default
            values[column.key] = value
            set_committed_value(row, column.attribute, value)
    written = await session.execute(plan.statement, values)
    set_committed_value(row, "id", written.scalar_one())
    make_transient_to_detached(row)
    session.add(row)
