"""Writing one new row without the unit of work.

`session.add(row)` then `flush()` sorts the session's changes, collects the row's
values and reads its key back, costing several times the INSERT itself. On the
hottest writes (a draft created, its webhook event) the row is written by one
`INSERT ... RETURNING id` instead, and put in the session as if it had been flushed.

The INSERT is compiled once per dialect, its values converted by the columns' own
bind processors, and run on the session's DBAPI connection, in its transaction:
SQLAlchemy's execution of a statement (its context, events and result) cost more
than SQLite's INSERT of a 20-line draft (0.25 ms against 0.05). Statement logging
(`echo`) does not show it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, Dialect, Table, insert
from sqlalchemy import inspect as inspect_model
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, make_transient_to_detached
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


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    columns: tuple[_Column, ...]  # in the order of the statement's parameters
    processors: tuple[Callable[[Any], Any] | None, ...]  # each value's bind processor


_PLANS: dict[type[Base], _Plan] = {}
_COMPILED: dict[tuple[type[Base], str], _Compiled] = {}


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


def _compiled(model: type[Base], dialect: Dialect) -> _Compiled:
    """The model's INSERT for `dialect`, with every column given (positional
    parameters, as both drivers take them)."""
    key = (model, dialect.name)
    compiled = _COMPILED.get(key)
    if compiled is None:
        plan = _plan(model)
        table = cast(Table, inspect_model(model).local_table)
        statement = plan.statement.values({column.key: None for column in plan.columns})
        sql = statement.compile(dialect=dialect)
        by_key = {column.key: column for column in plan.columns}
        order = sql.positiontup or []
        columns = tuple(by_key[name] for name in order)
        processors = tuple(table.c[name].type.bind_processor(dialect) for name in order)
        compiled = _Compiled(str(sql), columns, processors)
        _COMPILED[key] = compiled
    return compiled


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
    if session.new or session.dirty or session.deleted:
        session.flush()
    connection = session.connection()
    compiled = _compiled(type(row), connection.dialect)
    state = row.__dict__
    parameters: list[Any] = []
    for column, process in zip(compiled.columns, compiled.processors, strict=True):
        if column.attribute in state:
            value = state[column.attribute]
        else:
            value = column.make_default() if column.make_default else column.default
            state[column.attribute] = value  # committed with the rest, below
        parameters.append(value if process is None else process(value))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.sql, parameters)
        (new_id,) = cast(tuple[int], cursor.fetchone())
    except connection.dialect.loaded_dbapi.Error as error:
        # As SQLAlchemy's execution raises it: IntegrityError, OperationalError...
        raise DBAPIError.instance(
            compiled.sql, parameters, error, connection.dialect.loaded_dbapi.Error
        ) from error
    finally:
        cursor.close()
    state["id"] = new_id
    make_transient_to_detached(row)  # every value in the row's state now as loaded
    session.add(row)
