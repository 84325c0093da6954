"""Pieces shared by the resource modules."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.responses import Response

from server.http_json import model_response

M = TypeVar("M", bound=BaseModel)

ExternalRef = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Email = Annotated[
    str, StringConstraints(max_length=320, pattern=r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+$")
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Deleted(Output):
    id: int
    deleted: bool = True


class Page(Output):
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page")


def respond(model: type[M], data: Any, status: int = 200) -> Response:
    """Serialize `data` (a row, an object or a dict) through the documented output model."""
    value = model.model_validate(data, from_attributes=True)
    return model_response(value, status)
