"""Findings: sorted, stable, grouped by field, serializable."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from invoicing.profiles import Profile
from invoicing.rules import Finding, Findings, Severity, official_ids_of


def _finding(rule_id: str, severity: Severity, *fields: str, official: str = "") -> Finding:
    return Finding(
        rule_id=rule_id,
        official_ids=(official,) if official else (),
        severity=severity,
        fields=fields,
        message_fr="fr",
        message_en="en",
        profile=Profile.BASIC if official else None,
    )


def test_errors_first_then_by_field_then_id() -> None:
    findings = Findings(
        [
            _finding("W-1", Severity.WARNING, "buyer.name"),
            _finding("BR-25", Severity.ERROR, "lines[10].name"),
            _finding("BR-25", Severity.ERROR, "lines[2].name"),
            _finding("BR-07", Severity.ERROR, "buyer.name"),
            _finding("BR-02", Severity.ERROR, "number"),
            _finding("BL-A", Severity.ERROR, "buyer.name"),
        ]
    )
    assert [(f.rule_id, f.fields[0]) for f in findings] == [
        ("BL-A", "buyer.name"),
        ("BR-07", "buyer.name"),
        ("BR-25", "lines[2].name"),
        ("BR-25", "lines[10].name"),
        ("BR-02", "number"),
        ("W-1", "buyer.name"),
    ]
    assert [f.rule_id for f in findings.errors] == ["BL-A", "BR-07", "BR-25", "BR-25", "BR-02"]
    assert [f.rule_id for f in findings.warnings] == ["W-1"]
    assert not findings.ok


@given(st.permutations(list(range(6))))
def test_order_does_not_depend_on_input_order(order: list[int]) -> None:
    items = [
        _finding(f"R-{i % 3}", Severity.ERROR if i % 2 else Severity.WARNING, f"lines[{i}].x")
        for i in range(6)
    ]
    assert Findings(items[i] for i in order) == Findings(items)


def test_duplicates_collapse_and_by_field_groups() -> None:
    both = _finding(
        "BR-CO-26", Severity.ERROR, "seller.siren", "seller.vat_id", official="BR-CO-26"
    )
    findings = Findings([both, both, _finding("BL-INPUT", Severity.ERROR, "")])
    assert len(findings) == 2
    grouped = findings.by_field()
    assert grouped["seller.siren"] == [both] and grouped["seller.vat_id"] == [both]
    assert [f.rule_id for f in grouped[""]] == ["BL-INPUT"]
    assert official_ids_of(findings) == {"BR-CO-26"}


def test_as_dicts_is_json() -> None:
    finding = _finding("BR-25", Severity.ERROR, "lines[0].name", official="BR-25")
    data = json.loads(json.dumps(Findings([finding]).as_dicts()))
    assert data == [
        {
            "rule_id": "BR-25",
            "official_ids": ["BR-25"],
            "severity": "error",
            "fields": ["lines[0].name"],
            "message_fr": "fr",
            "message_en": "en",
            "profile": "basic",
        }
    ]


def test_warnings_do_not_count_as_official_errors() -> None:
    warning = _finding("X", Severity.WARNING, "a", official="BR-1")
    assert official_ids_of([warning]) == set()
    assert official_ids_of([warning], errors_only=False) == {"BR-1"}
