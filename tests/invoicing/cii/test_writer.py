from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from pydantic import ValidationError

from invoicing.cii.names import RAM
from invoicing.cii.writer import NotAnInvoiceError, build_cii, to_xml_bytes
from invoicing.field_errors import field_errors
from invoicing.model import Document, DocumentKind, Line
from invoicing.official import official_check, xsd_errors
from invoicing.profiles import Profile
from invoicing.rules import validate
from invoicing.samples import demo_invoice
from tests.strategies import documents

NS = {"ram": RAM}
D = Decimal
NASTY = ["& < > \" '", "]]>", "🧾 reçu ✅", "مرحبا بالعالم", "שלום עולם", "發票 請款", "x" * 10_000]


def _amount(root: etree._Element, xpath: str) -> Decimal:
    values = root.xpath(xpath, namespaces=NS)
    assert isinstance(values, list)
    return sum((D(str(v)) for v in values), D(0))


def _check_calculation_rules_on_xml(xml: bytes) -> None:
    """BR-CO-10..16 recomputed from the XML text alone, independently of totals.py."""
    root = etree.fromstring(xml)
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    settlement = "/*/*/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
    line_total = _amount(root, f"{summation}LineTotalAmount/text()")
    assert line_total == _amount(
        root, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount/text()"
    )
    allowances = _amount(
        root, f"{settlement}[ram:ChargeIndicator/*='false']/ram:ActualAmount/text()"
    )
    charges = _amount(root, f"{settlement}[ram:ChargeIndicator/*='true']/ram:ActualAmount/text()")
    assert _amount(root, f"{summation}AllowanceTotalAmount/text()") == allowances
    assert _amount(root, f"{summation}ChargeTotalAmount/text()") == charges
    basis = _amount(root, f"{summation}TaxBasisTotalAmount/text()")
    assert basis == line_total - allowances + charges
    vat = _amount(root, f"{summation}TaxTotalAmount[@currencyID=//ram:InvoiceCurrencyCode]/text()")
    assert vat == _amount(
        root,
        "/*/*/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
        "ram:CalculatedAmount/text()",
    )
    grand = _amount(root, f"{summation}GrandTotalAmount/text()")
    assert grand == basis + vat
    due = _amount(root, f"{summation}DuePayableAmount/text()")
    prepaid = _amount(root, f"{summation}TotalPrepaidAmount/text()")
    rounding = _amount(root, f"{summation}RoundingAmount/text()")
    assert due == grand - prepaid + rounding


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_valid_documents_pass_xsd_and_the_factur_x_schematron(document: Document) -> None:
    xml = to_xml_bytes(document)
    result = official_check(xml, Profile.EN16931)
    assert result.xsd_valid
    assert [f.rule_id for f in result.errors] == []
    _check_calculation_rules_on_xml(xml)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(french=True))
def test_random_french_documents_also_pass_br_fr(document: Document) -> None:
    xml = to_xml_bytes(document)
    result = official_check(xml, Profile.EN16931, french=True)
    assert result.xsd_valid
    assert [(f.rule_id, f.message) for f in result.errors] == []


@pytest.mark.parametrize("profile", list(Profile))
def test_demo_invoice_is_valid_in_every_profile(profile: Profile) -> None:
    french = profile in (Profile.EN16931, Profile.EXTENDED)
    result = official_check(to_xml_bytes(demo_invoice(20), profile), profile, french=french)
    assert result.xsd_valid
    assert result.errors == ()


