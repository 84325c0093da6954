"""E-reporting periods and the split of a payment over an invoice's VAT rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from invoicing.samples import demo_invoice
from server.pa.e_reporting import CADENCES, closed_periods, period_of, split_over_rates


@given(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_every_day_is_in_exactly_one_period_of_each_cadence(day: dt.date) -> None:
    for cadence in CADENCES:
        period = period_of(day, cadence)
        assert period.start <= day <= period.end
        before = period_of(period.start - dt.timedelta(days=1), cadence)
        assert before.end == period.start - dt.timedelta(days=1)


def test_periods_are_named_as_their_cadence_says() -> None:
    assert period_of(dt.date(2026, 11, 21), "decade").key == "2026-11-D3"
    assert period_of(dt.date(2026, 11, 30), "decade").end == dt.date(2026, 11, 30)
    assert period_of(dt.date(2026, 12, 5), "bimonthly").key == "2026-11/12"
    keys = [p.key for p in closed_periods(dt.date(2026, 12, 7), "monthly")]
    assert keys == ["2026-09", "2026-10", "2026-11"]


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2))
def test_a_payment_split_over_rates_adds_up_to_itself(amount: Decimal) -> None:
    document = demo_invoice(6)  # four VAT rates
    parts = split_over_rates(amount, document)
    assert len(parts) > 1
    assert sum(part for _, part in parts) == amount
    assert all(part >= 0 for _, part in parts)
