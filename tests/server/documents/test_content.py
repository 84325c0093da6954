"""The stored content's bytes are those `json.dumps(sort_keys=True, separators=(",", ":"),
ensure_ascii=False)` writes, whichever library writes them: the journal hashes them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.model import Document, Note
from server.documents.content import canonical_dumps, canonical_json
from tests.strategies import documents


def reference(data: Any) -> str:
    """How the stored content was always written."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# What JSON writers escape, or do not, each their own way: quotes, backslash, control
# characters, DEL, the JavaScript line separators, a byte order mark, lone surrogates
# (which orjson refuses), the last code point, emoji.
_NASTY = (
    '"',
    "\\",
    "/",
    "\x00",
    "\x08",
    "\x1f",
    "\x7f",
    "\x80",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\U0010ffff",
    "🧾",
    "é",
    "</script>",
)
strings = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=())),  # every code point
    st.lists(st.sampled_from(_NASTY), max_size=8).map("".join),
)
# JSON as a Document's `model_dump(mode="json")` has it: no floats (decimals are text),
# integers unbounded (orjson refuses those beyond 64 bits).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner, max_size=4),
    max_leaves=20,
)
big_decimals = st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal("1E+400"), Decimal("-0.000000000000000000000001"), Decimal("99999999999999.9999")]
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_any_json_is_written_as_json_dumps_writes_it(data: Any) -> None:
    assert canonical_dumps(data) == reference(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(max_lines=4), strings, strings, big_decimals, st.data())
def test_a_document_is_written_as_json_dumps_writes_it(
    document: Document, name: str, note: str, quantity: Decimal, data: st.DataObject
) -> None:
    # Set without validating: whatever a document may hold, even what the model refuses.
    line = document.lines[0].model_copy(
        update={"name": name, "description": data.draw(strings), "quantity": quantity}
    )
    nasty = document.model_copy(
        update={
            "lines": [line, *document.lines[1:]],
            "notes": [Note.model_construct(text=note, subject=None), *document.notes],
            "buyer": document.buyer.model_copy(update={"name": data.draw(strings)}),
        }
    )
    assert canonical_json(nasty) == reference(nasty.model_dump(mode="json"))


def test_a_document_dumped_as_json_has_no_float() -> None:
    """Floats are the one value the two libraries write differently (1e-07, 1e-7)."""
    schema = json.dumps(Document.model_json_schema(mode="serialization"))
    assert '"type": "number"' not in schema
