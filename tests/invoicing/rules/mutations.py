"""Hypothesis mutations for the rules' agreement tests: each breaks one thing at a
time in a valid document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from hypothesis import strategies as st

from invoicing.model import (
    Address,
    AllowanceCharge,
    Classification,
    Delivery,
    Document,
    DocumentKind,
    ElectronicAddress,
    Identifier,
    Line,
    Note,
    Payee,
    PaymentMeans,
    Period,
    PrecedingInvoice,
    SupportingDocument,
    TaxRepresentative,
    VatCategory,
)

Mutation = Callable[[Document, st.DataObject], None]


def _line(document: Document, data: st.DataObject) -> Line:
    return document.lines[data.draw(st.integers(0, len(document.lines) - 1), label="line")]


def _set_category(line: Line, category: VatCategory, rate: Decimal | None) -> None:
    line.vat_category = category
    line.vat_rate = rate


def _drop_mandatory(document: Document, data: st.DataObject) -> None:
    target = data.draw(
        st.sampled_from(
            (
                "number",
                "seller.name",
                "buyer.name",
                "seller.address",
                "buyer.address",
                "seller.country",
                "buyer.country",
                "line.name",
                "lines",
                "seller.ids",
            )
        ),
        label="drop",
    )
    if target == "number":
        document.number = data.draw(st.sampled_from((None, "")))
    elif target in ("seller.name", "buyer.name"):
        party = document.seller if target.startswith("seller") else document.buyer
        party.name = data.draw(st.sampled_from((None, "")))
    elif target in ("seller.address", "buyer.address"):
        party = document.seller if target.startswith("seller") else document.buyer
        party.address = Address()
    elif target in ("seller.country", "buyer.country"):
        party = document.seller if target.startswith("seller") else document.buyer
        party.address.country = None
    elif target == "line.name":
        _line(document, data).name = data.draw(st.sampled_from((None, "")))
    elif target == "lines":
        document.lines = []
        if data.draw(st.booleans()):
            document.allowances_charges = []
    else:
        seller = document.seller
        seller.siren = seller.siret = seller.vat_id = seller.tax_registration = None
        seller.identifiers = []
        seller.legal_registration = None


def _wrong_category_rate(document: Document, data: st.DataObject) -> None:
    line = _line(document, data)
    category = data.draw(st.sampled_from(list(VatCategory)), label="category")
    rate = data.draw(
        st.sampled_from((None, "0", "20", "5.5", "-5", "0.3", "19", "7.25", "100")), label="rate"
    )
    _set_category(line, category, Decimal(rate) if rate is not None else None)


def _exemption_without_reason(document: Document, data: st.DataObject) -> None:
    category = data.draw(
        st.sampled_from(
            (
                VatCategory.EXEMPT,
                VatCategory.REVERSE_CHARGE,
                VatCategory.INTRA_COMMUNITY,
                VatCategory.EXPORT,
                VatCategory.NOT_SUBJECT,
            )
        )
    )
    for line in document.lines:
        if data.draw(st.booleans(), label="this line"):
            _set_category(
                line, category, None if category is VatCategory.NOT_SUBJECT else Decimal(0)
            )
            line.vat_exemption_reason = None
            line.vat_exemption_reason_code = None


def _reason_on_taxed_line(document: Document, data: st.DataObject) -> None:
    line = _line(document, data)
    line.vat_exemption_reason = "Exonéré"
    if data.draw(st.booleans()):
        line.vat_exemption_reason_code = data.draw(st.sampled_from(("VATEX-EU-132", "VATEX-XX")))


def _bad_code(document: Document, data: st.DataObject) -> None:
    place = data.draw(
        st.sampled_from(
            (
                "unit",
                "base unit",
                "currency",
                "seller country",
                "buyer country",
                "delivery country",
                "type",
                "payment",
                "note",
                "vatex",
                "reason",
                "eas",
                "origin",
                "item scheme",
                "classification",
                "vat point",
                "accounting currency",
            )
        ),
        label="place",
    )
    line = _line(document, data)
    if place == "unit":
        line.unit = data.draw(st.sampled_from(("XXX", "PCE", "c62", "ZZZ")))
    elif place == "base unit":
        line.base_quantity = Decimal(10)
        line.base_quantity_unit = "XYZ"
        if data.draw(st.booleans()):
            line.gross_price = line.net_price
    elif place == "currency":
        document.currency = data.draw(st.sampled_from(("ABC", "EUE", "USD", "GBP")))
    elif place == "seller country":
        document.seller.address.country = data.draw(st.sampled_from(("XX", "UK", "EU", "FX")))
    elif place == "buyer country":
        document.buyer.address.country = data.draw(st.sampled_from(("XX", "UK", "EU")))
    elif place == "delivery country":
        document.delivery = Delivery(
            address=Address(country=data.draw(st.sampled_from(("XX", "EL"))))
        )
    elif place == "type":
        document.type_code = data.draw(st.sampled_from(("999", "380", "384", "262", "71", "751")))
    elif place == "payment":
        document.payment_means = [
            PaymentMeans(code=data.draw(st.sampled_from(("99", "ZZZ", "31"))))
        ]
    elif place == "note":
        document.notes.append(
            Note(text="x", subject=data.draw(st.sampled_from(("QQQ", "BAR", "TXD", "ZZZ"))))
        )
    elif place == "vatex":
        _set_category(line, VatCategory.EXEMPT, Decimal(0))
        line.vat_exemption_reason = "Exonéré"
        line.vat_exemption_reason_code = data.draw(st.sampled_from(("VATEX-XX", "VATEX-EU-132")))
    elif place == "reason":
        line.allowances_charges = [
            AllowanceCharge(
                is_charge=data.draw(st.booleans()),
                amount=Decimal("1.00"),
                reason_code=data.draw(st.sampled_from(("95", "ABL", "ZZZ", "1"))),
            )
        ]
    elif place == "eas":
        document.buyer.electronic_address = ElectronicAddress(value="123", scheme="9999")
    elif place == "origin":
        line.origin_country = data.draw(st.sampled_from(("XX", "FR")))
    elif place == "item scheme":
        line.standard_item_id = Identifier(
            value="123", scheme=data.draw(st.sampled_from((None, "0160", "9999")))
        )
    elif place == "classification":
        line.classifications = [
            Classification(code="1", list_id=data.draw(st.sampled_from(("ZZ", "STI", "XX"))))
        ]
    elif place == "vat point":
        document.vat_point_date_code = data.draw(st.sampled_from(("5", "3", "35")))
        if data.draw(st.booleans()):
            document.tax_point_date = document.issue_date
    else:
        document.vat_accounting_currency = data.draw(st.sampled_from(("EUR", "USD", "ABC")))
        if data.draw(st.booleans()):
            document.vat_total_accounting_currency = Decimal("12.00")


def _french_identity(document: Document, data: st.DataObject) -> None:
    what = data.draw(
        st.sampled_from(
            (
                "no siren",
                "short siren",
                "siret mismatch",
                "no seller address",
                "no buyer address",
                "seller eaddr",
                "buyer eaddr",
                "bad eaddr",
                "legal registration",
            )
        ),
        label="identity",
    )
    seller, buyer = document.seller, document.buyer
    if what == "no siren":
        seller.siren = None
    elif what == "short siren":
        seller.siren = "12345678"
    elif what == "siret mismatch":
        seller.siret = "12345678901234"
    elif what == "no seller address":
        seller.electronic_address = None
    elif what == "no buyer address":
        buyer.electronic_address = None
    elif what == "seller eaddr":
        seller.electronic_address = ElectronicAddress(value="", scheme="0225")
    elif what == "buyer eaddr":
        buyer.electronic_address = ElectronicAddress(value="a b", scheme="0225")
    elif what == "bad eaddr":
        seller.electronic_address = ElectronicAddress(value="x" * 130, scheme="EM")
    else:
        seller.siren = None
        seller.legal_registration = Identifier(value="RCS 123", scheme="0002")


def _legal_notes(document: Document, data: st.DataObject) -> None:
    subject = data.draw(st.sampled_from(("PMT", "PMD", "AAB")), label="subject")
    if data.draw(st.booleans(), label="remove"):
        document.notes = [note for note in document.notes if note.subject != subject]
    else:
        document.notes.append(Note(text="encore", subject=subject))


def _billing_mode(document: Document, data: st.DataObject) -> None:
    document.business_process = data.draw(
        st.sampled_from((None, "X1", "s1", "B8", "S9", "M2", "B4", "S6"))
    )
    if document.business_process == "B4" and data.draw(st.booleans()):
        document.kind = DocumentKind.DEPOSIT_INVOICE


def _dates(document: Document, data: st.DataObject) -> None:
    issue = document.issue_date or dt.date(2026, 1, 15)
    what = data.draw(st.sampled_from(("due before", "period", "line period", "old", "no issue")))
    if what == "due before":
        document.due_date = issue - dt.timedelta(days=data.draw(st.integers(1, 90)))
    elif what == "period":
        document.invoicing_period = Period(start=issue, end=issue - dt.timedelta(days=1))
    elif what == "line period":
        _line(document, data).period = Period(start=issue, end=issue - dt.timedelta(days=2))
    elif what == "old":
        document.due_date = dt.date(data.draw(st.sampled_from((1999, 2100))), 6, 1)
    else:
        document.issue_date = None


def _credit_note(document: Document, data: st.DataObject) -> None:
    document.kind = DocumentKind.CREDIT_NOTE
    document.type_code = data.draw(st.sampled_from((None, "381", "261", "384", "262")))
    document.preceding_invoices = data.draw(
        st.sampled_from(
            (
                [],
                [PrecedingInvoice(number="F-2026-1")],
                [PrecedingInvoice(number="", issue_date=dt.date(2026, 1, 1))],
                [PrecedingInvoice(number="F 2026 1", issue_date=dt.date(2026, 1, 1))],
            )
        )
    )


def _negative(document: Document, data: st.DataObject) -> None:
    line = _line(document, data)
    what = data.draw(st.sampled_from(("net", "gross", "quantity", "huge")))
    if what == "net":
        line.net_price = Decimal("-12.5")
    elif what == "gross":
        line.gross_price = Decimal("-3")
    elif what == "quantity":
        line.quantity = Decimal("-2")
    else:
        line.quantity = Decimal("99999999999")
        line.net_price = Decimal("9999999999.99")


def _allowances(document: Document, data: st.DataObject) -> None:
    what = data.draw(st.sampled_from(("no reason", "line no reason", "no rate", "O allowance")))
    if what == "no reason":
        document.allowances_charges = [
            AllowanceCharge(
                is_charge=data.draw(st.booleans()), amount=Decimal(5), vat_rate=Decimal(20)
            )
        ]
    elif what == "line no reason":
        _line(document, data).allowances_charges = [
            AllowanceCharge(is_charge=data.draw(st.booleans()), amount=Decimal(1))
        ]
    elif what == "no rate":
        document.allowances_charges = [
            AllowanceCharge(amount=Decimal(5), reason="Remise", vat_category=VatCategory.STANDARD)
        ]
    else:
        document.allowances_charges = [
            AllowanceCharge(
                amount=Decimal(5), reason="Remise", vat_category=VatCategory.NOT_SUBJECT
            )
        ]


def _payment(document: Document, data: st.DataObject) -> None:
    what = data.draw(st.sampled_from(("no iban", "name only", "two codes", "card", "spaces")))
    if what == "no iban":
        document.payment_means = [PaymentMeans(code=data.draw(st.sampled_from(("30", "58"))))]
    elif what == "name only":
        document.payment_means = [PaymentMeans(code="58", account_name="Atelier")]
    elif what == "two codes":
        document.payment_means = [
            PaymentMeans(code="58", iban="FR7630006000011234567890189"),
            PaymentMeans(code="48", card_pan="1234"),
        ]
    elif what == "card":
        document.payment_means = [PaymentMeans(code="48", card_pan="12345678901234")]
    else:
        document.payment_means = [PaymentMeans(code="58", iban="   ")]


def _parties(document: Document, data: st.DataObject) -> None:
    what = data.draw(
        st.sampled_from(
            ("representative", "buyer ids", "buyer fc", "buyer legal info", "vat prefix", "payee")
        )
    )
    if what == "representative":
        document.tax_representative = TaxRepresentative(
            name=data.draw(st.sampled_from(("", " ", "Rep"))),
            vat_id=data.draw(st.sampled_from((None, "FR44732829320"))),
        )
    elif what == "buyer ids":
        document.buyer.siret = "55210055400013"
        document.buyer.identifiers = [Identifier(value="X", scheme="0088")]
    elif what == "buyer fc":
        document.buyer.tax_registration = "123/456"
    elif what == "buyer legal info":
        document.buyer.legal_info = "SAS au capital de 1 000 €"
    elif what == "vat prefix":
        document.buyer.vat_id = data.draw(st.sampled_from(("XX123", "fr123", "GR123")))
    else:
        document.payee = Payee(
            name=document.seller.name or "x",
            identifier=Identifier(value="12345678901234", scheme="0009"),
        )


def _references(document: Document, data: st.DataObject) -> None:
    what = data.draw(st.sampled_from(("attachment", "bad attachment", "empty ref", "object")))
    if what == "attachment":
        document.supporting_documents = [
            SupportingDocument(
                id="A1",
                description=data.draw(st.sampled_from((None, "Devis", "RIB", "LISIBLE"))),
                content_base64="aGVsbG8=",
                mime_code=data.draw(st.sampled_from((None, "application/pdf", "text/html"))),
                filename=data.draw(st.sampled_from((None, "a.pdf"))),
            )
        ]
    elif what == "bad attachment":
        document.supporting_documents = [
            SupportingDocument(
                id="A1", content_base64="abc", mime_code="image/png", filename="a.png"
            )
        ]
    elif what == "empty ref":
        document.supporting_documents = [SupportingDocument(id="")]
    else:
        document.invoiced_object = Identifier(
            value=data.draw(st.sampled_from(("", "OBJ-1"))),
            scheme=data.draw(st.sampled_from((None, "AFL", "ZZZ", "AAA"))),
        )


MUTATIONS: dict[str, Mutation] = {
    "drop mandatory field": _drop_mandatory,
    "wrong category/rate pair": _wrong_category_rate,
    "exemption without reason": _exemption_without_reason,
    "exemption reason on taxed line": _reason_on_taxed_line,
    "bad code": _bad_code,
    "French identity": _french_identity,
    "legal notes": _legal_notes,
    "billing mode": _billing_mode,
    "dates": _dates,
    "credit note": _credit_note,
    "negative or huge amounts": _negative,
    "allowances and charges": _allowances,
    "payment means": _payment,
    "parties": _parties,
    "references and attachments": _references,
}
