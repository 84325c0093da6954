"""The words said for refused input (invoicing/input_messages.py): a short
sentence in French and in English for every kind of error, limits filled in,
never a pattern."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from invoicing.input_messages import MESSAGES, input_message, input_messages
from invoicing.model import Document
from invoicing.samples import demo_invoice


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_each_kind_is_a_sentence_in_both_languages_with_the_same_blanks(kind: str) -> None:
    fr, en = MESSAGES[kind]
    for text in (fr, en):
        assert text[0].isupper() and text.endswith("."), text
    assert fr != en
    assert _placeholders(fr) == _placeholders(en)


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$", max_length=3)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=5)]
    amount: Decimal = Field(ge=0, max_digits=6, decimal_places=2)
    count: int = Field(gt=0, lt=10)
    kind: Literal["invoice", "quote", "credit_note"]
    tags: list[str] = Field(default_factory=list, min_length=0, max_length=2)


def _errors(data: dict[str, Any], language: Literal["fr", "en"]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(data)
    return {
        str(error["loc"][0]): input_message(error, language)
        for error in caught.value.errors(include_url=False)
    }


def test_limits_and_choices_are_said_and_the_pattern_is_not() -> None:
    data = {
        "code": "eur",
        "name": "",
        "amount": "1.234",
        "count": 10,
        "kind": "bill",
        "tags": ["a", "b", "c"],
        "surprise": 1,
    }
    assert _errors(data, "fr") == {
        "code": "Ce code ou ce format n'est pas valide.",
        "name": "Ce champ ne peut pas être vide.",
        "amount": "Ce nombre a trop de décimales : 2 au plus.",
        "count": "Entrez un nombre inférieur à 10.",
        "kind": "Cette valeur est inconnue : choisissez parmi 'invoice', 'quote' ou 'credit_note'.",
        "tags": "Cette liste est trop longue : 2 éléments au plus.",
        "surprise": "Ce champ n'existe pas : retirez-le.",
    }
    assert _errors(data, "en") == {
        "code": "This code or format is not valid.",
        "name": "This field cannot be empty.",
        "amount": "This number has too many decimals: 2 at most.",
        "count": "Enter a number less than 10.",
        "kind": "This value is unknown: use one of 'invoice', 'quote' or 'credit_note'.",
        "tags": "This list is too long: 2 items at most.",
        "surprise": "This field does not exist: remove it.",
    }
    other = {"code": "EURO", "name": "Too long", "amount": "-1", "count": 0, "kind": "quote"}
    assert _errors(other, "en") == {
        "code": "This text is too long: 3 characters at most.",
        "name": "This text is too long: 5 characters at most.",
        "amount": "Enter 0 or more.",
        "count": "Enter a number greater than 0.",
    }
    assert _errors({}, "fr")["kind"] == "Ce champ est obligatoire."


def test_a_french_decimal_comma_gets_the_hint() -> None:
    error = {"type": "decimal_parsing", "input": " 1,5 ", "msg": "Decimal input should be..."}
    assert input_messages(error) == (
        "Écrivez les décimales avec un point : 1.5.",
        "Write decimals with a point: 1.5.",
    )


def test_a_control_character_is_named_and_placed_counting_from_one() -> None:
    raw = demo_invoice(1).model_dump(mode="json")
    raw["lines"][0]["name"] = "ab\x07c"
    with pytest.raises(ValidationError) as caught:
        Document.model_validate(raw)
    [error] = caught.value.errors(include_url=False)
    assert input_messages(error) == (
        "Ce texte contient un caractère de contrôle invisible (U+0007, caractère n° 3) : "
        "supprimez-le.",
        "This text contains an invisible control character (U+0007, character 3): remove it.",
    )


def test_our_own_validators_are_translated_and_an_unknown_one_is_kept_in_english() -> None:
    known = {"type": "value_error", "msg": "Value error, give either `amount` or `percent`"}
    assert input_messages(known) == (
        "Indiquez soit `amount`, soit `percent`.",
        "Give either `amount` or `percent`.",
    )
    unknown = {"type": "value_error", "msg": "Value error, the moon is not full"}
    assert input_messages(unknown) == ("Cette valeur n'est pas valide.", "The moon is not full.")
    assert input_messages({"type": "no_such_kind"}) == (
        "Cette valeur n'est pas valide.",
        "This value is not valid.",
    )


_PATTERN_LIKE = re.compile(r"[\^$\\]|\[[^\]]*-[^\]]*\]|Input should|String should")


def test_a_whole_broken_invoice_is_said_in_sentences_without_patterns() -> None:
    raw = demo_invoice(2).model_dump(mode="json")
    raw["currency"] = "euro"
    raw["issue_date"] = "31/12/2026"
    raw["lines"][0].update(quantity="many", vat_category="X", unit="")
    raw["lines"][1] = "a line"
    raw["buyer"]["vat_id"] = "not a VAT number"
    raw["surprise"] = True
    with pytest.raises(ValidationError) as caught:
        Document.model_validate(raw)
    errors = caught.value.errors(include_url=False)
    assert {error["type"] for error in errors} - set(MESSAGES) == set()
    for error in errors:
        for text in input_messages(error):
            assert text[0].isupper() and text.endswith("."), text
            assert not _PATTERN_LIKE.search(text), text
