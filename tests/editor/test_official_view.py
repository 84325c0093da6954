"""The official check's findings as the editor shows them: by rule id, in the user's
language, mapped to a field; never the validators' raw texts outside the collapsed
technical details."""

from __future__ import annotations

import re

from editor.official_view import official_view
from editor.render import official_html

RAW_XSD = (
    "Element '{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity"
    ":100}ApplicableHeaderTradeAgreement': This element is not expected."
)
BLANK = {
    "state": "errors",
    "profile": "Factur-X EN 16931 + BR-FR",
    "covered": ["BR-07", "BR-16"],
    "errors": [
        {"rule_id": "XSD", "message": RAW_XSD},
        {"rule_id": "BR-16", "message": "[BR-16]-An Invoice shall have at least one line."},
        {"rule_id": "BR-07", "message": "[BR-07]-An Invoice shall contain the Buyer name."},
        {"rule_id": "BR-FR-12_BT-49", "message": "BR-FR-12/BT-49 : Le BT-49 est obligatoire."},
        {"rule_id": "BR-FR-12_BT-49", "message": "twice"},
        {"rule_id": "ZZ-UNKNOWN-1", "message": "something new"},
    ],
}


def test_covered_ids_are_not_repeated_and_the_others_are_translated_and_mapped() -> None:
    view = official_view(BLANK, "fr")
    assert view.repeated == 2
    items = {item.rule_id: item for item in view.items}
    assert list(items) == ["XSD", "BR-FR-12_BT-49", "ZZ-UNKNOWN-1"]
    assert items["BR-FR-12_BT-49"].field == "buyer.electronic_address"
    assert items["BR-FR-12_BT-49"].message.startswith("Indiquez l'adresse électronique")
    assert items["BR-FR-12_BT-49"].editable
    assert not items["XSD"].field and "structure" in items["XSD"].message
    assert "ZZ-UNKNOWN-1" in items["ZZ-UNKNOWN-1"].message
    english = {item.rule_id: item.message for item in official_view(BLANK, "en").items}
    assert english["BR-FR-12_BT-49"].startswith("Enter the customer's electronic")
    assert len(view.technical) == 6


def test_raw_texts_only_inside_the_collapsed_technical_details() -> None:
    for locale in ("fr", "en"):
        html = official_html(BLANK, locale)
        outside = re.sub(r"<details.*?</details>", "", html, flags=re.S)
        assert "urn:un:unece" not in outside and "shall" not in outside
        assert "BT-49 est obligatoire" not in outside
        details = re.search(r"<details class=\"bl-technical\">(.*?)</details>", html, re.S)
        assert details and "This element is not expected" in details.group(1)
        assert '<details class="bl-technical" open' not in html
        assert 'data-focus="buyer.electronic_address"' in outside


def test_all_covered_says_so_plainly() -> None:
    official = {**BLANK, "errors": BLANK["errors"][1:3]}
    html = official_html(official, "fr")
    assert "les mêmes points que la liste ci-dessus" in html
    assert official_html({"state": "ok", "profile": "Factur-X"}, "en").count("Meets") == 1


def test_the_billing_mode_is_said_in_plain_words_not_codes() -> None:
    official = {
        "state": "errors",
        "profile": "Factur-X EN 16931 + BR-FR",
        "errors": [{"rule_id": "BR-FR-08_BT-23", "message": "Valeurs acceptées : B1, S1"}],
    }
    for locale, words in (("fr", "biens, des services"), ("en", "goods, services")):
        (item,) = official_view(official, locale).items
        assert words in item.message and "B1" not in item.message
        assert item.field == "business_process"
