"""Writing one new row without the unit of work.

`session.add(row)` then `flush()` sorts the session's changes, collects the row's
values and reads its key back, costing several times the INSERT itself. On the
hottest writes (a draft created, its webhook event) the row is written by one
`INSERT ... RETURNING id` instead, run on the DBAPI cursor (server/db/direct.py),
its values converted by the columns' own bind processors: SQLAlchemy's execution
of a statement cost more than SQLite's INSERT of a 20-line draft (0.25 ms against
0.05). `insert_new` then puts the row in the session as if it had been flushed;
`insert_values` writes a row no caller needs as an ORM object; `insert_new_if` writes
it only if a condition holds, in the same statement.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, Exists, Table, bindparam, insert, select
from sqlalchemy import inspect as inspect_model
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from server.db.base import Base
from server.db.direct import DirectStatement


@dataclass(frozen=True, slots=True)
class _Column:
    attribute: str
    key: str  # the column's, in the INSERT's parameters
    default: Any  # what the unit of work writes when the row leaves it unset...
    make_default: Callable[[], Any] | None  # ...or what computes it


@dataclass(frozen=True, slots=True)
class _Plan:
    statement: DirectStatement  # every column given, but `id`, which it returns
    columns: tuple[_Column, ...]  # but `id`


_PLANS: dict[type[Base], _Plan] = {}
_CONDITIONAL: dict[tuple[type[Base], Hashable], DirectStatement] = {}


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
        statement = (
            insert(table).values({column.key: None for column in columns}).returning(table.c.id)
        )
        plan = _Plan(DirectStatement(statement), columns)
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
    await session.run_sync(insert_new_in, row)


def insert_new_in(session: Session, row: Base) -> None:
    """`insert_new`, for code already running in the session's greenlet."""
    state = row.__dict__
    state["id"] = insert_values_in(session, type(row), state)
    make_transient_to_detached(row)  # every value in the row's state now as loaded
    session.add(row)


def insert_values_in(session: Session, model: type[Base], values: dict[str, Any]) -> int:
    """Write a new row of `model` from `values` (by attribute; those left out get
    the column's default, set in `values` too), without an ORM object: its `id`.
    Changes pending in `session` are flushed first (not if a default cannot be written)."""
    plan = _plan(model)
    parameters = _with_defaults(plan, values)
    ((new_id,),) = plan.statement.rows_in(session, parameters)
    return cast(int, new_id)


def _with_defaults(plan: _Plan, values: dict[str, Any]) -> dict[str, Any]:
    """The INSERT's parameters, by column key; each column `values` leaves out set in
    it to the column's default."""
    parameters: dict[str, Any] = {}
    for column in plan.columns:
        if column.attribute in values:
            value = values[column.attribute]
        else:
            value = column.make_default() if column.make_default else column.default
            values[column.attribute] = value
        parameters[column.key] = value
    return parameters


def insert_new_if_in(
    session: Session,
    row: Base,
    condition: tuple[Hashable, Callable[[], Exists]],
    parameters: Mapping[str, Any],
) -> bool:
    """`insert_new_in`, in one statement with a condition (`INSERT ... SELECT ...
    WHERE EXISTS`): False, nothing written and `row` left as it was, if the
    condition finds nothing. `condition`: a key naming it, and what builds it once
    (its bound parameters, given in `parameters`, named unlike `row`'s columns)."""
    plan = _plan(type(row))
    key, build = condition
    statement = _CONDITIONAL.get((type(row), key))
    if statement is None:
        table = cast(Table, inspect_model(type(row)).local_table)
        keys = [column.key for column in plan.columns]
        given = select(*(bindparam(name, type_=table.c[name].type) for name in keys))
        statement = DirectStatement(
            insert(table).from_select(keys, given.where(build())).returning(table.c.id)
        )
        _CONDITIONAL[(type(row), key)] = statement
    state = row.__dict__
    values = {
        column.attribute: state[column.attribute]
        for column in plan.columns
        if column.attribute in state
    }
    found = statement.rows_in(session, {**_with_defaults(plan, values), **parameters})
    if not found:
        return False
    state.update(values)  # with the defaults written
    state["id"] = found[0][0]
    make_transient_to_detached(row)
    session.add(row)
    return True
