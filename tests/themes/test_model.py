from __future__ import annotations

import pytest
from pydantic import ValidationError

from themes.model import FontChoice, LogoRef, Theme

VALID = {"primary": "#E30613", "secondary": "1d1d1b", "accent": "#fb0", "module_name": " EDT "}


def test_colours_are_normalized_and_the_name_trimmed() -> None:
    theme = Theme.model_validate(VALID)
    assert (theme.primary, theme.secondary, theme.accent) == ("#e30613", "#1d1d1b", "#ffbb00")
    assert theme.module_name == "EDT"
    assert theme.font is None and theme.logo is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("primary", "red"),
        ("primary", "#12345"),
        ("secondary", "#1234567"),
        ("accent", "url(javascript:x)"),
        ("accent", 123456),
        ("module_name", ""),
        ("module_name", "   "),
        ("module_name", "EDT\x00Compta"),
        ("module_name", "line\nbreak"),
        ("module_name", "x" * 61),
        ("font", "papyrus"),
        ("unknown", "x"),
    ],
)
def test_invalid_fields_are_named(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Theme.model_validate({**VALID, field: value})
    assert [error["loc"][0] for error in caught.value.errors()] == [field]


def test_fonts_and_logo_reference() -> None:
    logo = LogoRef(media_type="image/png", sha256="a" * 64, width=120, height=40, size=900)
    theme = Theme.model_validate({**VALID, "font": "serif", "logo": logo.model_dump()})
    assert theme.font is FontChoice.SERIF and theme.logo == logo
    assert Theme.model_validate(theme.model_dump(mode="json")) == theme
    with pytest.raises(ValidationError):
        LogoRef.model_validate(
            {"media_type": "image/gif", "sha256": "a" * 64, "width": 1, "height": 1, "size": 1}
        )
    with pytest.raises(ValidationError):
        LogoRef(media_type="image/png", sha256="A" * 64, width=1, height=1, size=1)
