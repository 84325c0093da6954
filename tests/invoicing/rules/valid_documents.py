"""Hypothesis strategies for the rules' agreement tests: documents meant to pass the
official checks (Factur-X EN 16931, and BR-FR with `french=True`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from invoicing.model import (
    Address,
    AllowanceCharge,
    ContactPoint,
    Delivery,
    Document,
    DocumentKind,
    ElectronicAddress,
    Identifier,
    Line,
    Note,
    Party,
    PaymentMeans,
    Period,
    PrecedingInvoice,
    SupportingDocument,
    TaxRepresentative,
    VatCategory,
)
from invoicing.rules.identifiers import french_vat_id, luhn_ok
from invoicing.totals import compute_totals

LEGAL_NOTES = (
    Note(subject="PMT", text="Indemnité forfaitaire pour frais de recouvrement : 40 €."),
    Note(subject="PMD", text="Pénalités de retard : trois fois le taux d'intérêt légal."),
    Note(subject="AAB", text="Pas d'escompte pour paiement anticipé."),
)
UNITS = ("C62", "HUR", "DAY", "KGM", "MTR", "LTR", "MON", "H87", "XPP", "E48")
FRENCH_RATES = ("20", "10", "5.5", "2.1")
REASONS = {
    VatCategory.EXEMPT: ("Exonération, article 261 du CGI", "VATEX-EU-132"),
    VatCategory.REVERSE_CHARGE: ("Autoliquidation", "VATEX-EU-AE"),
    VatCategory.INTRA_COMMUNITY: ("Livraison intracommunautaire", "VATEX-EU-IC"),
    VatCategory.EXPORT: ("Exportation hors UE", "VATEX-EU-G"),
    VatCategory.NOT_SUBJECT: ("Hors champ de la TVA", "VATEX-EU-O"),
}

names = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=["Cs"]),
    min_size=1,
    max_size=30,
).filter(lambda value: value.strip() != "")
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))
money = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=2)
quantities = st.decimals(min_value=Decimal("-20"), max_value=Decimal("500"), places=3)
numbers = st.from_regex(r"[A-Z]{1,3}-20[0-9]{2}-[0-9]{1,6}", fullmatch=True)


def _check_digit(body: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(body + d))


@st.composite
def sirens(draw: st.DrawFn) -> str:
    body = draw(st.from_regex(r"[1-9][0-9]{7}", fullmatch=True))
    return body + _check_digit(body)


@st.composite
def french_party(draw: st.DrawFn, french: bool) -> Party:
    siren = draw(sirens())
    establishment = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    siret = siren + establishment + _check_digit(siren + establishment)
    address = Address(
        line1=draw(names),
        city=draw(names),
        postcode=draw(st.from_regex(r"[0-9]{5}", fullmatch=True)),
        country="FR",
    )
    return Party(
        name=draw(names),
        siren=siren,
        siret=siret if draw(st.booleans()) else None,
        vat_id=french_vat_id(siren),
        electronic_address=ElectronicAddress(value=siren, scheme="0225")
        if french or draw(st.booleans())
        else None,
        address=address,
        contact=ContactPoint(email="compta@example.fr") if draw(st.booleans()) else None,
    )


@st.composite
def foreign_party(draw: st.DrawFn, french: bool) -> Party:
    country = draw(st.sampled_from(("BE", "DE", "ES", "IT")))
    return Party(
        name=draw(names),
        vat_id=f"{country}{draw(st.from_regex(r'[0-9]{10}', fullmatch=True))}",
        electronic_address=ElectronicAddress(value="buyer@example.eu", scheme="EM")
        if french
        else None,
        address=Address(city=draw(names), country=country),
    )


def _exempt(line: Line, category: VatCategory, with_code: bool) -> None:
    text, code = REASONS[category]
    line.vat_exemption_reason = text
    line.vat_exemption_reason_code = code if with_code else None


@st.composite
def lines(draw: st.DrawFn, category: VatCategory, french: bool) -> Line:
    if category is VatCategory.STANDARD:
        rate: Decimal | None = Decimal(draw(st.sampled_from(FRENCH_RATES)))
    elif category is VatCategory.NOT_SUBJECT:
        rate = None
    else:
        rate = Decimal(0)
    line = Line(
        name=draw(names),
        quantity=draw(quantities),
        unit=draw(st.sampled_from(UNITS)),
        net_price=draw(money),
        vat_category=category,
        vat_rate=rate,
    )
    if category in REASONS:
        _exempt(line, category, draw(st.booleans()))
    if draw(st.integers(0, 4)) == 0:
        line.allowances_charges = [
            AllowanceCharge(
                is_charge=draw(st.booleans()),
                percent=Decimal(draw(st.sampled_from(("5", "10", "12.5")))),
                reason=draw(names),
            )
        ]
    if draw(st.integers(0, 5)) == 0:
        line.gross_price = line.net_price
        line.base_quantity = Decimal(draw(st.sampled_from(("1", "10", "100"))))
    if draw(st.integers(0, 6)) == 0:
        start = draw(dates)
        line.period = Period(start=start, end=start + dt.timedelta(days=draw(st.integers(0, 60))))
    if draw(st.integers(0, 6)) == 0:
        line.description = draw(names)
    return line


_PLANS = (
    (VatCategory.STANDARD,),
    (VatCategory.STANDARD,),
    (VatCategory.STANDARD, VatCategory.ZERO),
    (VatCategory.STANDARD, VatCategory.EXEMPT),
    (VatCategory.REVERSE_CHARGE,),
    (VatCategory.STANDARD, VatCategory.INTRA_COMMUNITY),
    (VatCategory.EXPORT, VatCategory.STANDARD),
    (VatCategory.NOT_SUBJECT,),
)


@st.composite
def valid_documents(draw: st.DrawFn, french: bool = False, max_lines: int = 6) -> Document:
    """A document meant to pass the official checks, as varied as that allows."""
    plan = draw(st.sampled_from(_PLANS))
    not_subject = plan == (VatCategory.NOT_SUBJECT,)
    seller = draw(french_party(french))
    buyer = draw(st.one_of(french_party(french), foreign_party(french)))
    if VatCategory.INTRA_COMMUNITY in plan:
        buyer = draw(foreign_party(french))
    if not_subject:
        seller.vat_id = None
        buyer.vat_id = None
        if not buyer.siren:
            buyer.siren = draw(sirens())
    count = draw(st.integers(1, max_lines))
    document_lines = [draw(lines(plan[i % len(plan)], french)) for i in range(count)]
    issue = draw(dates)
    kind = draw(
        st.sampled_from(
            (DocumentKind.INVOICE,) * 4 + (DocumentKind.CREDIT_NOTE, DocumentKind.DEPOSIT_INVOICE)
        )
    )
    document = Document(
        kind=kind,
        number=draw(numbers),
        issue_date=issue,
        due_date=issue + dt.timedelta(days=draw(st.integers(0, 60)))
        if draw(st.booleans())
        else None,
        currency="EUR",
        business_process=draw(st.sampled_from(("B1", "S1", "M1", "S3", "S5", "B7")))
        if french
        else draw(st.sampled_from((None, "S1"))),
        notes=list(LEGAL_NOTES) if french else [],
        seller=seller,
        buyer=buyer,
        lines=document_lines,
        payment_means=[
            PaymentMeans(code="58", iban="FR7630006000011234567890189", bic="AGRIFRPPXXX")
        ]
        if draw(st.booleans())
        else [],
        buyer_reference=draw(names) if draw(st.booleans()) else None,
        order_reference=draw(numbers) if draw(st.booleans()) else None,
        payment_terms=draw(names) if draw(st.booleans()) else None,
    )
    if kind is DocumentKind.CREDIT_NOTE:
        document.preceding_invoices = [
            PrecedingInvoice(number=draw(numbers), issue_date=issue - dt.timedelta(days=30))
        ]
    if VatCategory.INTRA_COMMUNITY in plan or draw(st.integers(0, 4)) == 0:
        document.delivery = Delivery(
            date=issue,
            address=Address(city=draw(names), country=buyer.address.country or "FR"),
        )
    if draw(st.integers(0, 3)) == 0:
        category = plan[0]
        template = document_lines[0]
        document.allowances_charges = [
            AllowanceCharge(
                is_charge=draw(st.booleans()),
                amount=draw(money.filter(lambda a: a <= 100)),
                reason=draw(names),
                reason_code=draw(st.sampled_from((None, "95", "ABL"))),
                vat_category=category,
                vat_rate=template.vat_rate,
            )
        ]
        if document.allowances_charges[0].is_charge is False:
            document.allowances_charges[0].reason_code = draw(st.sampled_from((None, "95")))
        else:
            document.allowances_charges[0].reason_code = draw(st.sampled_from((None, "ABL")))
    if draw(st.integers(0, 5)) == 0:
        start = draw(dates)
        document.invoicing_period = Period(start=start, end=start + dt.timedelta(days=30))
    if draw(st.integers(0, 6)) == 0:
        document.supporting_documents = [
            SupportingDocument(
                id=draw(numbers),
                description="BON_COMMANDE",
                content_base64="aGVsbG8=",
                mime_code="application/pdf",
                filename="commande.pdf",
            )
        ]
    if draw(st.integers(0, 6)) == 0 and seller.vat_id:
        document.tax_representative = TaxRepresentative(
            name=draw(names), vat_id=seller.vat_id, address=Address(country="FR")
        )
    if draw(st.integers(0, 8)) == 0:
        document.seller.identifiers = [Identifier(value=draw(numbers), scheme="0088")]
    if french and draw(st.integers(0, 6)) == 0:
        # Already paid: everything was paid on the due date.
        document.business_process = "S2"
        document.due_date = issue
        document.prepaid_amount = compute_totals(document).tax_inclusive_total
    return document
