"""Field paths of the editor ("lines[2].quantity"), checked against the document model.

The syntax is `invoicing.field_errors.field_path`'s: names joined by dots,
list indices in brackets. `shape_of` says what a path names in
`invoicing.model.Document`, so that a patch can only touch real fields.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from invoicing.model import Document

Token = str | int
MAX_DEPTH = 8
MAX_INDEX = 9_999

_NAME = r"[a-z][a-z0-9_]{0,63}(?:\[\d{1,4}\])*"
_PATH = re.compile(rf"{_NAME}(?:\.{_NAME})*")
_TOKEN = re.compile(r"([a-z][a-z0-9_]*)|\[(\d+)\]")


class PathError(ValueError):
    """Not a path of the document model (or not one the editor may change)."""


@dataclass(frozen=True, slots=True)
class Shape:
    """What a path names: a model, a list of shapes, or a leaf value."""

    kind: Literal["model", "list", "leaf"]
    model: type[BaseModel] | None = None
    item: Shape | None = None
    leaf: type | None = None  # Decimal, dt.date, bool, str, an Enum...

    @property
    def is_decimal(self) -> bool:
        return self.kind == "leaf" and self.leaf is Decimal

    @property
    def is_date(self) -> bool:
        return self.kind == "leaf" and self.leaf is dt.date


@lru_cache(maxsize=4096)  # a patch's path is parsed 3 to 4 times; typing repeats it
def parse_path(path: str) -> tuple[Token, ...]:
    """'lines[2].quantity' -> ('lines', 2, 'quantity')."""
    if len(path) > 300 or not _PATH.fullmatch(path):
        raise PathError(f"not a field path: {path[:80]!r}")
    tokens: tuple[Token, ...] = tuple(
        name if name else int(index) for name, index in _TOKEN.findall(path)
    )
    if len(tokens) > MAX_DEPTH:
        raise PathError(f"path too deep: {path[:80]!r}")
    return tokens


def _unwrap(annotation: Any) -> Any:
    """Drop Annotated and Optional wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return options[0] if options else annotation
            annotation = options[0]
        else:
            return annotation


@cache
def _shape(annotation: Any) -> Shape:
    annotation = _unwrap(annotation)
    origin = get_origin(annotation)
    if origin is list:
        return Shape("list", item=_shape(get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("model", model=annotation)
    if origin is Literal:
        return Shape("leaf", leaf=str)
    if isinstance(annotation, type) and issubclass(annotation, Decimal | dt.date | bool | Enum):
        return Shape("leaf", leaf=annotation)
    return Shape("leaf", leaf=str)


DOCUMENT = Shape("model", model=Document)


def child_shape(shape: Shape, token: Token) -> Shape | None:
    """The shape under `token` in `shape`, None when there is no such field."""
    if shape.kind == "model" and isinstance(token, str):
        assert shape.model is not None
        info = shape.model.model_fields.get(token)
        if info is None or info.annotation is None:
            return None
        annotation: Any = info.annotation
        return _shape(annotation)
    if shape.kind == "list" and isinstance(token, int):
        return shape.item
    return None


@lru_cache(maxsize=4096)  # bounded: the paths come from users (any line index)
def shape_of(tokens: tuple[Token, ...]) -> Shape:
    shape = DOCUMENT
    for token in tokens:
        found = child_shape(shape, token)
        if found is None:
            raise PathError(f"no field {token!r} here")
        shape = found
    return shape


def format_path(tokens: tuple[Token, ...]) -> str:
    path = ""
    for token in tokens:
        path += f"[{token}]" if isinstance(token, int) else (f".{token}" if path else token)
    return path
