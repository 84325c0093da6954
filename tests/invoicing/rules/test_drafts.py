"""Half-typed drafts from the editor: findings, never exceptions."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.model import Document
from invoicing.rules import INPUT_RULE_ID, validate
from invoicing.rules.drafts import parse_draft
from invoicing.samples import demo_invoice


def _input_findings(raw: object) -> dict[str, str]:
    return {f.fields[0]: f.message_en for f in validate(raw).errors if f.rule_id == INPUT_RULE_ID}


def test_a_french_decimal_gets_a_hint_and_the_rest_is_validated() -> None:
    raw = demo_invoice(2).model_dump(mode="json")
    raw["lines"][1]["quantity"] = "1,5"
    raw["lines"][0]["net_price"] = "abc"
    raw["buyer"]["name"] = ""
    findings = validate(raw)
    inputs = _input_findings(raw)
    assert inputs["lines[1].quantity"] == "lines[1].quantity: Write decimals with a point: 1.5."
    assert inputs["lines[0].net_price"] == "lines[0].net_price: Enter a number."
    assert "BR-07" in findings.rule_ids()  # the rest of the draft is still checked
    assert len(findings.by_field()["lines[1].quantity"]) == 1


def test_refused_values_and_shapes() -> None:
    raw: dict[str, Any] = {
        "number": "F\x00-1",
        "currency": "euro",
        "lines": [{"quantity": "2", "unit": ""}, "not a line", {"vat_category": "X"}],
        "notes": [{"subject": "PMT"}],
        "seller": "me",
        "surprise": 1,
        "classifications": [],
    }
    inputs = _input_findings(raw)
    assert "control character" in inputs["number"]
    assert set(inputs) >= {
        "currency",
        "lines[0].unit",
        "lines[1]",
        "lines[2].vat_category",
        "notes[0].text",
        "seller",
        "surprise",
    }
    document, _ = parse_draft(raw)
    assert len(document.lines) == 3  # refused items are emptied, not removed
    assert document.notes[0].text == "" and document.notes[0].subject == "PMT"


def test_documents_pass_through_and_non_mappings_are_findings() -> None:
    document = demo_invoice(1)
    assert parse_draft(document) == (document, [])
    for raw in (None, "invoice", 42, ["lines"]):
        findings = validate(raw)
        assert [f.fields for f in findings if f.rule_id == INPUT_RULE_ID] == [("",)]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_field_names = st.sampled_from(
    [
        "number", "issue_date", "currency", "kind", "type_code", "notes", "lines", "seller",
        "buyer", "payment_means", "allowances_charges", "delivery", "payee", "due_date",
        "preceding_invoices", "supporting_documents", "tax_representative", "prepaid_amount",
    ]
)  # fmt: skip
_line_fields = st.sampled_from(
    ["quantity", "net_price", "unit", "vat_rate", "vat_category", "name", "allowances_charges"]
)
_drafts = st.one_of(
    _json,
    st.dictionaries(_field_names, _json, max_size=8),
    st.fixed_dictionaries(
        {"lines": st.lists(st.dictionaries(_line_fields, _json, max_size=5), max_size=4)},
        optional={"seller": st.dictionaries(st.sampled_from(["name", "siren", "address"]), _json)},
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_drafts, st.booleans())
def test_arbitrary_drafts_never_raise(raw: object, french: bool) -> None:
    findings = validate(raw, french=french)
    assert all(f.rule_id != "BL-INTERNAL" for f in findings), findings.as_dicts()
    document, inputs = parse_draft(raw)
    assert isinstance(document, Document)
    assert all(f.rule_id == INPUT_RULE_ID and len(f.fields) == 1 for f in inputs)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_one_bad_value_in_a_good_document_is_reported_on_its_field(data: st.DataObject) -> None:
    raw = demo_invoice(3).model_dump(mode="json")
    index = data.draw(st.integers(0, 2))
    field = data.draw(st.sampled_from(["quantity", "net_price", "vat_rate", "base_quantity"]))
    raw["lines"][index][field] = data.draw(st.sampled_from(["abc", "1,5", "NaN", [], {}, "1e999"]))
    inputs = _input_findings(raw)
    assert list(inputs) == [f"lines[{index}].{field}"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_drafts)
def test_reading_a_draft_never_changes_it(raw: object) -> None:
    """Repairs work on a private copy, made only when one is needed."""
    before = repr(raw)
    parse_draft(raw)
    assert repr(raw) == before
