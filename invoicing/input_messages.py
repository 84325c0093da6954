"""What to tell a person whose input pydantic refused, in French and in English:
one short sentence per pydantic error type, the limit filled in when known, and
never the pattern or the input itself (a pattern is no help to a person and the
input may be huge or hold the invisible character at fault). The API's problem
details and the editor's findings both say these words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

Language = Literal["fr", "en"]

_NUMBER = ("Entrez un nombre.", "Enter a number.")
_WHOLE = ("Entrez un nombre entier.", "Enter a whole number.")
# The editor swaps "(AAAA-MM-JJ)" for the day-first form it shows (editor/shown_findings.py).
_DATE = ("Entrez une date (AAAA-MM-JJ).", "Enter a date (YYYY-MM-DD).")
_DATETIME = (
    "Entrez une date et une heure (AAAA-MM-JJTHH:MM:SS).",
    "Enter a date and time (YYYY-MM-DDTHH:MM:SS).",
)
_BOOL = ("Indiquez vrai ou faux (true ou false).", "Enter true or false.")
_OBJECT = (
    "Cette valeur n'a pas la bonne forme : un objet est attendu.",
    "This value has the wrong shape: an object is expected.",
)
_URL = ("Entrez une adresse web valide (https://…).", "Enter a valid web address (https://…).")
_TEXT = ("Entrez du texte.", "Enter text.")

# (French, English) by pydantic error type; {name} is filled from the error's context.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Ce champ est obligatoire.", "This field is required."),
    "extra_forbidden": (
        "Ce champ n'existe pas : retirez-le.",
        "This field does not exist: remove it.",
    ),
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "int_parsing_size": ("Ce nombre est trop grand.", "This number is too large."),
    "finite_number": ("Entrez un nombre fini.", "Enter a finite number."),
    "decimal_max_digits": (
        "Ce nombre a trop de chiffres : {max_digits} au plus.",
        "This number has too many digits: {max_digits} at most.",
    ),
    "decimal_max_places": (
        "Ce nombre a trop de décimales : {decimal_places} au plus.",
        "This number has too many decimals: {decimal_places} at most.",
    ),
    "decimal_whole_digits": (
        "Ce nombre a trop de chiffres avant la virgule : {whole_digits} au plus.",
        "This number has too many digits before the decimal point: {whole_digits} at most.",
    ),
    "greater_than": ("Entrez un nombre supérieur à {gt}.", "Enter a number greater than {gt}."),
    "greater_than_equal": ("Entrez un nombre égal ou supérieur à {ge}.", "Enter {ge} or more."),
    "less_than": ("Entrez un nombre inférieur à {lt}.", "Enter a number less than {lt}."),
    "less_than_equal": ("Entrez un nombre égal ou inférieur à {le}.", "Enter {le} or less."),
    "string_type": _TEXT,
    "string_unicode": _TEXT,
    "string_too_long": (
        "Ce texte est trop long : {max_length} caractères au plus.",
        "This text is too long: {max_length} characters at most.",
    ),
    "string_too_short": (
        "Ce texte est trop court : {min_length} caractères au moins.",
        "This text is too short: {min_length} characters at least.",
    ),
    "string_pattern_mismatch": (
        "Ce code ou ce format n'est pas valide.",
        "This code or format is not valid.",
    ),
    "too_long": (
        "Cette liste est trop longue : {max_length} éléments au plus.",
        "This list is too long: {max_length} items at most.",
    ),
    "too_short": (
        "Cette liste est trop courte : {min_length} éléments au moins.",
        "This list is too short: {min_length} items at least.",
    ),
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_inexact": ("Entrez une date sans heure.", "Enter a date without a time."),
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "enum": (
        "Cette valeur est inconnue : choisissez parmi {expected}.",
        "This value is unknown: use one of {expected}.",
    ),
    "literal_error": (
        "Cette valeur est inconnue : choisissez parmi {expected}.",
        "This value is unknown: use one of {expected}.",
    ),
    "bool_parsing": _BOOL,
    "bool_type": _BOOL,
    "list_type": ("Entrez une liste.", "Enter a list."),
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "url_parsing": _URL,
    "url_type": _URL,
    "url_scheme": _URL,
    "url_too_long": _URL,
    "value_error": ("Cette valeur n'est pas valide.", "This value is not valid."),
}
_ANYTHING_ELSE = ("Cette valeur n'est pas valide.", "This value is not valid.")

# A single item or character: said without the plural.
_SINGULAR: dict[str, tuple[str, str]] = {
    "string_too_short": ("Ce champ ne peut pas être vide.", "This field cannot be empty."),
    "too_short": (
        "Cette liste doit contenir au moins un élément.",
        "This list needs at least one item.",
    ),
}

# Our own validators' messages (value_error, by their English text), said as sentences.
_VALUE_ERRORS: dict[str, tuple[str, str]] = {
    "`days` is required for this kind of payment term": (
        "Indiquez `days` pour ce type d'échéance.",
        "Give `days` for this kind of payment term.",
    ),
    "`date` is required for a fixed date": (
        "Indiquez `date` pour une échéance à date fixe.",
        "Give `date` for a fixed date.",
    ),
    "`days` applies only to days and days_end_of_month": (
        "`days` ne s'applique qu'aux échéances days et days_end_of_month.",
        "`days` applies only to days and days_end_of_month.",
    ),
    "`date` applies only to fixed_date": (
        "`date` ne s'applique qu'à l'échéance fixed_date.",
        "`date` applies only to fixed_date.",
    ),
    "quotes need a prefix of their own: their numbers may have gaps": (
        "Les devis ont besoin de leur propre préfixe : leur numérotation peut avoir des trous.",
        "Quotes need a prefix of their own: their numbers may have gaps.",
    ),
    "give either `amount` or `percent`": (
        "Indiquez soit `amount`, soit `percent`.",
        "Give either `amount` or `percent`.",
    ),
    "a `percent` is a share of a quote: give `quote_id`": (
        "Un `percent` est une part d'un devis : indiquez `quote_id`.",
        "A `percent` is a share of a quote: give `quote_id`.",
    ),
    "is not an email address such as name@example.fr": (
        "Entrez une adresse e-mail, comme nom@exemple.fr.",
        "Enter an email address, such as name@example.fr.",
    ),
    "must be one line": ("Écrivez ce texte sur une seule ligne.", "Write this text on one line."),
    "must be a hex colour like #1a73e8": (
        "Entrez une couleur au format #rrggbb, comme #1a73e8.",
        "Enter a colour as #rrggbb, such as #1a73e8.",
    ),
}
_CONTROL = (
    "Ce texte contient un caractère de contrôle invisible{where} : supprimez-le.",
    "This text contains an invisible control character{where}: remove it.",
)
_CONTROL_WHERE = re.compile(r"(U\+[0-9A-F]{4,6}) at position (\d{1,9})")
_COMMA_DECIMAL = re.compile(r"\s*-?\d{1,30},\d{1,30}\s*")
_ACCEPTED_OR = re.compile(r" or (?='[^']*'$)")


def input_messages(error: Mapping[str, Any]) -> tuple[str, str]:
    """(French, English) for one of pydantic's `ValidationError.errors()`."""
    kind = str(error.get("type", ""))
    given = error.get("input")
    number_error = kind in ("decimal_parsing", "decimal_type", "float_parsing")
    if number_error and isinstance(given, str) and _COMMA_DECIMAL.fullmatch(given):
        dotted = given.strip().replace(",", ".")
        return (
            f"Écrivez les décimales avec un point : {dotted}.",
            f"Write decimals with a point: {dotted}.",
        )
    if kind == "value_error":
        return _value_error(str(error.get("msg", "")).removeprefix("Value error, "))
    context = dict(error.get("ctx") or {})
    if kind in ("too_short", "too_long") and _is_text(given, context):
        kind = f"string_{kind}"  # a text constrained after a validator of its own
    one = context.get("min_length") == 1
    fr, en = (_SINGULAR if one else MESSAGES).get(kind) or MESSAGES.get(kind, _ANYTHING_ELSE)
    if "expected" in context:
        french_context = {**context, "expected": _ACCEPTED_OR.sub(" ou ", str(context["expected"]))}
    else:
        french_context = context
    try:
        return fr.format_map(french_context), en.format_map(context)
    except (KeyError, IndexError, ValueError):  # a context without the limit
        return _ANYTHING_ELSE


