"""One API operation: the route and what the OpenAPI document says about it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response


@dataclass(frozen=True, slots=True)
class QueryParam:
    name: str
    description: str
    type: str = "string"


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str  # Starlette syntax, e.g. /companies/{id:int}
    handler: Callable[[Any], Awaitable[Response]]  # takes an ApiCall or an EditorCall
    summary: str
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    query: tuple[QueryParam, ...] = ()
    media_type: str = "application/json"
    auth: str = "api_key"  # or "editor_token"
    # None: a GET only reads (a read-only transaction), other methods write.
    writes: bool | None = None
    max_body_bytes: int | None = None  # None: the BLANCHE_MAX_BODY_BYTES setting
    body_required: bool = True  # False: the body may be left out (e.g. credit-note)
    # False: the handler opens its own short write transactions (`call.session.begin()`),
    # doing heavy work between them (finalization's official check)
    transaction: bool = True
    # Heavy work on the body (parsing an uploaded file) done before the transaction
    # opens, so that no lock is held meanwhile; the handler finds it in `call.prepared`.
    prepare: Callable[[bytes], Awaitable[Any]] | None = None

    @property
    def is_write(self) -> bool:
        return self.method != "GET" if self.writes is None else self.writes
