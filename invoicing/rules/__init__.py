"""Fast validation rules: what is wrong with a document, per editor field, in
words a small business understands, in well under a millisecond.

    findings = validate(document_or_draft, Profile.EN16931, french=True)

Each rule mirrors official schematron assertions (Factur-X per profile,
BR-FR Flux 2 with the French option) or is one of our own checks (identifier
check digits, Chorus Pro pre-checks for public-sector buyers). The error ids a
document gets, mapped to official ids (`official_ids_of`), are the error ids
the official check reports on the XML `invoicing.cii.writer` writes for it
(see tests/invoicing/rules/test_agreement.py and docs/rules.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import lru_cache

from invoicing.model import Document, DocumentKind
from invoicing.profiles import Profile
from invoicing.rules import catalogue  # noqa: F401  (registers every rule)
from invoicing.rules.drafts import INPUT_RULE_ID, parse_draft
from invoicing.rules.engine import (
    INTERNAL_RULE_ID,
    REGISTRY,
    ActiveRule,
    Context,
    Rule,
    field_pattern,
    overlaps,
    reads_any,
    rule_set,
    run,
    runnable,
)
from invoicing.rules.findings import Finding, Findings, Severity, official_ids_of
from invoicing.totals import Totals

__all__ = [
    "INPUT_RULE_ID",
    "Finding",
    "Findings",
    "Rule",
    "Severity",
    "all_rules",
    "official_ids_of",
    "validate",
    "validate_patch",
]

# Fields deciding which rules apply at all (quotes, Chorus Pro).
_GLOBAL_FIELDS = ("kind", "buyer.public_sector")


def all_rules() -> list[Rule]:
    return list(REGISTRY.values())


def _run(
    document: Document,
    profile: Profile,
    french: bool,
    changed: set[str] | None,
    totals: Totals | None = None,
) -> list[Finding]:
    context = Context(document, profile, french, totals)
    quote = document.kind is DocumentKind.QUOTE
    chorus = document.buyer.public_sector
    if changed is None:
        findings = run(runnable(profile, french, chorus, quote), context)
    else:
        findings = run(_reading(profile, french, chorus, quote, frozenset(changed)), context)
    if document.imported is not None:
        return [_as_imported(finding) for finding in findings]
    return findings


def _as_imported(finding: Finding) -> Finding:
    """On an imported document, our checks stricter than the official rules
    (IBAN and SIRET check digits, formats, Chorus Pro pre-checks: findings with
    no official id) warn instead of refusing: right while typing, not a reason to
    refuse a file the official rules accept. `imported` is read-only in the
    editor, so a patch never changes which findings this applies to."""
    if not finding.is_error or finding.official_ids or finding.rule_id == INPUT_RULE_ID:
        return finding
    return dataclasses.replace(finding, severity=Severity.WARNING)


@lru_cache(maxsize=1024)
def _rerun_ids(profile: Profile, french: bool, changed: frozenset[str]) -> frozenset[str]:
    """Ids of the findings a patch replaces: those of the rules it re-runs,
    and input and internal findings (a patch carries a valid document)."""
    ids = {
        active.rule.rule_id
        for active in rule_set(profile, french)
        if reads_any(active.rule, changed)
    }
    return frozenset({*ids, INPUT_RULE_ID, INTERNAL_RULE_ID})


@lru_cache(maxsize=1024)
def _reading(
    profile: Profile, french: bool, chorus: bool, quote: bool, changed: frozenset[str]
) -> tuple[ActiveRule, ...]:
    """The runnable rules that read one of the `changed` field patterns (a
    patch touches the same few fields again and again: cached)."""
    rules = runnable(profile, french, chorus, quote)
    return tuple(active for active in rules if reads_any(active.rule, changed))


def validate(
    document_or_raw: Document | object,
    profile: Profile = Profile.EN16931,
    *,
    french: bool = False,
    totals: Totals | None = None,
) -> Findings:
    """Every finding for a document or a raw JSON-like draft (whose refused
    values are reported as `BL-INPUT` findings, then dropped). Never raises.
    `totals`: the document's, when the caller has computed them already."""
    document, input_findings = parse_draft(document_or_raw)
    return Findings([*input_findings, *_run(document, profile, french, None, totals)])


def validate_patch(
    previous: Findings,
    document: Document,
    changed_fields: Iterable[str],
    profile: Profile = Profile.EN16931,
    *,
    french: bool = False,
    totals: Totals | None = None,
) -> Findings:
    """`validate(document, ...)` after a patch that changed `changed_fields`
    (editor paths such as "lines[2].quantity"), given the findings before it:
    only the rules that read a changed field run again. Input findings
    (`BL-INPUT`) are not kept: pass a `Document`, not a raw draft."""
    changed = {field_pattern(path) for path in changed_fields}
    if not changed:
        return previous
    if any(overlaps(c, g) for c in changed for g in _GLOBAL_FIELDS):
        return validate(document, profile, french=french, totals=totals)
    rerun = _rerun_ids(profile, french, frozenset(changed))
    kept = [finding for finding in previous if finding.rule_id not in rerun]
    return Findings([*kept, *_run(document, profile, french, changed, totals)])
