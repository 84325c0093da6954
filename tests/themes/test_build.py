from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image

from themes.build import THEME_REQUEST_MAX_BYTES, ThemeInvalid, build_theme, parse_theme_request
from themes.logo import MAX_LOGO_BYTES
from themes.palette import CONTRAST_RULES, TOKENS

BODY = {
    "primary": "#ffd400",
    "secondary": "#1d1d1b",
    "accent": "#e30613",
    "module_name": "EDT Compta",
    "font": "humanist",
}


def png_data_url(size: tuple[int, int] = (200, 60)) -> str:
    buffer = io.BytesIO()
    Image.new("RGBA", size, "#ffd400").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_a_theme_without_logo() -> None:
    request = parse_theme_request(BODY)
    assert request.new_logo is None and request.theme.logo is None
    assert request.theme.primary == "#ffd400"


def test_an_uploaded_logo_becomes_a_reference_to_store() -> None:
    request = parse_theme_request({**BODY, "logo": png_data_url()})
    assert request.new_logo is not None and request.theme.logo is not None
    assert request.theme.logo == request.new_logo.ref()
    assert (request.theme.logo.width, request.theme.logo.height) == (200, 60)


def test_a_stored_logo_is_kept_by_sending_back_its_reference() -> None:
    first = parse_theme_request({**BODY, "logo": png_data_url()})
    answer = build_theme(first.theme).summary("acme")
    again = parse_theme_request({**BODY, "accent": "#0a7", "logo": answer["theme"]["logo"]})
    assert again.new_logo is None and again.theme.logo == first.theme.logo


def test_every_field_error_is_reported_at_once() -> None:
    body: dict[str, object] = {key: value for key, value in BODY.items() if key != "accent"}
    body.update(primary="yellow", logo="data:image/gif;base64,R0lGODlh", extra=1)
    with pytest.raises(ThemeInvalid) as caught:
        parse_theme_request(body)
    fields = sorted(error.field for error in caught.value.errors)
    assert fields == ["accent", "extra", "logo", "primary"]
    said = {e.field: (e.fr, e.en) for e in caught.value.errors}
    assert said == {
        "accent": ("Ce champ est obligatoire.", "This field is required."),
        "extra": ("Ce champ n'existe pas : retirez-le.", "This field does not exist: remove it."),
        "logo": (
            "Ce type de fichier n'est pas accepté : envoyez une image PNG, JPEG, WebP ou SVG.",
            "This file type is not accepted: send a PNG, JPEG, WebP or SVG image.",
        ),
        "primary": (
            "Entrez une couleur au format #rrggbb, comme #1a73e8.",
            "Enter a colour as #rrggbb, such as #1a73e8.",
        ),
    }


@pytest.mark.parametrize(
    ("logo", "field"), [(42, "logo"), ({"media_type": "image/png"}, "logo.sha256")]
)
def test_malformed_logo_values(logo: object, field: str) -> None:
    with pytest.raises(ThemeInvalid) as caught:
        parse_theme_request({**BODY, "logo": logo})
    assert caught.value.errors[0].field == field


def test_summary_is_what_publish_and_preview_answer() -> None:
    request = parse_theme_request({**BODY, "logo": png_data_url()})
    built = build_theme(request.theme)
    summary = built.summary("acme")
    json.dumps(summary)  # plain JSON
    assert summary["css_url"] == f"/themes/acme/{built.css.sha256[:16]}.css"
    assert summary["logo_url"].startswith("/themes/acme/logo-")
    assert list(summary["tokens"]) == list(TOKENS)
    assert summary["theme"]["module_name"] == "EDT Compta"
    adjusted = {a["token"] for a in summary["adjustments"]}
    assert {"link", "primary-border", "focus-ring"} <= adjusted  # yellow is not readable text
    assert len(summary["contrast"]) == len(CONTRAST_RULES)
    assert all(row["ratio"] >= row["minimum"] for row in summary["contrast"])


def test_the_request_size_limit_fits_a_maximal_logo() -> None:
    body = json.dumps({**BODY, "logo": "data:image/png;base64," + "A" * (MAX_LOGO_BYTES * 4 // 3)})
    assert len(body.encode()) <= THEME_REQUEST_MAX_BYTES


_WRONG: tuple[object, ...] = (None, "", "   ", "x" * 10_000, "#12345", "red", "\x00", "a\u2028b")
_WRONG += (-1, 0, 1.5, True, [], {}, {"media_type": "image/gif"}, "1" * 70)


@pytest.mark.parametrize("field", [*BODY, "logo"])
def test_every_refusal_of_a_theme_field_is_a_sentence_in_both_languages(field: str) -> None:
    """No pydantic English and no fallback: each refusal has its own words."""
    for wrong in _WRONG:
        try:
            parse_theme_request({**BODY, field: wrong})
        except ThemeInvalid as invalid:
            for error in invalid.errors:
                assert error.field == field or error.field.startswith(f"{field}.")
                assert error.fr != error.en and error.fr != "Cette valeur n'est pas valide."
                assert error.en.endswith(".") and error.fr.endswith("."), error
