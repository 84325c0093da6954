"""Documents for the CII reader's round trips through the writer, and how to compare
what was written with what was read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from invoicing.cii.reader import read_cii
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import (
    Address,
    AllowanceCharge,
    Classification,
    ContactPoint,
    Delivery,
    Document,
    DocumentKind,
    Identifier,
    ItemAttribute,
    Line,
    OtherReference,
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
