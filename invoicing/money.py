"""Rounding as EN 16931 does it: half-up, to two decimals, at named points."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def round_amount(value: Decimal) -> Decimal:
    """Round a monetary amount half-up to 2 decimals (BR-DEC-*)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, percent: Decimal) -> Decimal:
    """`percent` % of `base`, rounded to the cent."""
    return round_amount(base * percent / HUNDRED)


def format_decimal(value: Decimal) -> str:
    """Canonical text for XML: no exponent, no trailing zeros past the point
    except that amounts keep at least what they were quantized to."""
    text = format(value, "f")
    return text
