"""`validate_patch` re-runs only the rules that read what changed, and gives
the same findings as a full `validate`."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.model import Document
from invoicing.profiles import Profile
from invoicing.rules import all_rules, validate, validate_patch
from invoicing.rules.engine import Context, reads_any, rule_set
from tests.invoicing.rules.mutations import MUTATIONS
from tests.invoicing.rules.valid_documents import valid_documents
from tests.strategies import documents


def changed_paths(before: Any, after: Any, path: str = "") -> set[str]:
    """Editor paths of what differs between two model dumps."""
    if isinstance(before, dict) and isinstance(after, dict):
        found: set[str] = set()
        for key in before.keys() | after.keys():
            child = f"{path}.{key}" if path else key
            found |= changed_paths(before.get(key), after.get(key), child)
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        found = set()
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            found |= changed_paths(old, new, f"{path}[{index}]")
        return found
    return {path} if before != after else set()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_patch_gives_the_same_findings_as_a_full_run(data: st.DataObject) -> None:
    french = data.draw(st.booleans())
    profile = data.draw(st.sampled_from([Profile.EN16931, Profile.BASIC, Profile.EXTENDED]))
    document = data.draw(valid_documents(french=french))
    document.buyer.public_sector = data.draw(st.booleans())
    before = validate(document, profile, french=french)
    patched = document.model_copy(deep=True)
    MUTATIONS[data.draw(st.sampled_from(sorted(MUTATIONS)))](patched, data)
    changed = changed_paths(document.model_dump(), patched.model_dump())
    incremental = validate_patch(before, patched, changed, profile, french=french)
    assert incremental == validate(patched, profile, french=french), sorted(changed)


def test_a_one_field_patch_runs_few_rules() -> None:
    rules = all_rules()
    assert [r.rule_id for r in rules if reads_any(r, {"buyer.name"})] == ["BR-07"]
    assert sum(reads_any(r, {"lines.name"}) for r in rules) == 1
    assert sum(reads_any(r, {"lines.quantity"}) for r in rules) < len(rules) // 2
    assert all(reads_any(r, {"lines"}) for r in rules if "lines.quantity" in r.reads)


def test_no_change_keeps_the_findings() -> None:
    document = Document()
    findings = validate(document)
    assert validate_patch(findings, document, set()) is findings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_rule_of_a_vat_category_finds_nothing_where_the_category_is_not_used(
    data: st.DataObject,
) -> None:
    # The engine does not run it there (Rule.category): it must have nothing to say.
    french = data.draw(st.booleans())
    profile = data.draw(st.sampled_from([Profile.EN16931, Profile.BASIC, Profile.EXTENDED]))
    document = data.draw(st.one_of(valid_documents(french=french), documents(max_lines=6)))
    if data.draw(st.booleans()):
        MUTATIONS[data.draw(st.sampled_from(sorted(MUTATIONS)))](document, data)
    context = Context(document, profile, french)
    for active in rule_set(profile, french):
        rule = active.rule
        if rule.category and rule.category not in context.categories:
            assert list(rule.check(context)) == [], rule.rule_id


def test_the_rules_of_the_vat_categories_say_which_they_are() -> None:
    by_category = {r.rule_id: r.category for r in all_rules() if r.category}
    assert by_category["BR-Z-08"] == "Z" and by_category["BR-AE-02"] == "AE"
    assert len(by_category) > 60
