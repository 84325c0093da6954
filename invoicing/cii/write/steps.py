"""The CII writer's vocabulary: the small groups every part of an invoice uses
(a ram: element, a date, an indicator, an identifier, a period, a VAT
category, an allowance or charge), written as `Steps` of a part
(invoicing.cii.skeletons). Each returns or takes the step number of a parent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from invoicing.cii.names import DATE_FORMAT_102, RAM, UDT, format_amount, format_date, format_number
from invoicing.cii.skeletons import Steps
from invoicing.model import AllowanceCharge, Identifier, Period, VatCategory

_RAM_TAGS: dict[str, str] = {}  # local name -> Clark name: formatted once
_DATE_TIME_STRING = f"{{{UDT}}}DateTimeString"
_INDICATOR = f"{{{UDT}}}Indicator"


def ram_tag(name: str) -> str:
    tag = _RAM_TAGS.get(name)
    if tag is None:
        tag = _RAM_TAGS[name] = f"{{{RAM}}}{name}"
    return tag


def ram(t: Steps, parent: int, name: str, text: str | None = None, **attrs: str) -> int:
    tag = _RAM_TAGS.get(name)
    if tag is None:
        tag = _RAM_TAGS[name] = f"{{{RAM}}}{name}"
    return t.add(parent, tag, text, attrs or None)


def opt(t: Steps, parent: int, name: str, text: str | None, **attrs: str) -> None:
    """Add `name` only when there is a value."""
    if text:
        ram(t, parent, name, text, **attrs)


def date_time(t: Steps, parent: int, name: str, value: dt.date) -> None:
    holder = ram(t, parent, name)
    t.add(holder, _DATE_TIME_STRING, format_date(value), {"format": DATE_FORMAT_102})


def indicator(t: Steps, parent: int, is_charge: bool) -> None:
    holder = ram(t, parent, "ChargeIndicator")
    t.add(holder, _INDICATOR, "true" if is_charge else "false")


def id_element(t: Steps, parent: int, name: str, identifier: Identifier) -> None:
    if identifier.scheme:
        ram(t, parent, name, identifier.value, schemeID=identifier.scheme)
    else:
        ram(t, parent, name, identifier.value)


def period(t: Steps, parent: int, period: Period | None) -> None:
    if period is None or (period.start is None and period.end is None):
        return
    holder = ram(t, parent, "BillingSpecifiedPeriod")
    if period.start:
        date_time(t, holder, "StartDateTime", period.start)
    if period.end:
        date_time(t, holder, "EndDateTime", period.end)


def trade_tax(t: Steps, parent: int, name: str, category: VatCategory, rate: Decimal | None) -> int:
    holder = ram(t, parent, name)
    ram(t, holder, "TypeCode", "VAT")
    ram(t, holder, "CategoryCode", category.value)
    if rate is not None:
        ram(t, holder, "RateApplicablePercent", format_number(rate))
    return holder


def allowance_charge(
    t: Steps,
    parent: int,
    item: AllowanceCharge,
    amount: Decimal,
    base: Decimal | None,
    document_level: bool,
) -> None:
    holder = ram(t, parent, "SpecifiedTradeAllowanceCharge")
    indicator(t, holder, item.is_charge)
    if item.percent is not None:
        ram(t, holder, "CalculationPercent", format_number(item.percent))
    if base is not None:
        ram(t, holder, "BasisAmount", format_amount(base))
    ram(t, holder, "ActualAmount", format_amount(amount))
    opt(t, holder, "ReasonCode", item.reason_code)
    opt(t, holder, "Reason", item.reason)
    if document_level:
        category = item.vat_category or VatCategory.STANDARD
        trade_tax(t, holder, "CategoryTradeTax", category, item.vat_rate)