def test_profiles_emit_only_what_they_allow() -> None:
    document = demo_invoice(3)
    minimum = build_cii(document, Profile.MINIMUM)
    basic_wl = build_cii(document, Profile.BASIC_WL)
    basic = build_cii(document, Profile.BASIC)
    full = build_cii(document, Profile.EN16931)
    line_items = "//ram:IncludedSupplyChainTradeLineItem"
    assert minimum.xpath(line_items, namespaces=NS) == []
    assert basic_wl.xpath(line_items, namespaces=NS) == []
    assert len(basic.xpath(line_items, namespaces=NS)) == 3
    # Notes and the seller's contact exist from BASIC WL and EN 16931 on.
    assert minimum.xpath("//ram:IncludedNote", namespaces=NS) == []
    assert basic_wl.xpath("//ram:IncludedNote", namespaces=NS) != []
    assert basic.xpath("//ram:DefinedTradeContact", namespaces=NS) == []
    assert full.xpath("//ram:DefinedTradeContact", namespaces=NS) != []


def test_guideline_names_the_profile() -> None:
    for profile in Profile:
        root = build_cii(demo_invoice(1), profile)
        guideline = root.findtext(
            f".//{{{RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{RAM}}}ID"
        )
        assert guideline == profile.guideline_id
        assert Profile.from_guideline(guideline) is profile


@pytest.mark.parametrize("nasty", NASTY)
def test_nasty_text_gives_valid_xml_that_keeps_it_exactly(nasty: str) -> None:
    document = demo_invoice(2)
    document.lines[0].description = nasty
    document.buyer.name = nasty[:1000]
    document.notes[0].text = nasty
    xml = to_xml_bytes(document)
    assert xsd_errors(xml, Profile.EN16931) == []
    root = etree.fromstring(xml)
    assert root.findtext(f".//{{{RAM}}}SpecifiedTradeProduct/{{{RAM}}}Description") == nasty
    assert root.findtext(f".//{{{RAM}}}BuyerTradeParty/{{{RAM}}}Name") == nasty[:1000]
    assert official_check(xml, Profile.EN16931, french=True).errors == ()


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1f", "\ufffe"])
def test_control_characters_are_refused_with_the_field_named(character: str) -> None:
    raw = demo_invoice(2).model_dump(mode="json")
    raw["lines"][1]["name"] = f"Câble{character}RJ45"
    with pytest.raises(ValidationError) as caught:
        Document.model_validate(raw)
    [problem] = field_errors(caught.value)
    assert problem.field == "lines[1].name"
    assert "control character" in problem.message


def test_unparsable_numbers_are_refused_with_the_field_named() -> None:
    raw = demo_invoice(2).model_dump(mode="json")
    raw["lines"][0]["quantity"] = "1,5"
    raw["lines"][1]["net_price"] = "abc"
    with pytest.raises(ValidationError) as caught:
        Document.model_validate(raw)
    assert {p.field for p in field_errors(caught.value)} == {
        "lines[0].quantity",
        "lines[1].net_price",
    }


def test_quantity_decimals_are_limited_by_the_french_rules_only() -> None:
    """EN 16931 accepts any number of decimals (an import may have five);
    BR-FR-DEC-02 allows four, as a rule, not as a model constraint."""
    assert Line(quantity=D("-1.2345")).quantity == D("-1.2345")
    document = demo_invoice(1)
    document.lines[0].quantity = D("1.00001")
    assert "BR-FR-DEC-02" in {f.rule_id for f in validate(document, french=True).errors}
    assert not official_check(to_xml_bytes(document), Profile.EN16931).errors
    with pytest.raises(ValidationError):
        Line(quantity=D("1" * 20))  # 19 digits at most


def test_negative_quantities_are_returns_and_stay_valid() -> None:
    document = demo_invoice(3)
    document.lines[1].quantity = D(-2)
    result = official_check(to_xml_bytes(document), Profile.EN16931, french=True)
    assert result.errors == ()


def test_a_quote_has_no_cii_form() -> None:
    with pytest.raises(NotAnInvoiceError):
        to_xml_bytes(demo_invoice(1).model_copy(update={"kind": DocumentKind.QUOTE}))


def test_output_is_deterministic() -> None:
    assert to_xml_bytes(demo_invoice(20)) == to_xml_bytes(demo_invoice(20))
