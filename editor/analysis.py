"""A raw draft read as a document: parsed leniently, totalled, checked by the fast rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from editor.numbers import NumberReading
from editor.paths import DOCUMENT, Shape, child_shape
from invoicing.model import Document
from invoicing.profiles import Profile
from invoicing.rules import Finding, Findings, validate, validate_patch
from invoicing.rules.drafts import parse_draft
from invoicing.rules.engine import TOTALS_READS, field_pattern, overlaps
from invoicing.scope import Scope, french_rules_apply, scope_of
from invoicing.totals import Totals, compute_totals

PROFILE = Profile.EN16931


def is_french(document: Document) -> bool:
    """The French reform rules (BR-FR) apply to e-invoicing and B2G documents
    (invoicing.scope): not to a private customer's or a foreign buyer's."""
    return french_rules_apply(document)


@dataclass(frozen=True, slots=True)
class Analysis:
    document: Document
    totals: Totals
    input_findings: Findings  # values the model refuses (BL-INPUT)
    rule_findings: Findings
    findings: Findings  # both, sorted

    @property
    def french(self) -> bool:
        return is_french(self.document)

    @property
    def scope(self) -> Scope:
        """The reform's scope (invoicing.scope): e_invoicing, b2g or e_reporting."""
        return scope_of(self.document)


@dataclass(frozen=True, slots=True)
class _Part:
    """A field of `Document` holding a model (`seller`) or a list of them (`lines`)."""

    name: str
    model: type[BaseModel]
    is_list: bool
    shape: Shape


@cache
def _parts() -> tuple[_Part, ...]:
    parts = []
    for name in Document.model_fields:
        shape = child_shape(DOCUMENT, name)
        if shape is None:
            continue
        if shape.kind == "model" and shape.model is not None:
            parts.append(_Part(name, shape.model, False, shape))
        elif shape.kind == "list" and shape.item is not None and shape.item.model is not None:
            parts.append(_Part(name, shape.item.model, True, shape))
    return tuple(parts)


@cache
def _parts_by_name() -> dict[str, _Part]:
    return {part.name: part for part in _parts()}


# Reading changed parts only keeps nothing new (a long-lived session would otherwise
# hold on to every version, and a process to the collector's pauses): what changed
# since the last whole read is read again each time, until the next one.
_PART_READS_BETWEEN_WHOLE_READS = 16


class DraftReader:
    """Reads the successive versions of one raw draft into documents. What a patch
    did not touch is the same object as before (`editor.patches`): its numbers are
    not read again, and its parts (parties, lines, notes...) not validated again.
    When a version differs from the last one read only in some parts, and that one
    was read without a refused value, the document is the last one with those parts
    replaced: the rest is not read at all."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._numbers = NumberReading(locale)
        self._models: dict[int, tuple[Any, BaseModel]] = {}  # id(read part) -> (it, model)
        self._last: tuple[Mapping[str, Any], Document] | None = None  # read with no refusal
        self._part_reads = 0

    def read(self, content: Mapping[str, Any]) -> tuple[Document, list[Finding]]:
        document = self._read_changed_parts(content)
        if document is not None:
            return document, []
        return self._read_whole(content)

    def _read_whole(self, content: Mapping[str, Any]) -> tuple[Document, list[Finding]]:
        data = dict(self._numbers.read(content))  # the reading is shared: not changed here
        known, self._models = self._models, {}
        for part in _parts():
            models = self._models_of(part, data.get(part.name), known, keep=True)
            if models is not None:
                data[part.name] = models
        # pydantic takes the models as they are; a part it refused stays raw, for
        # `parse_draft` to report on its fields.
        document, refused = parse_draft(data)
        self._last = (content, document) if not refused else None
        self._part_reads = 0
        return document, refused

    def _read_changed_parts(self, content: Mapping[str, Any]) -> Document | None:
        """The document, if `content` differs from the last version read only in
        parts that read without a refused value; None: read it whole."""
        if self._last is None or self._part_reads >= _PART_READS_BETWEEN_WHOLE_READS:
            return None
        before, document = self._last
        if content is before:
            return document
        if content.keys() != before.keys():
            return None
        parts = _parts_by_name()
        changed: dict[str, Any] = {}
        for name, value in content.items():
            if value is not before[name]:
                part = parts.get(name)
                if part is None:  # a field of the document itself
                    return None
                read = self._part(part, value)
                if read is None:
                    return None
                changed[name] = read
        document = document.model_copy(update=changed)
        self._last = (content, document)
        self._part_reads += 1
        return document

    def _part(self, part: _Part, raw: Any) -> BaseModel | list[BaseModel] | None:
        read = self._numbers.read_part(part.shape, raw)
        return self._models_of(part, read, self._models, keep=False)

    def _models_of(
        self, part: _Part, read: Any, known: dict[int, tuple[Any, BaseModel]], *, keep: bool
    ) -> BaseModel | list[BaseModel] | None:
        """A part, its numbers read, as its model(s); None if any value is refused."""
        if not part.is_list:
            return self._model(part.model, read, known, keep=keep)
        if not isinstance(read, list):
            return None
        models = []
        for item in read:
            model = self._model(part.model, item, known, keep=keep)
            if model is None:
                return None
            models.append(model)
        return models

    def _model(
        self,
        model: type[BaseModel],
        raw: Any,
        known: dict[int, tuple[Any, BaseModel]],
        *,
        keep: bool,
    ) -> BaseModel | None:
        hit = known.get(id(raw))
        if hit is None or hit[0] is not raw:
            if not isinstance(raw, dict):
                return None
            try:
                hit = (raw, model.model_validate(raw))
            except ValidationError:
                return None
        if keep:
            self._models[id(raw)] = hit
        return hit[1]


@lru_cache(maxsize=1024)  # typing repeats the same few paths
def _read_by_totals(pattern: str) -> bool:
    return any(overlaps(pattern, read) for read in TOTALS_READS)


def _totals_read_any(changed: Sequence[str]) -> bool:
    return any(_read_by_totals(field_pattern(path)) for path in changed)


def analyse(
    content: Mapping[str, Any],
    locale: str,
    *,
    reader: DraftReader | None = None,
    previous: Analysis | None = None,
    changed: Sequence[str] | None = None,
) -> Analysis:
    """Parse `content`, compute its totals and run the fast rules; with the
    analysis before a patch and the fields it changed, only the rules reading
    those fields run again, and the totals are computed again only if they read
    one. `reader`: the draft's reader (its earlier versions)."""
    document, refused = (reader or DraftReader(locale)).read(content)
    french = is_french(document)
    if previous is not None and changed is not None and not _totals_read_any(changed):
        totals = previous.totals
    else:
        totals = compute_totals(document)
    if previous is not None and changed is not None and previous.french == french:
        rules = validate_patch(
            previous.rule_findings, document, changed, PROFILE, french=french, totals=totals
        )
    else:
        rules = validate(document, PROFILE, french=french, totals=totals)
    inputs = Findings(refused)
    every = Findings([*inputs, *rules]) if inputs else rules
    return Analysis(document, totals, inputs, rules, every)
