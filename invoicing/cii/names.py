"""CII namespaces and the value formats shared by the writer and the reader."""

from __future__ import annotations

import datetime as dt
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

DATE_FORMAT_102 = "102"


def format_date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def parse_date(text: str) -> dt.date:
    return dt.datetime.strptime(text.strip()[:8], "%Y%m%d").date()


def format_number(value: Decimal) -> str:
    """A decimal as CII wants it: plain digits, no exponent, no needless zeros."""
    # The wide context holds a value beyond 28 digits (refused by the bounds
    # rules); given to each operation, not entered (half the cost).
    if value == value.to_integral_value(context=_WIDE):
        return format(value.quantize(_ONE, context=_WIDE), "f")
    return format(value.normalize(_WIDE), "f")


def format_amount(value: Decimal) -> str:
    """An amount with two decimals; more only when it has them (an imported
    file's stated amount, kept as stated: what Blanche computes is rounded to
    the cent)."""
    cents = value.quantize(_CENT, context=_WIDE)
    return format(cents if cents == value else value.normalize(_WIDE), "f")


_ONE = Decimal(1)
_CENT = Decimal("0.01")
_WIDE = Context(prec=200, Emax=MAX_EMAX, Emin=MIN_EMIN)
