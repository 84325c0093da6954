"""Findings as the user reads them: in their words, on the fields they can act on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from editor.backend import Draft
from editor.field_labels import field_label
from editor.i18n import words
from invoicing.rules import INPUT_RULE_ID, Finding, Findings


@dataclass(frozen=True, slots=True)
class ShownFinding:
    rule_id: str
    severity: str
    fields: tuple[str, ...]
    message: str
    label: str  # the first field's name, '' for the document
    editable: bool  # its field is in the form

    def as_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "fields": list(self.fields),
            "message": self.message,
        }


# Rules whose message names codes a user does not know: the editor says it its way.
# BL-DUE-DATE ("payment terms or a due date") fires on invoices only, whose due date
# the editor sets through the payment term alone.
EDITOR_MESSAGES = {"BR-FR-08_BT-23": "operation_choose", "BL-DUE-DATE": "due_choose_term"}


def editor_message(rule_id: str, locale: str) -> str | None:
    key = EDITOR_MESSAGES.get(rule_id)
    return words(locale)[key] if key else None


def _message(finding: Finding, locale: str) -> str:
    own = editor_message(finding.rule_id, locale)
    if own is not None:
        return own
    text = finding.message_fr if locale.startswith("fr") else finding.message_en
    if finding.rule_id == INPUT_RULE_ID and finding.fields:
        # Input findings start with the raw path; the label says it better.
        for separator in (" : ", ": "):
            text = text.removeprefix(finding.fields[0] + separator)
        # The editor's date fields are typed day first (editor/numbers.py).
        text = text.replace("(AAAA-MM-JJ)", "(jj/mm/aaaa)").replace("(YYYY-MM-DD)", "(dd/mm/yyyy)")
    return text


# Rules whose advice another rule gives in plainer words when both fire: the user is
# told once. Both stay evaluated (and mirror their official ids for the official view).
SAID_BY = {
    # No line: no VAT breakdown either; "add a line" is the one thing to do.
    "BR-CO-18": "BR-16",
}


def shown_findings(findings: Findings, draft: Draft, locale: str) -> list[ShownFinding]:
    """The findings the user can act on, in their words, each piece of advice once.
    The number is given at finalization, so a draft's missing number is not the
    user's problem."""
    is_draft = draft.status == "draft"
    fired = {finding.rule_id for finding in findings}
    shown = (
        _shown(finding, is_draft, locale)
        for finding in findings
        if SAID_BY.get(finding.rule_id) not in fired
    )
    return [finding for finding in shown if finding is not None]


@lru_cache(maxsize=8192)  # the same findings come back after every edit
def _shown(finding: Finding, is_draft: bool, locale: str) -> ShownFinding | None:
    if is_draft and finding.fields and set(finding.fields) == {"number"}:
        return None
    first = finding.fields[0] if finding.fields else ""
    editable = bool(first) and not first.startswith(("seller", "number"))
    return ShownFinding(
        rule_id=finding.rule_id,
        severity=finding.severity.value,
        fields=finding.fields,
        message=_message(finding, locale),
        label=field_label(first, locale),
        editable=editable,
    )
