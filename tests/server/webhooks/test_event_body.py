"""An event's JSON is, to the byte, `json.dumps(ensure_ascii=False, compact)` of
its body, whichever encoder wrote it (receivers verify signatures over these bytes)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from server.webhooks.outbox import MAX_INLINE_OBJECT_BYTES, event_body

_TEXT = st.text(st.characters(exclude_categories=("Cs",)))  # control characters too
_INTEGERS = st.integers(min_value=-(2**70), max_value=2**70)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | _INTEGERS | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)
_COLLECTIONS = {"document": "documents", "contact": "contacts", "company": "companies"}
_OBJECTS = st.dictionaries(_TEXT, _JSON_VALUES, max_size=5)


def _compact(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _as_json_wrote_it(
    event_id: str,
    event_type: str,
    created_at: str,
    partner_id: int,
    company_id: int | None,
    object_type: str,
    object_id: int,
    obj: dict[str, Any] | str | None,
) -> str:
    """The body as json writes it, the object's text spliced in as the API wrote it."""
    data: dict[str, Any] = {
        "object_type": object_type,
        "id": object_id,
        "link": f"/api/v1/{_COLLECTIONS[object_type]}/{object_id}",
        "object": json.loads(obj) if isinstance(obj, str) else obj,
    }
    body = {
        "id": event_id,
        "type": event_type,
        "created_at": created_at,
        "api_version": "1",
        "partner_id": partner_id,
        "company_id": company_id,
        "data": data,
    }
    text = _compact(body)
    if obj is not None and len(text.encode()) > MAX_INLINE_OBJECT_BYTES:
        data["object"] = None
        data["object_omitted"] = "too_large"
        text = _compact(body)
    return text


@settings(max_examples=300, deadline=None)
@given(
    event_id=_TEXT,
    event_type=_TEXT,
    created_at=_TEXT,
    partner_id=_INTEGERS,
    company_id=st.none() | _INTEGERS,
    object_type=st.sampled_from(list(_COLLECTIONS)),
    object_id=_INTEGERS,
    obj=st.none() | _OBJECTS | _OBJECTS.map(_compact),
)
def test_an_events_json_is_what_json_writes(
    event_id: str,
    event_type: str,
    created_at: str,
    partner_id: int,
    company_id: int | None,
    object_type: str,
    object_id: int,
    obj: dict[str, Any] | str | None,
) -> None:
    given_args = (event_id, event_type, created_at, partner_id, company_id, object_type, object_id)
    assert event_body(*given_args, obj) == _as_json_wrote_it(*given_args, obj)


def test_a_large_object_is_left_out_whichever_way_it_was_given() -> None:
    data = {"text": "é" * MAX_INLINE_OBJECT_BYTES}
    for obj in (data, _compact(data)):
        body = json.loads(event_body("e", "contact.created", "t", 1, None, "contact", 2, obj))
        assert body["data"]["object"] is None
        assert body["data"]["object_omitted"] == "too_large"
