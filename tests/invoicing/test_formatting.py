"""Formatting kept per value (invoicing.formatting) says what Babel says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.formatting import Formatter

amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(amounts, st.sampled_from(["fr", "en", "fr_FR", "en-GB"]), st.sampled_from(["EUR", "USD"]))
def test_every_format_is_babels_twice_over(value: Decimal, locale: str, currency: str) -> None:
    fmt = Formatter(locale, currency)
    babel = fmt.locale
    for _ in range(2):  # computed, then kept
        assert fmt.money(value) == format_currency(
            value, currency, locale=babel, currency_digits=False
        )
        assert fmt.unit_price(value) == format_currency(
            value.normalize(),
            currency,
            locale=babel,
            currency_digits=False,
            decimal_quantization=False,
        )
        assert fmt.number(value) == format_decimal(
            value.normalize(), locale=babel, decimal_quantization=False
        )
        assert fmt.percent(value) == format_percent(
            value.scaleb(-2), locale=babel, decimal_quantization=False
        )


def test_equal_values_written_differently_format_alike_and_minus_zero_is_kept_apart() -> None:
    fmt = Formatter("fr", "EUR")
    assert fmt.money(Decimal("2.5")) == fmt.money(Decimal("2.50")) == "2,50\xa0€"
    assert fmt.money(Decimal("-0.00")) == format_currency(
        Decimal("-0.00"), "EUR", locale="fr", currency_digits=False
    )
    day = dt.date(2026, 12, 6)
    assert fmt.date(day) == format_date(day, format="long", locale="fr") == "6 décembre 2026"
    assert Formatter("en", "EUR").date(day) == "December 6, 2026"
