"""Rounding as EN 16931 does it: half-up, to two decimals, at named points."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def round_amount(value: Decimal) -> Decimal:
    """Round a monetary amount half-up to 2 decimals (BR-DEC-*).

    Adding zero turns a negative zero (-0.00, from e.g. -3 x 0 %) into 0.00:
    some official rules compare the text, and "-0.00" is not "0". (The rounding is
    passed by position: `quantize` parses a keyword argument at about the cost of
    the rounding itself.)
    """
    return value.quantize(CENT, ROUND_HALF_UP) + ZERO


def percent_of(base: Decimal, percent: Decimal) -> Decimal:
    """`percent` % of `base`, rounded to the cent."""
    return round_amount(base * percent / HUNDRED)
