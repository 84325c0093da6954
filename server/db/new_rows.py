"""Writing one new row without the unit of work.

`session.add(row)` then `flush()` sorts the session's changes, collects the row's
values and reads its key back, costing several times the INSERT itself. On the
hottest writes (a draft created, its webhook event) the row is written by one
`INSERT ... RETURNING id` instead, and put in the session as if it had been flushed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, Table, insert
from sqlalchemy import inspect as inspect_model
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from server.db.base import Base


@dataclass(frozen=True, slots=True)
class _Plan:
    statement: ReturningInsert[int]
    columns: tuple[tuple[str, Column[Any]], ...]  # (attribute, column), but `id`


_PLANS: dict[type[Base], _Plan] = {}


def _plan(model: type[Base]) -> _Plan:
    plan = _PLANS.get(model)
    if plan is None:
        mapper = inspect_model(model)
        table = cast(Table, mapper.local_table)
        columns = tuple(
            (prop.key, cast(Column[Any], prop.columns[0]))
            for prop in mapper.column_attrs
            if prop.key != "id"
        )
        for _, column in columns:
            if not _known_default(column):
                raise ValueError(f"{table.name}.{column.name}: a default insert_new cannot write")
        plan = _Plan(insert(table).returning(table.c.id), columns)
        _PLANS[model] = plan
    return plan


def _known_default(column: Column[Any]) -> bool:
    """None, a value or a Python function: not one the database computes."""
    if column.default is None:
        return column.server_default is None
    return isinstance(column.default, ScalarElementColumnDefault | CallableColumnDefault)


def _default(column: Column[Any]) -> Any:
    """What the unit of work would write in a column the row leaves unset."""
    default = column.default
    if isinstance(default, ScalarElementColumnDefault):
        return default.arg
    if isinstance(default, CallableColumnDefault):
        return default.arg(None)  # type: ignore[arg-type]  # the functions used take none
    return None


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
    for name, column in plan.columns:
        if name in state:
            values[column.key] = state[name]
        else:
            values[column.key] = value = _default(column)
            setattr(row, name, value)
    written = await session.execute(plan.statement, values)
    row.id = written.scalar_one()  # type: ignore[attr-defined]
    make_transient_to_detached(row)
    session.add(row)
