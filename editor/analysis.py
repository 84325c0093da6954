"""A raw draft read as a document: parsed leniently, totalled, checked by the fast rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from editor.numbers import with_numbers_read
from invoicing.model import Document
from invoicing.profiles import Profile
from invoicing.rules import Findings, validate, validate_patch
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

    @property
    def findings(self) -> Findings:
        return Findings([*self.input_findings, *self.rule_findings])

    @property
    def french(self) -> bool:
        return is_french(self.document)


def analyse(
    content: Mapping[str, Any],
    locale: str,
    *,
    previous: Analysis | None = None,
    changed: Sequence[str] | None = None,
) -> Analysis:
    """Parse `content`, compute its totals and run the fast rules; with the
    analysis before a patch and the fields it changed, only the rules reading
    those fields run again."""
    document, refused = parse_draft(with_numbers_read(content, locale))
    french = is_french(document)
    if previous is not None and changed is not None and previous.french == french:
        rules = validate_patch(previous.rule_findings, document, changed, PROFILE, french=french)
    else:
        rules = validate(document, PROFILE, french=french)
    return Analysis(document, compute_totals(document), Findings(refused), rules)
