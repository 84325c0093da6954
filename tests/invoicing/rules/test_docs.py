"""docs/rules.md lists every rule, so that what the editor checks is known."""

from __future__ import annotations

from pathlib import Path

from invoicing.rules import all_rules
from invoicing.rules.docs import rules_table

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def test_every_rule_is_in_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"`{rule.rule_id}`" in text, rule.rule_id


def test_the_table_is_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert rules_table() in text, "regenerate with: python -m invoicing.rules.docs"
