"""The official check's findings as people read them.

The official validators (XSD, Factur-X and BR-FR schematrons) report in their own
words: English or French assertions, XPath locations, XSD messages about namespaced
elements. Users never read those as such. Each official error is, by its rule id:

- already said by the fast rules (a finding on screen mirrors that official id): not
  repeated;
- else translated with the message of the fast rule that mirrors it, and mapped to
  that rule's field (a link that focuses it);
- else said in general words naming the rule id.

The raw texts stay available in a collapsed "technical details" list (wrapped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from editor.field_labels import field_label
from editor.i18n import words
from editor.shown_findings import editor_message
from invoicing.profiles import Profile
from invoicing.rules.engine import Rule, rule_set

PROFILE = Profile.EN16931
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MAX_TECHNICAL = 20
MAX_TEXT = 600


@dataclass(frozen=True, slots=True)
class OfficialItem:
    rule_id: str
    message: str
    field: str  # '' when no field says it
    label: str

    @property
    def editable(self) -> bool:
        return bool(self.field) and not self.field.startswith(("seller", "number"))


@dataclass(frozen=True, slots=True)
class OfficialView:
    state: str
    profile: str
    items: tuple[OfficialItem, ...]  # what the fast rules do not say already
    repeated: int  # official errors the findings above already say
    technical: tuple[tuple[str, str], ...]  # (rule id, raw text), for the details


@cache
def _rules_by_official_id(french: bool) -> Mapping[str, Rule]:
    table: dict[str, Rule] = {}
    for active in rule_set(PROFILE, french):
        for official_id in active.resolved.values():
            if official_id != "XSD":  # one id for every schema error: said generally
                table.setdefault(official_id, active.rule)
    return table


# Rules read fields by shape ("lines.quantity": every line's quantity). The editor
# shows one payment means and one preceding invoice; which line is not known.
_FIRST_ITEM = ("payment_means", "preceding_invoices")
_ANY_ITEM = ("lines", "notes", "allowances_charges")


def _field_of(rule: Rule) -> str:
    """The editor path a rule's problem is shown at: from its first read."""
    for read in rule.reads:
        root, _, rest = read.partition(".")
        if root in ("seller", "totals", "number", "kind") or not root:
            continue
        if root in _ANY_ITEM:
            return root
        if root in _FIRST_ITEM:
            return f"{root}[0].{rest}" if rest and rest != "#" else f"{root}[0]"
        return read
    return ""


def _item(rule_id: str, french: bool, locale: str) -> OfficialItem:
    w = words(locale)
    rule = _rules_by_official_id(french).get(rule_id)
    if rule is not None:
        message = editor_message(rule.rule_id, locale) or (
            rule.message_fr if locale.startswith("fr") else rule.message_en
        )
        if not _PLACEHOLDER.search(message):
            field = _field_of(rule)
            return OfficialItem(rule_id, message, field, field_label(field, locale))
    if rule_id == "XSD":
        return OfficialItem(rule_id, w["official_xsd"], "", "")
    return OfficialItem(rule_id, w["official_rule"].format(rule=rule_id), "", "")


def official_view(official: Mapping[str, Any], locale: str) -> OfficialView:
    """`official` as the live draft keeps it: `state`, `errors` (dicts with `rule_id`
    and `message`), `profile`, and `covered`: the official ids the fast findings on
    screen already mirror."""
    errors: Iterable[Mapping[str, Any]] = official.get("errors") or ()
    covered = set(official.get("covered") or ())
    french = "BR-FR" in str(official.get("profile", ""))
    items: dict[str, OfficialItem] = {}
    repeated = 0
    technical: list[tuple[str, str]] = []
    for error in errors:
        rule_id = str(error.get("rule_id", ""))[:80]
        if len(technical) < MAX_TECHNICAL:
            technical.append((rule_id, str(error.get("message", ""))[:MAX_TEXT]))
        if rule_id in covered:
            repeated += 1
        elif rule_id not in items:
            items[rule_id] = _item(rule_id, french, locale)
    return OfficialView(
        state=str(official.get("state", "pending")),
        profile=str(official.get("profile", "")),
        items=tuple(items.values()),
        repeated=repeated,
        technical=tuple(technical),
    )
