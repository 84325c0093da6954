"""Do the fast rules and the official check agree on one document?

`agreement_case` is the unit of the agreement tests and of the soak bench:
the error ids the fast rules report, mapped to official ids, against the
error ids the official schematrons (and the XSD) report on the XML the CII
writer writes. Run it in one thread: the official check compiles its
stylesheets per thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from invoicing.cii.writer import to_xml_bytes
from invoicing.model import Document
from invoicing.official import Sheets, official_check
from invoicing.profiles import Profile
from invoicing.rules import validate
from invoicing.rules.findings import Findings, official_ids_of


@dataclass(frozen=True, slots=True)
class AgreementResult:
    profile: Profile
    french: bool
    fast: frozenset[str]  # official ids of the fast errors
    official: frozenset[str]  # error ids of the official check
    findings: Findings = field(compare=False)
    official_messages: dict[str, str] = field(compare=False, default_factory=dict)

    @property
    def agree(self) -> bool:
        return self.fast == self.official

    @property
    def missed(self) -> frozenset[str]:
        """Official errors the fast rules did not report."""
        return self.official - self.fast

    @property
    def extra(self) -> frozenset[str]:
        """Fast errors the official check did not report."""
        return self.fast - self.official

    def explain(self) -> str:
        lines = [f"profile={self.profile.value} french={self.french}"]
        for official_id in sorted(self.missed):
            lines.append(f"  missed {official_id!r}: {self.official_messages.get(official_id, '')}")
        for official_id in sorted(self.extra):
            rules = [f.rule_id for f in self.findings.errors if official_id in f.official_ids]
            lines.append(f"  extra  {official_id!r} from {rules}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.value,
            "french": self.french,
            "agree": self.agree,
            "missed": sorted(self.missed),
            "extra": sorted(self.extra),
        }


def agreement_case(
    document: Document, profile: Profile = Profile.EN16931, french: bool = False
) -> AgreementResult:
    """Validate `document` both ways and compare the error ids."""
    findings = validate(document, profile, french=french)
    # The shipped stylesheets are the judge here, not our faster indexed form.
    result = official_check(to_xml_bytes(document, profile), profile, french, Sheets.SHIPPED)
    messages: dict[str, str] = {}
    for finding in result.errors:
        messages.setdefault(finding.rule_id, finding.message[:160])
    return AgreementResult(
        profile=profile,
        french=french,
        fast=frozenset(official_ids_of(findings)),
        official=frozenset(messages),
        findings=findings,
        official_messages=messages,
    )
