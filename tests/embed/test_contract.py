"""The host-page contract: a JSON Schema per event (embed/events/), and embed.d.ts and
PROTOCOL.md generated from them. The browser journey that validates what the editor
really posts is tests/e2e/test_host_contract.py."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest

from embed.contract import EVENT_TYPES, EVENTS_DIR, generated, payload_name, schemas


def test_one_schema_per_event_type_and_no_other() -> None:
    files = sorted(path.name for path in EVENTS_DIR.iterdir())
    assert files == sorted(f"{name}.schema.json" for name in EVENT_TYPES)


def test_the_generated_types_and_table_are_up_to_date() -> None:
    for path, text in generated().items():
        assert path.read_text("utf-8") == text, f"run python -m embed.contract ({path.name})"


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_each_schema_is_valid_and_describes_a_version_1_message(event_type: str) -> None:
    schema = schemas()[event_type]
    jsonschema_rs.Draft202012Validator(schema)  # raises on an invalid schema
    assert schema["title"] == event_type
    envelope = schema["properties"]
    assert envelope["source"] == {"const": "blanche"}
    assert envelope["version"] == {"const": 1}
    assert envelope["type"] == {"const": event_type}
    payload = envelope["payload"]
    assert payload["additionalProperties"] is False  # nothing posted goes undocumented
    assert set(payload["required"]) <= set(payload["properties"])


def test_a_schema_refuses_what_it_does_not_describe() -> None:
    validator = jsonschema_rs.Draft202012Validator(schemas()["document.saved"])
    totals = {
        "currency": "EUR",
        "tax_exclusive": "10.00",
        "vat": "2.00",
        "tax_inclusive": "12.00",
        "amount_due": "12.00",
    }
    good = {
        "source": "blanche",
        "version": 1,
        "type": "document.saved",
        "payload": {
            "document_id": 3,
            "id": 3,
            "kind": "invoice",
            "status": "draft",
            "number": None,
            "valid": True,
            "saved_at": "2026-12-07T10:42:00+00:00",
            "totals": totals,
            "currency": "EUR",
            "tax_exclusive_amount": "10.00",
            "vat_amount": "2.00",
            "tax_inclusive_amount": "12.00",
            "amount_due": "12.00",
        },
    }
    assert validator.is_valid(good)
    for change in ({"amount_due": 12.0}, {"document_id": "3"}, {"extra": 1}, {"kind": "bill"}):
        bad = json.loads(json.dumps(good))
        bad["payload"].update(change)
        assert not validator.is_valid(bad), change
    assert not validator.is_valid({**good, "version": 2})


def test_payload_names_are_those_of_the_types_file() -> None:
    declarations = generated()[next(iter(generated()))]
    for event_type in EVENT_TYPES:
        assert f"export interface {payload_name(event_type)} {{" in declarations
