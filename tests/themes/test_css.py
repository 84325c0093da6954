from __future__ import annotations

import hashlib
import re

import pytest

from themes.css import (
    ThemeCss,
    check_partner_slug,
    default_css,
    etag_matches,
    parse_css_file_name,
    render_css,
)
from themes.model import DEFAULT_THEME, FONT_STACKS, FontChoice, Theme
from themes.palette import TOKENS, derive_palette

ACME = Theme(primary="#e30613", secondary="#1d1d1b", accent="#ffb400", module_name="EDT Compta")


def test_css_declares_every_token_once_with_a_hex_value() -> None:
    css = render_css(ACME).text
    declared = re.findall(r"--bl-([a-z-]+): (#[0-9a-f]{6});", css)
    assert [name for name, _ in declared] == list(TOKENS)
    palette = derive_palette(ACME.primary, ACME.secondary, ACME.accent)
    assert dict(declared) == dict(palette.tokens)
    assert css.startswith(":root {") and css.rstrip().endswith("}")
    assert f"--bl-font-family: {FONT_STACKS[FontChoice.SYSTEM]};" in css


def test_font_choice_comes_from_the_safe_list() -> None:
    serif = render_css(ACME.model_copy(update={"font": FontChoice.SERIF})).text
    assert f"--bl-font-family: {FONT_STACKS[FontChoice.SERIF]};" in serif
    with pytest.raises(ValueError):
        Theme.model_validate({**ACME.model_dump(), "font": "Comic Sans; } body { x"})


def test_url_and_etag_come_from_the_content_hash() -> None:
    css = render_css(ACME)
    assert css.sha256 == hashlib.sha256(css.body).hexdigest()
    assert css.path("acme-42") == f"/themes/acme-42/{css.sha256[:16]}.css"
    assert parse_css_file_name(css.file_name) == css.sha256[:16]
    assert css.etag == f'"{css.sha256[:32]}"'
    assert ThemeCss.from_text(css.text) == css


def test_same_theme_same_url_and_any_colour_change_a_new_url() -> None:
    assert render_css(ACME) == render_css(ACME.model_copy())
    other = render_css(ACME.model_copy(update={"accent": "#ffb401"}))
    assert other.sha256 != render_css(ACME).sha256
    # Module name and logo are not CSS: they do not move the URL.
    renamed = ACME.model_copy(update={"module_name": "Autre nom"})
    assert render_css(renamed).sha256 == render_css(ACME).sha256


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("", False),
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", "abc"', True),
        ("*", True),
        ('"abcd"', False),
        ("abc", False),
    ],
)
def test_if_none_match(header: str | None, matches: bool) -> None:
    assert etag_matches(header, '"abc"') is matches


@pytest.mark.parametrize(
    "name", ["0123456789abcdef.css", "0123456789ABCDEF.css", "../x.css", "0123.css", "a.css.map"]
)
def test_css_file_names(name: str) -> None:
    expected = "0123456789abcdef" if name == "0123456789abcdef.css" else None
    assert parse_css_file_name(name) == expected


@pytest.mark.parametrize("slug", ["", "../etc", "a/b", "a b", "x" * 65, "-lead"])
def test_partner_slug_refuses_what_does_not_belong_in_a_path(slug: str) -> None:
    with pytest.raises(ValueError):
        check_partner_slug(slug)


def test_default_theme_is_neutral_and_needs_no_adjustment() -> None:
    css = default_css()
    assert css == render_css(DEFAULT_THEME)
    assert css.path("default").startswith("/themes/default/")
    palette = derive_palette(DEFAULT_THEME.primary, DEFAULT_THEME.secondary, DEFAULT_THEME.accent)
    assert palette.adjustments == ()
