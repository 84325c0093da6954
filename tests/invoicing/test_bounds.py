"""Bounds on numbers (invoicing.bounds): extreme decimals go through totals, XML, HTML
and PDF without raising, and the rule says which field is beyond its bound."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.bounds import out_of_bounds
from invoicing.cii.writer import to_xml_bytes
from invoicing.formatting import Formatter
from invoicing.html import render_html
from invoicing.model import Document
from invoicing.pdf.render import render_pdf
from invoicing.profiles import Profile
from invoicing.rules import validate
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals

# What the model accepts: up to 19 digits (4 after the point) for a quantity, 23 (6
# after) for a unit price.
quantities = st.decimals(
    min_value=Decimal("-999999999999999.9999"),
    max_value=Decimal("999999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
prices = st.decimals(
    min_value=Decimal(0),
    max_value=Decimal("99999999999999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)


def _with_line(quantity: Decimal, price: Decimal) -> Document:
    document = demo_invoice(1)
    line = document.lines[0].model_copy(update={"quantity": quantity, "net_price": price})
    return document.model_copy(update={"lines": [line], "allowances_charges": []})


ABSURD = _with_line(Decimal("999999999999999.9999"), Decimal("99999999999999999.999999"))


@settings(max_examples=60, deadline=None)
@given(quantities, prices)
def test_extreme_decimals_go_through_totals_xml_and_html(quantity: Decimal, price: Decimal) -> None:
    document = _with_line(quantity, price)
    totals = compute_totals(document)
    xml = to_xml_bytes(document, Profile.EN16931)
    assert xml.startswith(b"<?xml")
    html = render_html(document)
    assert "</html>" in html
    beyond = out_of_bounds(document, totals)
    too_big = abs(quantity) >= 10**10 or price >= 10**11 or abs(totals.amount_due) >= 10**13
    assert bool(beyond) == too_big
    findings = validate(document, french=True)
    assert {f.fields[0] for f in findings.errors if f.rule_id == "BL-BOUNDS"} == {
        b.field for b in beyond
    }


@settings(max_examples=3, deadline=None)
@given(quantities, prices)
def test_extreme_decimals_go_through_the_pdf(quantity: Decimal, price: Decimal) -> None:
    assert render_pdf(_with_line(quantity, price)).startswith(b"%PDF-")


def test_the_absurd_invoice_of_issue_12_renders_and_is_refused_by_field() -> None:
    assert render_pdf(ABSURD).startswith(b"%PDF-")
    fields = {b.field for b in out_of_bounds(ABSURD, compute_totals(ABSURD))}
    assert fields == {"lines[0].quantity", "lines[0].net_price"}


def test_formatting_never_raises() -> None:
    for locale in ("fr", "en"):
        fmt = Formatter(locale, "EUR")
        huge = Decimal("1" * 60 + ".25")
        assert "1" in fmt.money(huge)
        assert fmt.number(huge) and fmt.unit_price(huge) and fmt.percent(huge)


def test_demo_documents_are_within_bounds() -> None:
    document = demo_invoice()
    assert out_of_bounds(document, compute_totals(document)) == []
