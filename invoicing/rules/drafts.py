"""Half-typed drafts: turn a raw JSON-like mapping from the editor into a
`Document`, reporting each value the model refuses as a finding on its field
and validating the rest. Never raises."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from invoicing.input_messages import input_messages
from invoicing.model import Document
from invoicing.rules.findings import Finding, Severity

INPUT_RULE_ID = "BL-INPUT"
_MAX_DEPTH = 32
_MAX_ROUNDS = 40

Location = tuple[int | str, ...]


def field_path(location: Sequence[int | str]) -> str:
    """('lines', 2, 'quantity') -> 'lines[2].quantity'."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any, depth: int = 0) -> Any:
    """A private copy made of dicts and lists only, of bounded depth."""
    if isinstance(value, _SCALARS):  # most values: checked before the abstract types
        return value
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, dict | Mapping):
        return {key: _plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, depth + 1) for item in value]
    return value


def _finding(location: Location, error: Mapping[str, Any]) -> Finding:
    path = field_path(location)
    fr, en = input_messages(error)
    label = path or "document"
    return Finding(
        rule_id=INPUT_RULE_ID,
        official_ids=(),
        severity=Severity.ERROR,
        fields=(path,),
        message_fr=f"{label} : {fr}",
        message_en=f"{label}: {en}",
    )


def _container(data: Any, location: Location) -> Any:
    node = data
    for part in location:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            return None
    return node


def _remove(data: Any, location: Location) -> bool:
    """Drop the value at `location`: a key goes (its default applies), a list
    item is replaced by an empty object so that later indices stay put."""
    if not location:
        return False
    parent = _container(data, location[:-1])
    last = location[-1]
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        if parent[last] == {}:
            del parent[last]  # even an empty object is refused: nothing left to keep
        else:
            parent[last] = {}
        return True
    return False


def _fill(data: Any, location: Location) -> bool:
    """A missing required value: try an empty text (what a blank input is)."""
    parent = _container(data, location[:-1])
    if isinstance(parent, dict) and location and isinstance(location[-1], str):
        parent[location[-1]] = ""
        return True
    return False


def _repair(data: Any, location: Location, kind: str, tried: set[Location]) -> None:
    if location not in tried:
        tried.add(location)
        if kind == "missing" and _fill(data, location):
            return
        if _remove(data, location):
            return
    # Tried already: give up on the smallest enclosing value that can go.
    for end in range(len(location) - 1, 0, -1):
        enclosing = location[:end]
        if enclosing not in tried:
            tried.add(enclosing)
            if _remove(data, enclosing):
                return


def parse_draft(raw: object) -> tuple[Document, list[Finding]]:
    """The document in `raw` (a `Document` or a JSON-like mapping) and one
    finding per value the model refuses; refused values are dropped."""
    if isinstance(raw, Document):
        return raw, []
    if not isinstance(raw, Mapping):
        return Document(), [_finding((), {"type": "model_type"})]
    # Validation leaves its input alone: a private copy is made only for repairs.
    data: Any = raw if isinstance(raw, dict) else _private_copy(raw)
    findings: dict[str, Finding] = {}
    tried: set[Location] = set()
    for _ in range(_MAX_ROUNDS):
        if data is None:
            return Document(), [_finding((), {"type": "model_type"})]
        try:
            return Document.model_validate(data), list(findings.values())
        except ValidationError as invalid:
            errors = invalid.errors(include_url=False)
        except (RecursionError, TypeError, ValueError):
            break
        if data is raw:
            data = _private_copy(raw)
            if data is None:
                continue
        for error in errors:
            location: Location = tuple(error.get("loc", ()))
            caused_by_repair = any(location[:end] in tried for end in range(1, len(location) + 1))
            if not caused_by_repair:
                findings.setdefault(field_path(location), _finding(location, error))
            _repair(data, location, str(error.get("type", "")), tried)
    return Document(), list(findings.values())


def _private_copy(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    """`raw` copied for repairs, None when it nests too deep to read."""
    try:
        copied: dict[str, Any] = _plain(raw)
    except RecursionError:
        return None
    return copied
