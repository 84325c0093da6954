"""What the fast rules report: one `Finding` per problem, in a sorted `Findings`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, overload

from invoicing.profiles import Profile


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, mapped to the editor fields it concerns.

    `rule_id` is ours and stable; `official_ids` are the ids the official
    schematrons report for the same problem (as they appear in their SVRL
    output), empty when no official rule checks it. `profile` is the lowest
    Factur-X profile whose official rules need it, when that is relevant.
    """

    rule_id: str
    official_ids: tuple[str, ...]
    severity: Severity
    fields: tuple[str, ...]
    message_fr: str
    message_en: str
    profile: Profile | None = None
    # Findings are hashed again and again (sets, caches keyed by finding) and the
    # generated hash would hash the enums through Python code each time: kept.
    _hash: int = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = (self.rule_id, self.official_ids, self.severity.value, self.fields)
        object.__setattr__(self, "_hash", hash((*values, self.message_fr, self.message_en)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "official_ids": list(self.official_ids),
            "severity": self.severity.value,
            "fields": list(self.fields),
            "message_fr": self.message_fr,
            "message_en": self.message_en,
            "profile": self.profile.value if self.profile else None,
        }


_PATH_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@lru_cache(maxsize=4096)
def _path_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """'lines[10].name' sorts after 'lines[2].name' (indices compare as numbers)."""
    return tuple(
        (0, int(index)) if index else (1, name) for index, name in _PATH_TOKEN.findall(path)
    )


@lru_cache(maxsize=8192)  # the same findings come back after every edit
def _sort_key(finding: Finding) -> tuple[Any, ...]:
    first = finding.fields[0] if finding.fields else ""
    return (
        not finding.is_error,
        _path_key(first),
        finding.rule_id,
        tuple(_path_key(field) for field in finding.fields),
        finding.official_ids,
        finding.message_en,
    )


class Findings(Sequence[Finding]):
    """Findings sorted errors first, then by field, then by rule id; duplicates
    removed. Immutable."""

    __slots__ = ("_items",)

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._items: tuple[Finding, ...] = tuple(sorted(set(findings), key=_sort_key))

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | Sequence[Finding]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Findings({list(self._items)!r})"

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self._items if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self._items if not f.is_error)

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(f.is_error for f in self._items)

    def by_field(self) -> dict[str, list[Finding]]:
        """Findings grouped by editor field ('' for document-level ones); a
        finding about several fields appears under each."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self._items:
            for field in finding.fields or ("",):
                grouped.setdefault(field, []).append(finding)
        return grouped

    def rule_ids(self) -> set[str]:
        return {f.rule_id for f in self._items}

    def as_dicts(self) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self._items]


def official_ids_of(findings: Iterable[Finding], *, errors_only: bool = True) -> set[str]:
    """The official ids the findings mirror: what the official check should
    report for the same document (errors only, unless told otherwise)."""
    return {
        official
        for finding in findings
        if finding.is_error or not errors_only
        for official in finding.official_ids
    }
