"""CII reader: round trips through the writer, what it reports, nasty strings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invoicing.cii.parsing import CiiReadError
from invoicing.cii.reader import read_cii
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import (
    DocumentKind,
    Identifier,
    Note,
)
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals
from tests.invoicing.cii.round_trips import (
    FULL_PROFILES,
    NASTY,
    VARIANTS,
    as_written,
    assert_round_trip,
    exempt_categories,
    kitchen_sink,
    leaves,
    rewrite,
)


@pytest.mark.parametrize("profile", list(Profile), ids=str)
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_round_trip_reproduces_the_xml(name: str, profile: Profile) -> None:
    assert_round_trip(VARIANTS[name](), profile)


@pytest.mark.parametrize("profile", list(Profile), ids=str)
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_lower_profiles_keep_only_what_they_carry(name: str, profile: Profile) -> None:
    """Every field the read document holds comes, unchanged, from the original."""
    original = as_written(VARIANTS[name]())
    read = read_cii(to_xml_bytes(original, profile)).document
    expected = leaves(original.model_dump())
    for path, value in leaves(read.model_dump()).items():
        assert expected.get(path) == value, path
    if profile.has_lines:
        assert len(read.lines) == len(original.lines)
    else:
        assert read.lines == []


def test_minimum_keeps_the_header_and_drops_the_rest() -> None:
    original = kitchen_sink()
    read = read_cii(to_xml_bytes(original, Profile.MINIMUM)).document
    assert read.number == original.number
    assert read.issue_date == original.issue_date
    assert read.seller.name == original.seller.name
    assert read.seller.siren == original.seller.siren
    assert read.seller.vat_id == original.seller.vat_id
    assert read.buyer.siren == original.buyer.siren
    assert read.order_reference == original.order_reference
    assert read.lines == [] and read.notes == [] and read.payment_means == []
    assert read.delivery is None and read.payee is None


def test_basic_keeps_lines_but_not_their_notes_or_item_details() -> None:
    original = kitchen_sink()
    read = read_cii(to_xml_bytes(original, Profile.BASIC)).document
    assert [line.name for line in read.lines] == [line.name for line in original.lines]
    assert read.lines[0].gross_price == original.lines[0].gross_price
    assert read.lines[0].classifications == []
    assert read.lines[0].attributes == []
    assert read.notes == original.notes


def test_kitchen_sink_is_officially_valid_after_round_trip() -> None:
    """The fixture is realistic: what it round-trips is a valid invoice."""
    from invoicing.official import official_check

    document = kitchen_sink()
    document.other_references = []  # untyped references are not used in EN 16931
    xml = rewrite(to_xml_bytes(document), Profile.EN16931)
    result = official_check(xml, Profile.EN16931, french=True)
    assert result.xsd_valid
    assert [f.rule_id for f in result.errors] == []


def test_the_reader_reports_what_the_xml_states_not_what_it_computes() -> None:
    xml = to_xml_bytes(demo_invoice(3))
    tampered = xml.replace(b"<ram:DuePayableAmount>", b"<ram:DuePayableAmount>1")
    result = read_cii(tampered)
    differences = result.stated_totals.differences(compute_totals(result.document))
    assert set(differences) == {"amount_due"}
    stated, computed = differences["amount_due"]
    assert stated is not None and computed is not None and stated > computed


def test_stated_totals_are_decimals_from_the_xml() -> None:
    document = demo_invoice(6)
    totals = compute_totals(document)
    stated = read_cii(to_xml_bytes(document)).stated_totals
    assert stated.line_total == totals.line_total
    assert stated.tax_exclusive_total == totals.tax_exclusive_total
    assert stated.vat_total == totals.vat_total
    assert stated.amount_due == totals.amount_due
    assert stated.charge_total == totals.charge_total
    assert stated.rounding_amount is None
    assert [vat.tax_amount for vat in stated.vat_breakdown] == [
        vat.tax_amount for vat in totals.vat_breakdown
    ]
    assert stated.line_net_amounts == tuple(line.net_amount for line in totals.lines)


def test_kind_and_type_code_come_from_bt3() -> None:
    expectations = {
        "380": (DocumentKind.INVOICE, None),
        "384": (DocumentKind.INVOICE, "384"),
        "389": (DocumentKind.INVOICE, "389"),
        "381": (DocumentKind.CREDIT_NOTE, None),
        "261": (DocumentKind.CREDIT_NOTE, "261"),
        "386": (DocumentKind.DEPOSIT_INVOICE, None),
        "500": (DocumentKind.DEPOSIT_INVOICE, "500"),
    }
    xml = to_xml_bytes(demo_invoice(1))
    for code, (kind, type_code) in expectations.items():
        changed = xml.replace(b"<ram:TypeCode>380<", f"<ram:TypeCode>{code}<".encode())
        document = read_cii(changed).document
        assert (document.kind, document.type_code) == (kind, type_code), code


def test_siret_siren_and_other_identifiers_map_back() -> None:
    document = kitchen_sink()
    document.buyer.siren = None
    document.buyer.legal_registration = Identifier(value="HRB 1234", scheme="0204")
    read = read_cii(to_xml_bytes(document)).document
    assert read.seller.siret == "73282932000074"
    assert read.seller.siren == "732829320"
    assert read.seller.identifiers == document.seller.identifiers
    assert read.buyer.siren is None
    assert read.buyer.legal_registration == Identifier(value="HRB 1234", scheme="0204")


def test_unknown_elements_are_listed_not_dropped_silently() -> None:
    xml = to_xml_bytes(demo_invoice(1))
    extra = xml.replace(
        b"<ram:BuyerReference>",
        b"<ram:Nonsense>kept?</ram:Nonsense><ram:BuyerReference>",
    )
    result = read_cii(extra)
    assert result.unread == ("SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement/Nonsense",)


def test_repeats_the_model_cannot_hold_are_listed_as_unread() -> None:
    document = kitchen_sink()
    xml = to_xml_bytes(document, Profile.EXTENDED)
    charge = (
        b"<ram:AppliedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>true"
        b"</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>1.00</ram:ActualAmount>"
        b"</ram:AppliedTradeAllowanceCharge></ram:GrossPriceProductTradePrice>"
    )
    xml = xml.replace(b"</ram:GrossPriceProductTradePrice>", charge, 1)
    xml = xml.replace(
        b"<ram:DueDateTypeCode>5</ram:DueDateTypeCode>",
        b"<ram:DueDateTypeCode>72</ram:DueDateTypeCode>",
    ).replace(
        b"<ram:DueDateTypeCode>72</ram:DueDateTypeCode>",
        b"<ram:DueDateTypeCode>5</ram:DueDateTypeCode>",
        1,
    )
    result = read_cii(xml)
    assert result.document.lines[0].price_discount == Decimal("5.00")
    assert result.document.vat_point_date_code == "5"
    gross = (
        "SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem[1]/"
        "SpecifiedLineTradeAgreement/GrossPriceProductTradePrice/"
    )
    assert result.unread == (
        f"{gross}AppliedTradeAllowanceCharge[2]/ChargeIndicator/Indicator",
        f"{gross}AppliedTradeAllowanceCharge[2]/ActualAmount",
        "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/ApplicableTradeTax[2]/"
        "DueDateTypeCode",
        "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/ApplicableTradeTax[3]/"
        "DueDateTypeCode",
    )


def test_a_value_the_model_refuses_is_a_read_error() -> None:
    document = exempt_categories()
    xml = to_xml_bytes(document).replace(b">Autoliquidation<", b">" + b"x" * 1001 + b"<", 1)
    with pytest.raises(CiiReadError, match="at most 1000 characters") as raised:
        read_cii(xml)
    assert raised.value.path is not None and "ApplicableTradeTax" in raised.value.path


def test_nasty_strings_round_trip_exactly() -> None:
    document = kitchen_sink()
    for index, text in enumerate(NASTY):
        line = document.lines[index % len(document.lines)]
        line.name = text
        line.description = f"{text}\n{text}"
        document.notes.append(Note(text=f"{text}\r\n{text}", subject="AAI"))
    document.seller.name = NASTY[0]
    document.buyer.name = NASTY[1]
    document.buyer.address.city = NASTY[5]
    document.payment_terms = NASTY[6]
    document.supporting_documents[0].description = NASTY[7]
    document.supporting_documents[1].filename = 'plan "final" & <v2>.pdf'
    document.lines[0].description = "é" * 10_000
    document.lines[1].note = ("Σ" + NASTY[4]) * 1_000
    for profile in FULL_PROFILES:
        assert_round_trip(document, profile)
