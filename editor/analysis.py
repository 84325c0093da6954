"""A raw draft read as a document: parsed leniently, totalled, checked by the fast rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from editor.numbers import NumberReading
from invoicing.model import Document, Line
from invoicing.profiles import Profile
from invoicing.rules import Finding, Findings, validate, validate_patch
from invoicing.rules.drafts import parse_draft
from invoicing.totals import Totals, compute_totals

PROFILE = Profile.EN16931


def is_french(document: Document) -> bool:
    """The French reform rules apply to sellers in France (and to a seller with no
    country yet: the rules then say the country is missing)."""
    return document.seller.address.country in (None, "FR")


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


class DraftReader:
    """Reads the successive versions of one raw draft into documents. What a patch
    did not touch is the same object as before (`editor.patches`): its numbers are
    not read again and its lines not validated again."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._numbers = NumberReading(locale)
        self._lines: dict[int, tuple[Any, Line]] = {}  # id(read line) -> (it, its model)

    def read(self, content: Mapping[str, Any]) -> tuple[Document, list[Finding]]:
        data = self._numbers.read(content)
        lines = data.get("lines")
        if isinstance(lines, list) and lines:
            models = self._line_models(lines)
            if models is not None:  # pydantic takes model instances as they are
                data = {**data, "lines": models}
        return parse_draft(data)

    def _line_models(self, lines: list[Any]) -> list[Line] | None:
        """Each line as a model; None when one is refused (`parse_draft` then says why)."""
        known, self._lines = self._lines, {}
        models = []
        for raw in lines:
            hit = known.get(id(raw))
            if hit is None or hit[0] is not raw:
                if not isinstance(raw, dict):
                    return None
                try:
                    hit = (raw, Line.model_validate(raw))
                except ValidationError:
                    return None
            self._lines[id(raw)] = hit
            models.append(hit[1])
        return models


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
    those fields run again. `reader`: the draft's reader (its earlier versions)."""
    document, refused = (reader or DraftReader(locale)).read(content)
    french = is_french(document)
    totals = compute_totals(document)
    if previous is not None and changed is not None and previous.french == french:
        rules = validate_patch(
            previous.rule_findings, document, changed, PROFILE, french=french, totals=totals
        )
    else:
        rules = validate(document, PROFILE, french=french, totals=totals)
    inputs = Findings(refused)
    return Analysis(document, totals, inputs, rules, Findings([*inputs, *rules]))
