"""CII reader: round trips through the writer, errors, nasty strings, Factur-X PDFs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import facturx
import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.cii.parsing import CiiReadError
from invoicing.cii.reader import read_cii
from invoicing.cii_writer import to_xml_bytes
from invoicing.facturx_pdf_reader import read_facturx_pdf, xml_from_pdf
from invoicing.model import (
    Address,
    AllowanceCharge,
    Classification,
    ContactPoint,
    Delivery,
    Document,
    DocumentKind,
    ElectronicAddress,
    Identifier,
    ItemAttribute,
    Line,
    Note,
    OtherReference,
    Party,
    Payee,
    PaymentMeans,
    Period,
    PrecedingInvoice,
    SupportingDocument,
    TaxRepresentative,
    VatCategory,
)
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals

FULL_PROFILES = (Profile.EN16931, Profile.EXTENDED)


# -- helpers -------------------------------------------------------------------


def as_written(document: Document) -> Document:
    """`document` as the XML states it: the writer states the amount (and
    base) of every allowance or charge, and a VAT category for the
    document-level ones; the reader keeps what is stated."""
    copy = document.model_copy(deep=True)
    totals = compute_totals(copy)
    for line, line_totals in zip(copy.lines, totals.lines, strict=True):
        for item, amount, base in zip(
            line.allowances_charges,
            line_totals.allowance_charge_amounts,
            line_totals.allowance_charge_bases,
            strict=True,
        ):
            item.amount, item.base_amount = amount, base
    for item, amount, base in zip(
        copy.allowances_charges,
        totals.allowance_charge_amounts,
        totals.allowance_charge_bases,
        strict=True,
    ):
        item.amount, item.base_amount = amount, base
        item.vat_category = item.vat_category or VatCategory.STANDARD
    return copy


def rewrite(xml: bytes, profile: Profile) -> bytes:
    """Read `xml` and write it again. Without lines (MINIMUM, BASIC WL) the
    document cannot compute its totals: the stated ones are written."""
    result = read_cii(xml)
    totals = result.stated_totals.apply_to(compute_totals(result.document))
    return to_xml_bytes(result.document, profile, totals)


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten a model dump to {'lines.0.name': ...}, leaving out empty values."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, item in value.items():
            found |= leaves(item, f"{prefix}{key}.")
        return found
    if isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            found |= leaves(item, f"{prefix}{index}.")
        return found
    if value is None or value == "":
        return {}
    return {prefix.rstrip("."): value}


def assert_round_trip(document: Document, profile: Profile = Profile.EN16931) -> None:
    xml = to_xml_bytes(document, profile)
    result = read_cii(xml)
    assert result.profile is profile
    assert result.unread == ()
    assert rewrite(xml, profile) == xml
    if profile in FULL_PROFILES:
        assert result.document == as_written(document)
        assert result.stated_totals.differences(compute_totals(result.document)) == {}


# -- fixtures ------------------------------------------------------------------


def kitchen_sink() -> Document:
    """A document using nearly every field the writer emits."""
    document = demo_invoice(6)
    document.business_process = "S1"
    document.project_reference = "PRJ-7"
    document.project_name = "Refonte réseau"
    document.contract_reference = "CT-2026-3"
    document.sales_order_reference = "SO-88"
    document.receiving_advice_reference = "RA-1"
    document.despatch_advice_reference = "DA-2"
    document.tender_reference = "LOT-4"
    document.invoiced_object = Identifier(value="OBJ-9", scheme="AAA")
    document.buyer_accounting_reference = "411DUP"
    document.creditor_reference = "FR12ZZZ123456"
    document.prepaid_amount = Decimal("10.00")
    document.rounding_amount = Decimal("0.01")
    document.invoicing_period = Period(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    document.seller.identifiers = [
        Identifier(value="LOCAL-1"),
        Identifier(value="3010000000013", scheme="0088"),
    ]
    document.seller.tax_registration = "FC-123"
    document.buyer.legal_registration = None
    document.buyer.trading_name = "Dupont"
    document.buyer.contact = ContactPoint(name="M. Dupont", phone="+33 1 00 00 00 00")
    document.payee = Payee(
        name="Factor SA",
        identifier=Identifier(value="FACT-1", scheme="0088"),
        legal_registration=Identifier(value="999999999", scheme="0002"),
    )
    document.tax_representative = TaxRepresentative(
        name="Rep SARL",
        vat_id="FR11999999999",
        address=Address(line1="1 quai", city="Paris", postcode="75001", country="FR"),
    )
    document.delivery = Delivery(
        name="Chantier Nord",
        location_id=Identifier(value="5790000435968", scheme="0088"),
        date=dt.date(2026, 11, 18),
        address=Address(
            line1="Zone B",
            line2="Quai 3",
            line3="Porte 2",
            city="Vénissieux",
            postcode="69200",
            country="FR",
            country_subdivision="Rhône",
        ),
    )
    document.supporting_documents = [
        SupportingDocument(
            id="TS-1",
            description="DOCUMENT_ANNEXE",
            uri="https://example.invalid/ts-1",
        ),
        SupportingDocument(
            id="PLAN",
            description="PJA",
            content_base64="aGVsbG8=",
            mime_code="application/pdf",
            filename="plan.pdf",
        ),
    ]
    document.other_references = [
        OtherReference(id="REF-UNTYPED"),
        OtherReference(id="REF-OTHER", type_code="AAB", reference_type_code="ON"),
    ]
    document.payment_means.append(
        PaymentMeans(code="58", text="Second compte", iban="FR7612345987650123456789014")
    )
    document.allowances_charges.append(
        AllowanceCharge(
            percent=Decimal("2.5"),
            reason="Remise volume",
            reason_code="95",
            vat_category=VatCategory.STANDARD,
            vat_rate=Decimal("20"),
        )
    )
    first = document.lines[0]
    first.id = "A-1"
    first.note = "Intervention du 18/11"
    first.object_identifier = Identifier(value="SN-42", scheme="ABZ")
    first.order_line_reference = "3"
    first.accounting_reference = "706000"
    first.period = Period(start=dt.date(2026, 11, 18), end=dt.date(2026, 11, 18))
    first.gross_price = Decimal("70.00")
    first.price_discount = Decimal("5.00")
    first.description = "Diagnostic et remise en service"
    first.seller_item_id = "INT-H"
    first.buyer_item_id = "B-77"
    first.standard_item_id = Identifier(value="4012345678901", scheme="0160")
    first.classifications = [
        Classification(code="72000000", list_id="STI", list_version="2008"),
        Classification(code="X1", list_id="ZZZ"),
    ]
    first.origin_country = "FR"
    first.attributes = [ItemAttribute(name="Niveau", value="Expert")]
    first.allowances_charges = [
        AllowanceCharge(is_charge=True, amount=Decimal("3.00"), reason="Astreinte"),
        AllowanceCharge(
            percent=Decimal("5"), base_amount=Decimal("100.00"), reason="Remise", reason_code="95"
        ),
    ]
    second = document.lines[1]
    second.net_price = Decimal("35.00")
    second.base_quantity = Decimal("2")
    second.base_quantity_unit = "H87"
    second.gross_price = Decimal("40.00")
    second.gross_base_quantity = Decimal("4")
    second.gross_base_quantity_unit = "KGM"
    return document


def credit_note() -> Document:
    document = demo_invoice(3)
    document.kind = DocumentKind.CREDIT_NOTE
    document.number = "AV-2026-0007"
    document.preceding_invoices = [
        PrecedingInvoice(number="F-2026-00042", issue_date=dt.date(2026, 11, 24)),
        PrecedingInvoice(number="F-2026-00043"),
    ]
    return document


def direct_debit() -> Document:
    document = demo_invoice(2)
    document.payment_means = [
        PaymentMeans(
            code="59", mandate_reference="MANDATE-1", debited_iban="FR7612345987650123456789014"
        )
    ]
    document.creditor_reference = "FR12ZZZ123456"
    return document


def card_payment_with_tax_point_date() -> Document:
    document = demo_invoice(2)
    document.payment_means = [
        PaymentMeans(code="48", text="Carte", card_pan="1234", card_holder="C. Martin")
    ]
    document.vat_point_date_code = None
    document.tax_point_date = dt.date(2026, 11, 20)
    return document


def deposit_invoice() -> Document:
    document = demo_invoice(2)
    document.kind = DocumentKind.DEPOSIT_INVOICE
    return document


def corrected_invoice() -> Document:
    document = demo_invoice(2)
    document.type_code = "384"
    document.preceding_invoices = [PrecedingInvoice(number="F-2026-00041")]
    return document


def foreign_currency() -> Document:
    document = demo_invoice(4)
    document.currency = "USD"
    document.vat_accounting_currency = "EUR"
    document.vat_total_accounting_currency = Decimal("41.37")
    return document


def exempt_categories() -> Document:
    document = demo_invoice(2)
    document.buyer.address.country = "DE"
    document.buyer.vat_id = "DE123456789"
    exempt = [
        (VatCategory.EXEMPT, "VATEX-EU-132", "Exonération art. 261 du CGI"),
        (VatCategory.REVERSE_CHARGE, "VATEX-EU-AE", "Autoliquidation"),
        (VatCategory.INTRA_COMMUNITY, "VATEX-EU-IC", "Livraison intracommunautaire"),
        (VatCategory.EXPORT, "VATEX-EU-G", None),
        (VatCategory.NOT_SUBJECT, "VATEX-EU-O", "Non soumis"),
    ]
    for category, code, reason in exempt:
        for quantity in (1, 2):  # two lines per category: both carry the reason
            document.lines.append(
                Line(
                    name=f"{category.name} {quantity}",
                    quantity=Decimal(quantity),
                    net_price=Decimal("12.5"),
                    vat_category=category,
                    vat_rate=None if category is VatCategory.NOT_SUBJECT else Decimal(0),
                    vat_exemption_reason=reason,
                    vat_exemption_reason_code=code,
                )
            )
    document.lines.append(
        Line(name="Zéro", quantity=Decimal(1), net_price=Decimal(3), vat_category="Z", vat_rate=0)
    )
    return document


VARIANTS = {
    "demo": lambda: demo_invoice(6),
    "kitchen_sink": kitchen_sink,
    "credit_note": credit_note,
    "deposit_invoice": deposit_invoice,
    "direct_debit": direct_debit,
    "card_payment_with_tax_point_date": card_payment_with_tax_point_date,
    "corrected_invoice": corrected_invoice,
    "foreign_currency": foreign_currency,
    "exempt_categories": exempt_categories,
}


# -- round trips ---------------------------------------------------------------


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


# -- nasty strings -------------------------------------------------------------

NASTY = [
    "& < > \" '",
    "]]>",
    "<![CDATA[x]]>",
    "&amp; &#x26; &lt;",
    "🧾✅ 👩🏽‍💻",
    "مرحبا بالعالم",
    "שלום עולם",
    "こんにちは 世界 你好",
    "  leading and trailing spaces  ",
    "tab\tcarriage\rreturn",
]


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


# -- a property over generated documents ---------------------------------------

_text = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(NASTY),
)
_codes = st.from_regex(r"[A-Z0-9]{1,6}", fullmatch=True)
_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
_prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999"), places=4)
_quantities = st.decimals(min_value=Decimal("-20"), max_value=Decimal("500"), places=3)
_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
_rates = st.sampled_from([Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")])


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


_identifiers = st.builds(
    Identifier, value=_text, scheme=_optional(st.sampled_from(["0088", "0060"]))
)
_addresses = st.builds(
    Address,
    line1=_optional(_text),
    line2=_optional(_text),
    city=_optional(_text),
    postcode=_optional(_codes),
    country=st.sampled_from(["FR", "DE", "BE"]),
)
_parties = st.builds(
    Party,
    name=_text,
    trading_name=_optional(_text),
    identifiers=st.lists(_identifiers, max_size=3),
    siret=_optional(st.from_regex(r"[0-9]{14}", fullmatch=True)),
    siren=_optional(st.from_regex(r"[0-9]{9}", fullmatch=True)),
    vat_id=_optional(_codes),
    legal_info=_optional(_text),
    electronic_address=_optional(st.builds(ElectronicAddress, value=_text)),
    address=_addresses,
    contact=_optional(st.builds(ContactPoint, name=_text, email=_optional(_text))),
)
_line_charges = st.builds(
    AllowanceCharge,
    is_charge=st.booleans(),
    amount=_amounts,
    reason=_optional(_text),
    reason_code=_optional(st.sampled_from(["95", "100", "ABL"])),
)
_lines = st.builds(
    Line,
    id=_optional(st.from_regex(r"L[0-9]{1,3}", fullmatch=True)),
    note=_optional(_text),
    quantity=_quantities,
    unit=st.sampled_from(["C62", "HUR", "KGM"]),
    net_price=_prices,
    gross_price=_optional(_prices),
    base_quantity=_optional(st.sampled_from([Decimal(1), Decimal(10), Decimal("0.5")])),
    allowances_charges=st.lists(_line_charges, max_size=2),
    vat_rate=_rates,
    name=_text,
    description=_optional(_text),
    seller_item_id=_optional(_text),
    attributes=st.lists(st.builds(ItemAttribute, name=_text, value=_text), max_size=2),
    period=_optional(st.builds(Period, start=_dates, end=_optional(_dates))),
)
_documents = st.builds(
    Document,
    kind=st.sampled_from([DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE]),
    number=_text,
    issue_date=_dates,
    due_date=_optional(_dates),
    buyer_reference=_optional(_text),
    order_reference=_optional(_text),
    payment_terms=_optional(_text),
    notes=st.lists(
        st.builds(Note, text=_text, subject=_optional(st.sampled_from(["AAI", "PMT"]))), max_size=3
    ),
    seller=_parties,
    buyer=_parties,
    lines=st.lists(_lines, min_size=1, max_size=4),
    allowances_charges=st.lists(
        st.builds(
            AllowanceCharge,
            is_charge=st.booleans(),
            amount=_amounts,
            reason=_text,
            vat_category=st.just(VatCategory.STANDARD),
            vat_rate=_rates,
        ),
        max_size=2,
    ),
    preceding_invoices=st.lists(
        st.builds(PrecedingInvoice, number=_text, issue_date=_optional(_dates)), max_size=2
    ),
    payment_means=st.lists(
        st.builds(PaymentMeans, iban=_optional(_codes), text=_optional(_text)), max_size=2
    ),
    prepaid_amount=_optional(_amounts),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_documents, profile=st.sampled_from(list(Profile)))
def test_generated_documents_round_trip(document: Document, profile: Profile) -> None:
    assert_round_trip(document, profile)


# -- errors --------------------------------------------------------------------


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


# -- Factur-X PDF --------------------------------------------------------------


def blank_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    return buffer.getvalue()


def test_a_facturx_pdf_is_read() -> None:
    document = kitchen_sink()
    xml = to_xml_bytes(document)
    pdf = facturx.generate_from_binary(blank_pdf(), xml, check_xsd=False)
    assert xml_from_pdf(pdf) == xml
    result = read_facturx_pdf(pdf)
    assert result.profile is Profile.EN16931
    assert result.document == as_written(document)


def test_a_pdf_without_xml_is_an_error() -> None:
    with pytest.raises(CiiReadError, match="no embedded"):
        read_facturx_pdf(blank_pdf())


@pytest.mark.parametrize("data", [b"", b"<xml/>", b"%PDF-1.7 truncated"])
def test_what_is_not_a_pdf_is_an_error(data: bytes) -> None:
    with pytest.raises(CiiReadError):
        read_facturx_pdf(data)
