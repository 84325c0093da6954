"""The text types' refusal of characters XML cannot carry (invoicing.text)."""

from __future__ import annotations

import sys

import pytest

from invoicing.text import _FORBIDDEN, refuse_control_characters


def test_every_refused_character_is_unprintable() -> None:
    # refuse_control_characters lets a printable string through without searching it.
    refused = (chr(code) for code in range(sys.maxunicode + 1))
    assert [c for c in refused if _FORBIDDEN.match(c) and c.isprintable()] == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a\x01b", "U+0001 at position 1"),
        ("tab\tthen\x1f", "U+001F at position 8"),
        ("no-break\u00a0space \ufffe", "U+FFFE at position 15"),
        ("\ud800", "U+D800 at position 0"),
    ],
)
def test_unprintable_text_is_still_searched(value: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        refuse_control_characters(value)
    assert str(refused.value) == f"contains the control character {message}; remove it"


@pytest.mark.parametrize("value", ["Déplacement", "line\nbreak\ttab\r", "1\u202f000\u00a0€", ""])
def test_allowed_text_passes_unchanged(value: str) -> None:
    assert refuse_control_characters(value) is value