def value_error_texts() -> frozenset[str]:
    """The English texts of our own validators' errors that have their sentences."""
    return frozenset(_VALUE_ERRORS)


def input_message(error: Mapping[str, Any], language: Language) -> str:
    fr, en = input_messages(error)
    return fr if language == "fr" else en


def _is_text(given: object, context: Mapping[str, Any]) -> bool:
    if given is not None:
        return isinstance(given, str)
    return context.get("field_type") not in ("List", "Tuple", "Set", "Frozenset", "Dictionary")


def _value_error(english: str) -> tuple[str, str]:
    if "control character" in english:
        found = _CONTROL_WHERE.search(english)
        fr, en = _CONTROL
        if found is None:
            return fr.format(where=""), en.format(where="")
        code, position = found[1], int(found[2]) + 1  # counted from 1 for a person
        return (
            fr.format(where=f" ({code}, caractère n° {position})"),
            en.format(where=f" ({code}, character {position})"),
        )
    if english in _VALUE_ERRORS:
        return _VALUE_ERRORS[english]
    if not english:
        return MESSAGES["value_error"]
    return MESSAGES["value_error"][0], _sentence(english)  # not translated yet: say it in English


def _sentence(text: str) -> str:
    """ "give either `amount`" -> "Give either `amount`."."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else f"{text}."
