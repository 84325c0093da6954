"""Named breakages of the demo invoice: each must give the expected official
error, and the fast rules must report exactly the official error ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from invoicing.model import (
    Address,
    AllowanceCharge,
    Delivery,
    Document,
    DocumentKind,
    Identifier,
    Note,
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
from invoicing.rules.agreement import agreement_case
from invoicing.samples import demo_invoice

Change = Callable[[Document], object]


def _category(category: VatCategory, rate: str | None, reason: str | None = None) -> Change:
    def change(document: Document) -> None:
        line = document.lines[0]
        line.vat_category = category
        line.vat_rate = Decimal(rate) if rate is not None else None
        line.vat_exemption_reason = reason

    return change


def _all_not_subject(document: Document) -> None:
    for line in document.lines:
        line.vat_category = VatCategory.NOT_SUBJECT
        line.vat_rate = None
        line.vat_exemption_reason = "Hors champ"
    document.allowances_charges = []
    document.seller.vat_id = None
    document.buyer.vat_id = None


# (name, change, French option, an official id it must produce or None for none)
CASES: list[tuple[str, Change, bool, str | None]] = [
    ("demo invoice", lambda d: None, True, None),
    ("no number", lambda d: setattr(d, "number", None), False, "BR-02"),
    ("no seller name", lambda d: setattr(d.seller, "name", ""), False, "BR-06"),
    ("no buyer name", lambda d: setattr(d.buyer, "name", None), False, "BR-07"),
    ("no seller address", lambda d: setattr(d.seller, "address", Address()), False, "BR-08"),
    ("no buyer country", lambda d: setattr(d.buyer.address, "country", None), False, "BR-11"),
    ("no lines", lambda d: setattr(d, "lines", []), False, "BR-16"),
    ("no line name", lambda d: setattr(d.lines[1], "name", ""), False, "BR-25"),
    ("negative price", lambda d: setattr(d.lines[0], "net_price", Decimal(-5)), True, "BR-27"),
    ("negative gross", lambda d: setattr(d.lines[0], "gross_price", Decimal(-5)), False, "BR-28"),
    (
        "period backwards",
        lambda d: setattr(
            d, "invoicing_period", Period(start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1))
        ),
        False,
        "BR-29",
    ),
    (
        "allowance without reason",
        lambda d: (
            setattr(d.allowances_charges[0], "reason", None)
            or setattr(d.allowances_charges[0], "reason_code", None)
        ),
        False,
        "BR-38",
    ),
    (
        "line allowance without reason",
        lambda d: setattr(d.lines[0], "allowances_charges", [AllowanceCharge(amount=Decimal(1))]),
        False,
        "BR-42",
    ),
    ("S without rate", _category(VatCategory.STANDARD, None), False, "BR-S-05"),
    ("S at zero", _category(VatCategory.STANDARD, "0"), False, "BR-S-05"),
    (
        "S at 0.3 %",
        lambda d: (
            _category(VatCategory.STANDARD, "0.3")(d)
            or setattr(d.lines[0], "quantity", Decimal(100))
        ),
        False,
        "BR-CO-17",
    ),
    ("S negative rate", _category(VatCategory.STANDARD, "-5"), False, "BR-CO-17"),
    ("S with exemption reason", _category(VatCategory.STANDARD, "20", "Exonéré"), False, "BR-S-10"),
    ("Z at 20 %", _category(VatCategory.ZERO, "20"), False, "BR-Z-05"),
    ("E without reason", _category(VatCategory.EXEMPT, "0"), False, "BR-E-10"),
    ("E with reason", _category(VatCategory.EXEMPT, "0", "Article 261"), False, None),
    (
        "AE without buyer ids",
        lambda d: (
            _category(VatCategory.REVERSE_CHARGE, "0", "Autoliquidation")(d)
            or setattr(d.buyer, "vat_id", None)
            or setattr(d.buyer, "siren", None)
        ),
        False,
        "BR-AE-02",
    ),
    (
        "K without ship-to address",
        _category(VatCategory.INTRA_COMMUNITY, "0", "Intracom"),
        False,
        "BR-IC-12",
    ),
    (
        "G without seller VAT",
        lambda d: (
            _category(VatCategory.EXPORT, "0", "Export")(d) or setattr(d.seller, "vat_id", None)
        ),
        False,
        "BR-G-02",
    ),
    ("O with a rate", _category(VatCategory.NOT_SUBJECT, "20", "Hors champ"), False, "BR-O-05"),
    ("O beside S", _category(VatCategory.NOT_SUBJECT, None, "Hors champ"), False, "BR-O-11"),
    ("all O", _all_not_subject, False, None),
    ("L in France", _category(VatCategory.CANARY_ISLANDS, "7"), True, "BR-FR-15_BT-95_BT-151_LM"),
    ("M without rate", _category(VatCategory.CEUTA_MELILLA, None), False, "BR-AG-05"),
    ("French rate 19 %", _category(VatCategory.STANDARD, "19"), True, "BR-FR-16_BT-152"),
    ("rate 5.555 %", _category(VatCategory.STANDARD, "5.555"), True, "BR-FR-DEC-04_BT-152"),
    ("unknown unit", lambda d: setattr(d.lines[0], "unit", "XXX"), False, "FX-SCH-A-000613"),
    ("unknown currency", lambda d: setattr(d, "currency", "ABC"), False, "FX-SCH-A-000595"),
    ("foreign currency", lambda d: setattr(d, "currency", "USD"), True, "BR-FR-CO-12_BT-5"),
    (
        "unknown country",
        lambda d: setattr(d.buyer.address, "country", "XX"),
        False,
        "FX-SCH-A-000568",
    ),
    (
        "unknown VATEX",
        lambda d: (
            _category(VatCategory.EXEMPT, "0", "x")(d)
            or setattr(d.lines[0], "vat_exemption_reason_code", "VATEX-XX")
        ),
        False,
        "FX-SCH-A-000589",
    ),
    (
        "unknown note subject",
        lambda d: d.notes.append(Note(text="x", subject="QQQ")),
        False,
        "FX-SCH-A-000553",
    ),
    ("unknown type code", lambda d: setattr(d, "type_code", "999"), False, "FX-SCH-A-000555"),
    ("no SIREN", lambda d: setattr(d.seller, "siren", None), True, "BR-FR-10_BT-30"),
    (
        "SIRET not from SIREN",
        lambda d: setattr(d.seller, "siret", "55210055400013"),
        True,
        "BR-FR-09_BT-29",
    ),
    ("no legal notes", lambda d: setattr(d, "notes", []), True, "BR-FR-05_BT-22_PMT"),
    (
        "two PMD notes",
        lambda d: d.notes.append(Note(text="x", subject="PMD")),
        True,
        "BR-FR-06_BT-21_PMD",
    ),
    ("no billing mode", lambda d: setattr(d, "business_process", None), True, "BR-FR-08_BT-23"),
    ("billing mode X1", lambda d: setattr(d, "business_process", "X1"), True, "BR-FR-08_BT-23"),
    (
        "multi-vendor mode",
        lambda d: setattr(d, "business_process", "S8"),
        True,
        "BR-FR-MV-02_EXT-FR-FE-163",
    ),
    (
        "already paid, unpaid",
        lambda d: setattr(d, "business_process", "S2"),
        True,
        "BR-FR-CO-09_BT-23-1",
    ),
    (
        "due before issue",
        lambda d: setattr(d, "due_date", dt.date(2026, 1, 1)),
        True,
        "BR-FR-CO-07_BT-9",
    ),
    (
        "credit note without invoice",
        lambda d: setattr(d, "kind", DocumentKind.CREDIT_NOTE),
        True,
        "BR-FR-CO-05_BT-3",
    ),
    (
        "credit note with invoice",
        lambda d: (
            setattr(d, "kind", DocumentKind.CREDIT_NOTE)
            or setattr(
                d,
                "preceding_invoices",
                [PrecedingInvoice(number="F-1", issue_date=dt.date(2026, 1, 5))],
            )
        ),
        True,
        None,
    ),
    (
        "corrective without invoice",
        lambda d: setattr(d, "type_code", "384"),
        True,
        "BR-FR-CO-04_BT-4",
    ),
    ("global discount credit", lambda d: setattr(d, "type_code", "262"), True, "BR-FR-CO-03_BT-3"),
    (
        "empty preceding number",
        lambda d: setattr(d, "preceding_invoices", [PrecedingInvoice(number="")]),
        False,
        "BR-55",
    ),
    ("number with a space", lambda d: setattr(d, "number", "F 1"), True, "BR-FR-02_BT-1"),
    ("date in 1999", lambda d: setattr(d, "due_date", dt.date(1999, 1, 1)), True, "BR-FR-03_BT-9"),
    (
        "tax point date and code",
        lambda d: setattr(d, "tax_point_date", dt.date(2026, 11, 1)),
        False,
        "BR-CO-03",
    ),
    (
        "VAT accounting = invoice currency",
        lambda d: setattr(d, "vat_accounting_currency", "EUR"),
        False,
        "BR-53",
    ),
    (
        "VAT accounting without total",
        lambda d: setattr(d, "vat_accounting_currency", "USD"),
        False,
        "BR-DEC-15",
    ),
    ("bad VAT prefix", lambda d: setattr(d.buyer, "vat_id", "XX123"), False, "BR-CO-09"),
    (
        "no seller identifier",
        lambda d: [setattr(d.seller, f, None) for f in ("siren", "siret", "vat_id")],
        False,
        "BR-CO-26",
    ),
    (
        "transfer without IBAN",
        lambda d: setattr(d.payment_means[0], "iban", None),
        False,
        "CII-SR-470",
    ),
    ("account name only", lambda d: setattr(d.payment_means[0], "iban", None), False, "BR-61"),
    (
        "two payment codes",
        lambda d: d.payment_means.append(PaymentMeans(code="48", card_pan="1234")),
        False,
        "CII-SR-467",
    ),
    (
        "long card number",
        lambda d: setattr(d, "payment_means", [PaymentMeans(code="48", card_pan="1" * 16)]),
        False,
        "BR-51",
    ),
    (
        "representative without VAT",
        lambda d: setattr(d, "tax_representative", TaxRepresentative(name="R")),
        False,
        "BR-56",
    ),
    (
        "payee named like seller",
        lambda d: setattr(d, "payee", Payee(name=d.seller.name or "")),
        False,
        None,
    ),
    ("buyer legal info", lambda d: setattr(d.buyer, "legal_info", "SAS"), False, ""),
    (
        "buyer local tax id",
        lambda d: setattr(d.buyer, "tax_registration", "123"),
        False,
        "FX-SCH-A-000570",
    ),
    (
        "buyer two global ids",
        lambda d: d.buyer.identifiers.append(Identifier(value="x", scheme="0088")),
        False,
        "FX-SCH-A-000164",
    ),
    (
        "attachment without type",
        lambda d: d.supporting_documents.append(
            SupportingDocument(id="A1", description="RIB", content_base64="aGVsbG8=")
        ),
        True,
        "XSD",
    ),
    (
        "attachment not base64",
        lambda d: d.supporting_documents.append(
            SupportingDocument(
                id="A1", content_base64="abc", mime_code="image/png", filename="a.png"
            )
        ),
        False,
        "XSD",
    ),
    (
        "attachment description",
        lambda d: d.supporting_documents.append(SupportingDocument(id="A1", description="Devis")),
        True,
        "BR-FR-17_BT-123",
    ),
    (
        "item id without scheme",
        lambda d: setattr(d.lines[0], "standard_item_id", Identifier(value="1")),
        False,
        "BR-64",
    ),
    (
        "delivery without country",
        lambda d: setattr(d, "delivery", Delivery(address=Address(city="Lyon"))),
        False,
        "BR-57",
    ),
    ("other reference", lambda d: d.other_references.append(OtherReference(id="R1")), False, ""),
    (
        "huge amounts",
        lambda d: (
            setattr(d.lines[0], "quantity", Decimal("99999999999"))
            or setattr(d.lines[0], "net_price", Decimal("9999999999.99"))
        ),
        True,
        "BR-FR-DEC-01_BT-131",
    ),
]


@pytest.mark.parametrize(
    ("change", "french", "expected"),
    [pytest.param(change, french, expected, id=name) for name, change, french, expected in CASES],
)
def test_named_breakage(change: Change, french: bool, expected: str | None) -> None:
    document = demo_invoice(4)
    change(document)
    result = agreement_case(document, Profile.EN16931, french)
    assert result.agree, result.explain()
    if expected is None:
        assert not result.official, result.explain()
    else:
        assert expected in result.official, sorted(result.official)
