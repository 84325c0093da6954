"""The studio's words: the browser's language first, every contrast purpose of the
palette said in French, the adjustment reasons too, the sample's buttons the editor's."""

from __future__ import annotations

from themes.palette import CONTRAST_RULES
from themes.studio.words import language_of, purpose, reason, sample_buttons, words


def test_the_browsers_language_then_french() -> None:
    assert language_of("en-GB,en;q=0.9") == "en"
    assert language_of("de-DE,fr;q=0.8,en;q=0.5") == "fr"
    assert language_of("") == "fr"
    assert words("fr").keys() == words("en").keys()


def test_every_contrast_purpose_is_said_in_french() -> None:
    for rule in CONTRAST_RULES:
        assert purpose(rule.purpose, "fr") != rule.purpose, rule.purpose
        assert purpose(rule.purpose, "en") == rule.purpose


def test_adjustment_reasons_in_french() -> None:
    text = (
        "contrast 2.10:1 with surface-bg is below 4.5:1 (body text); "
        "contrast 1.20:1 with page-bg is below 3:1 (primary button outline)"
    )
    assert reason(text, "fr") == (
        "contraste 2,10:1 avec surface-bg, sous 4,5:1 (texte courant); "
        "contraste 1,20:1 avec page-bg, sous 3:1 (contour des boutons primary)"
    )
    assert reason(text, "en") == text


def test_the_sample_shows_the_editors_buttons() -> None:
    assert sample_buttons("fr") == ("Enregistrer", "Dupliquer", "Finaliser")
    assert sample_buttons("en") == ("Save", "Duplicate", "Finalize")
