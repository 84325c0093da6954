"""CII reader: what is not a CII invoice, or holds a bad value, is refused clearly."""

from __future__ import annotations

import pytest

from invoicing.cii.parsing import CiiReadError
from invoicing.cii.reader import read_cii
from invoicing.cii.writer import to_xml_bytes
from invoicing.samples import demo_invoice


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"", "empty"),
        (b"not xml at all", "not a well-formed XML document"),
        (b"<a><b></a>", "not a well-formed XML document"),
        (b"<Invoice xmlns='urn:oasis:names:specification:ubl'/>", "not a CII invoice"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<r>&x;</r>",
            "DOCTYPE",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>',
            "DOCTYPE",
        ),
    ],
)
def test_input_that_is_not_cii_is_refused_clearly(xml: bytes, message: str) -> None:
    with pytest.raises(CiiReadError, match=message):
        read_cii(xml)


def test_text_instead_of_bytes_is_refused() -> None:
    with pytest.raises(CiiReadError, match="bytes"):
        read_cii("<x/>")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            b"<ram:DuePayableAmount>",
            b"<ram:DuePayableAmount>12,5",
            "SpecifiedTradeSettlementHeaderMonetarySummation/DuePayableAmount",
            "is not a number",
        ),
        (
            b'<ram:BilledQuantity unitCode="HUR">',
            b'<ram:BilledQuantity unitCode="HUR">NaN',
            "IncludedSupplyChainTradeLineItem/SpecifiedLineTradeDelivery/BilledQuantity",
            "is not a number",
        ),
        (
            b'format="102">20261124<',
            b'format="102">20261324<',
            "ExchangedDocument/IssueDateTime/DateTimeString",
            "is not a date",
        ),
        (
            b'format="102">20261124<',
            b'format="610">202611<',
            "ExchangedDocument/IssueDateTime/DateTimeString",
            "date format '610' is not supported",
        ),
        (
            b"<ram:CategoryCode>S</ram:CategoryCode>",
            b"<ram:CategoryCode>X</ram:CategoryCode>",
            "ApplicableTradeTax",
            "is not a VAT category code",
        ),
        (
            b"<ram:CountryID>FR</ram:CountryID>",
            b"<ram:CountryID>France</ram:CountryID>",
            "SellerTradeParty/PostalTradeAddress",
            "country",
        ),
        (
            b"<udt:Indicator>true</udt:Indicator>",
            b"<udt:Indicator>yes</udt:Indicator>",
            "ApplicableHeaderTradeSettlement/SpecifiedTradeAllowanceCharge",
            "is not true or false",
        ),
    ],
)
def test_bad_values_name_the_element(old: bytes, new: bytes, path: str, message: str) -> None:
    xml = to_xml_bytes(demo_invoice(1))
    assert old in xml
    with pytest.raises(CiiReadError, match=message) as raised:
        read_cii(xml.replace(old, new, 1))
    assert raised.value.path is not None and path in raised.value.path


def test_a_missing_guideline_is_an_error() -> None:
    xml = to_xml_bytes(demo_invoice(1))
    start = xml.index(b"<ram:GuidelineSpecifiedDocumentContextParameter>")
    end = xml.index(b"</ram:GuidelineSpecifiedDocumentContextParameter>") + len(
        b"</ram:GuidelineSpecifiedDocumentContextParameter>"
    )
    with pytest.raises(CiiReadError, match="BT-24"):
        read_cii(xml[:start] + xml[end:])
