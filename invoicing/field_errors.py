"""Input errors named by the field they concern, in the editor's path syntax."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from invoicing.input_messages import Language, input_message


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


def field_errors(error: ValidationError, language: Language = "en") -> list[FieldError]:
    """One `FieldError` per problem pydantic found, said in `language`
    (invoicing/input_messages.py), without echoing the input."""
    return [
        FieldError(field_path(item["loc"]), input_message(item, language))
        for item in error.errors(include_url=False)
    ]
