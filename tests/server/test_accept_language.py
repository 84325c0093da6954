"""`Accept-Language` read with its q-values: French or English, English by default."""

from __future__ import annotations

import pytest

from server.accept_language import preferred_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("fr", "fr"),
        ("FR-ca", "fr"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,fr;q=0.5", "en"),
        ("en;q=0.1, fr", "fr"),
        ("de-DE, fr;q=0.2", "fr"),
        ("de, it", "en"),
        ("fr;q=0", "en"),
        ("fr;q=0.5, en;q=0.5", "fr"),  # equal weights: the first one named
        ("en;q=0.5, fr;q=0.5", "en"),
        ("fr;q=abc, en;q=0.1", "en"),
        ("fr;q=2", "en"),
        ("*", "en"),
        ("frisian, fr-x;q=0.3", "fr"),
    ],
)
def test_the_preferred_language(header: str | None, language: str) -> None:
    assert preferred_language(header) == language


def test_a_huge_header_is_read_only_so_far() -> None:
    assert preferred_language("de;q=0.9," * 10_000 + "fr") == "en"
