"""Input errors named by the field they concern, in the editor's path syntax."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str  # e.g. "lines[2].quantity"
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"{self.field or '(document)'}: {self.message}"


def field_path(location: Sequence[int | str]) -> str:
    """('lines', 2, 'quantity') -> 'lines[2].quantity'."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def field_errors(error: ValidationError) -> list[FieldError]:
    """One `FieldError` per problem pydantic found, without echoing the input
    (which may be 10,000 characters or hold the control character at fault)."""
    return [
        FieldError(field_path(item["loc"]), item["msg"].removeprefix("Value error, "))
        for item in error.errors(include_url=False, include_input=False)
    ]
