"""Statements run on the session's DBAPI cursor, compiled once per dialect.

`session.execute` builds an execution context, fires events, wraps the cursor in a
result and, for a statement given by the ORM's Session, looks up what to flush and
which bind to use: on the hottest writes (a draft created, its webhook event) that
cost several times what the database spends on the statement. A `DirectStatement`
keeps the statement's SQL, compiled once per dialect, and the bind and result
processors of its parameters and columns (what SQLAlchemy would apply), and runs it
on the DBAPI connection of the session's transaction.

A refused statement is raised as SQLAlchemy's execution raises it
(`DBAPIError.instance`): an `IntegrityError` stays a 409, an `OperationalError` a
503. The session's pending changes are flushed first, as `session.execute` would.
Statement logging (`echo`) does not show these statements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in the order the statement takes them
    fixed: dict[str, Any]  # the values of parameters the statement gives itself (a LIMIT)
    binds: tuple[Processor | None, ...]  # each parameter's bind processor
    results: tuple[Processor | None, ...]  # each result column's processor


class DirectStatement:
    """`statement` (built once, bound parameters by name) to run on the DBAPI cursor."""

    __slots__ = ("_by_dialect", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = _compile(self.statement, dialect)
        return compiled

    def rows_in(self, session: Session, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Its rows (each value as its column's type reads it), in the session's
        transaction (begun if it was not), after its pending changes."""
        flush_pending(session)
        connection = session.connection()
        compiled = self.compiled(connection.dialect)
        values = _values(compiled, parameters)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, values)
            fetched = cursor.fetchall() if cursor.description else []
        except connection.dialect.loaded_dbapi.Error as error:
            raise _as_sqlalchemy_raises(compiled.sql, values, error, connection.dialect) from error
        finally:
            cursor.close()
        results = compiled.results
        if not any(results):
            return [tuple(row) for row in fetched]
        return [
            tuple(
                value if process is None else process(value)
                for value, process in zip(row, results, strict=True)
            )
            for row in fetched
        ]

    def run_many_in(self, session: Session, parameters: Iterable[Mapping[str, Any]]) -> None:
        """Run it once per set of parameters (no rows returned), in the session's
        transaction, after its pending changes."""
        flush_pending(session)
        connection = session.connection()
        compiled = self.compiled(connection.dialect)
        values = [_values(compiled, one) for one in parameters]
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(compiled.sql, values)
        except connection.dialect.loaded_dbapi.Error as error:
            raise _as_sqlalchemy_raises(compiled.sql, values, error, connection.dialect) from error
        finally:
            cursor.close()


def flush_pending(session: Session) -> None:
    """Write the session's pending changes, as the autoflush before a statement would."""
    if session.new or session.dirty or session.deleted:
        session.flush()


def _compile(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    compiled: Any = statement.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    fixed = {
        name: compiled.binds[name].effective_value
        for name in names
        if not compiled.binds[name].required
    }
    binds = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    results = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in compiled._result_columns
    )
    return _Compiled(str(compiled), names, fixed, binds, results)


def _values(compiled: _Compiled, parameters: Mapping[str, Any]) -> list[Any]:
    values = []
    for name, process in zip(compiled.names, compiled.binds, strict=True):
        value = parameters[name] if name in parameters else compiled.fixed[name]
        values.append(value if process is None else process(value))
    return values


def _as_sqlalchemy_raises(
    sql: str, values: Sequence[Any], error: Exception, dialect: Dialect
) -> StatementError:
    """The driver's `error` as SQLAlchemy's execution raises it: IntegrityError,
    OperationalError..."""
    return DBAPIError.instance(sql, values, error, dialect.loaded_dbapi.Error)
