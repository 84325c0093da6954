"""Labels and value formatting (Babel) for documents shown to people, in French and English.

Labels live in `templates/labels.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, localcontext
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("fr", "en")


@cache
def _catalogue() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = json.loads(
        (TEMPLATES / "labels.json").read_text(encoding="utf-8")
    )
    return data


@cache
def labels(language: str) -> dict[str, str]:
    """Every label of the template in `language` ('fr' or 'en')."""
    index = LANGUAGES.index(language)
    return {key: pair[index] for key, pair in _catalogue()["labels"].items()}


def unit_name(code: str, language: str) -> str:
    """'HUR' -> 'heure' / 'hour'; an unknown UN/ECE code is shown as is."""
    pair = _catalogue()["units"].get(code)
    return pair[LANGUAGES.index(language)] if pair else code


def payment_means_name(code: str, language: str) -> str:
    pair = _catalogue()["payment_means"].get(code)
    return pair[LANGUAGES.index(language)] if pair else code


def language_of(locale: str) -> str:
    """The label language for `locale`: 'fr', else 'en'."""
    language = locale.replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else "en"


@cache
def _babel_locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(language_of(locale))


@cache
def _locale_id(locale: str) -> str:
    return str(_babel_locale(locale))


# --- formatting ---------------------------------------------------------------------------


# Babel formats a number in ~40 µs; an editor keystroke re-renders dozens of amounts
# that mostly did not change, so results are kept per (locale, currency, value).
_FORMAT_CACHE = 16_384


# Babel quantizes in the current decimal context (28 digits): an amount beyond it (a
# stored draft with absurd values) would raise InvalidOperation. Formatting never raises:
# a wide context, and the plain text of the value if Babel still refuses it.
_WIDE = Context(prec=200, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _never_raises(format_value: Callable[..., str]) -> Callable[..., str]:
    @wraps(format_value)
    def formatted(locale: str, *args: Any) -> str:
        try:
            with localcontext(_WIDE):
                return format_value(locale, *args)
        except (ArithmeticError, ValueError):
            return " ".join(str(arg) for arg in reversed(args))

    return formatted


@lru_cache(maxsize=_FORMAT_CACHE)
@_never_raises
def _money(locale: str, currency: str, value: str) -> str:
    return format_currency(
        Decimal(value), currency, locale=_babel_locale(locale), currency_digits=False
    )


@lru_cache(maxsize=_FORMAT_CACHE)
@_never_raises
def _unit_price(locale: str, currency: str, value: str) -> str:
    return format_currency(
        Decimal(value).normalize(),
        currency,
        locale=_babel_locale(locale),
        currency_digits=False,
        decimal_quantization=False,
    )


@lru_cache(maxsize=_FORMAT_CACHE)
@_never_raises
def _number(locale: str, value: str) -> str:
    return format_decimal(
        Decimal(value).normalize(), locale=_babel_locale(locale), decimal_quantization=False
    )


@lru_cache(maxsize=_FORMAT_CACHE)
@_never_raises
def _percent(locale: str, value: str) -> str:
    return format_percent(
        Decimal(value).scaleb(-2), locale=_babel_locale(locale), decimal_quantization=False
    )


@lru_cache(maxsize=_FORMAT_CACHE)
def _date(locale: str, value: dt.date) -> str:
    return format_date(value, format="long", locale=_babel_locale(locale))


class Formatter:
    """Babel formatting for one locale and currency."""

    def __init__(self, locale: str, currency: str) -> None:
        self.locale = _babel_locale(locale)
        self._locale_id = _locale_id(locale)
        self.currency = currency

    def money(self, value: Decimal) -> str:
        """'1 234,56 €' (fr, U+202F between groups) / '€1,234.56' (en)."""
        return _money(self._locale_id, self.currency, str(value))

    def unit_price(self, value: Decimal) -> str:
        """As many decimals as typed (up to 6), at least 2."""
        return _unit_price(self._locale_id, self.currency, str(value))

    def number(self, value: Decimal) -> str:
        return _number(self._locale_id, str(value))

    def percent(self, value: Decimal) -> str:
        """A rate given in percent: 5.5 -> '5,5 %'."""
        return _percent(self._locale_id, str(value))

    def date(self, value: dt.date) -> str:
        return _date(self._locale_id, value)

    def country(self, code: str) -> str:
        return str(self.locale.territories.get(code, code))


def format_iban(iban: str) -> str:
    """'FR7630006000011234567890189' -> 'FR76 3000 6000 0112 3456 7890 189'."""
    compact = re.sub(r"\s+", "", iban).upper()
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def format_siren(value: str) -> str:
    """A SIREN (9 digits) or SIRET (14) grouped the French way; anything else as typed."""
    compact = re.sub(r"\s+", "", value)
    if not (compact.isascii() and compact.isdigit() and len(compact) in (9, 14)):
        return value
    groups = [compact[0:3], compact[3:6], compact[6:9]]
    if len(compact) == 14:
        groups.append(compact[9:])
    return " ".join(groups)
