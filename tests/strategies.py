"""Hypothesis strategies for documents that EN 16931 considers valid.

Each VAT category comes with what its rules demand (BR-S/Z/E/AE/IC/G/O-*):
VAT identifiers, exemption reasons, delivery information. `french=True`
adds what BR-FR demands (SIREN, electronic addresses, legal notes, a billing
mode, French VAT rates).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from invoicing.model import (
    Address,
    AllowanceCharge,
    Delivery,
    Document,
    DocumentKind,
    ElectronicAddress,
    Line,
    Party,
    PaymentMeans,
    PrecedingInvoice,
    VatCategory,
)
from invoicing.samples import french_legal_notes

# Category -> (rates, exemption reason code, exemption text)
_CATEGORIES: dict[VatCategory, tuple[tuple[str, ...], str | None, str | None]] = {
    VatCategory.STANDARD: (("20", "10", "5.5", "2.1", "8.5", "19", "21"), None, None),
    VatCategory.ZERO: (("0",), None, None),
    VatCategory.EXEMPT: (("0",), "VATEX-EU-132", "Exonération art. 261 du CGI"),
    VatCategory.REVERSE_CHARGE: (("0",), "VATEX-EU-AE", "Autoliquidation"),
    VatCategory.INTRA_COMMUNITY: (("0",), "VATEX-EU-IC", "Livraison intracommunautaire"),
    VatCategory.EXPORT: (("0",), "VATEX-EU-G", "Exportation hors UE"),
}
_FRENCH_RATES = ("20", "10", "5.5", "2.1")
_UNITS = ("C62", "HUR", "DAY", "KGM", "MTR", "LTR", "MON", "H87", "XPP")

# Printable text including the characters that break naive XML and HTML.
_NASTY = ("& < > \" '", "]]>", "🧾✅", "مرحبا بالعالم", "שלום", "こんにちは", "Ωμέγα", "Привет")
text = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
        ),
        min_size=1,
        max_size=40,
    ).filter(lambda value: value.strip() != ""),
    st.sampled_from(_NASTY),
)

amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2, allow_nan=False
)
quantities = st.decimals(
    min_value=Decimal("-50"), max_value=Decimal("9999"), places=4, allow_nan=False
).filter(lambda q: q != 0)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999.99"), places=2)
percents = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("50"), places=2)
# BR-FR-02: invoice numbers use letters, digits and - + _ / only.
french_numbers = st.from_regex(r"[A-Z]{1,3}-20[0-9]{2}-[0-9]{5}", fullmatch=True)
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


@st.composite
def allowance_charges(
    draw: st.DrawFn, document_level: bool, category: VatCategory, rate: Decimal | None
) -> AllowanceCharge:
    is_charge = draw(st.booleans())
    by_percent = draw(st.booleans())
    return AllowanceCharge(
        is_charge=is_charge,
        amount=None if by_percent else draw(amounts.filter(lambda a: a < 500)),
        percent=draw(percents) if by_percent else None,
        reason=draw(text),
        vat_category=category if document_level else None,
        vat_rate=rate if document_level else None,
    )


@st.composite
def lines(draw: st.DrawFn, categories: list[VatCategory], french: bool) -> Line:
    category = draw(st.sampled_from(categories))
    rates, reason_code, reason = _CATEGORIES.get(category, (("0",), None, None))
    if category is VatCategory.STANDARD and french:
        rates = _FRENCH_RATES
    rate = None if category is VatCategory.NOT_SUBJECT else Decimal(draw(st.sampled_from(rates)))
    if category is VatCategory.NOT_SUBJECT:
        reason_code, reason = "VATEX-EU-O", "Hors champ de la TVA"
    line = Line(
        name=draw(text),
        description=draw(st.none() | text),
        quantity=draw(quantities),
        unit=draw(st.sampled_from(_UNITS)),
        net_price=draw(prices),
        vat_category=category,
        vat_rate=rate,
        vat_exemption_reason=reason,
        vat_exemption_reason_code=reason_code,
    )
    if draw(st.integers(0, 3)) == 0:
        line.allowances_charges = [draw(allowance_charges(False, category, rate))]
    return line


def _party(name: str, country: str, vat_id: str | None, siren: str | None) -> Party:
    return Party(
        name=name,
        siren=siren,
        vat_id=vat_id,
        electronic_address=ElectronicAddress(value=siren) if siren else None,
        address=Address(line1="1 rue de la Paix", city="Paris", postcode="75002", country=country),
    )


@st.composite
def documents(draw: st.DrawFn, french: bool = False, max_lines: int = 50) -> Document:
    """A valid invoice, credit note or deposit invoice with 1..max_lines lines."""
    not_subject = not french and draw(st.integers(0, 9)) == 0
    if not_subject:
        categories = [VatCategory.NOT_SUBJECT]
    elif french:
        categories = [VatCategory.STANDARD]
    else:
        categories = draw(
            st.lists(st.sampled_from(list(_CATEGORIES)), min_size=1, max_size=4, unique=True)
        )
    kind = draw(st.sampled_from(list(DocumentKind)[:3]))
    issue_date = draw(dates)
    seller_vat = None if not_subject else "FR44732829320"
    seller_siren = "732829320" if french or not_subject else None
    buyer_vat = None if not_subject else "DE123456789"
    document = Document(
        kind=kind,
        number=draw(french_numbers if french else text),
        issue_date=issue_date,
        due_date=issue_date + dt.timedelta(days=draw(st.integers(0, 60))),
        seller=_party(draw(text), "FR", seller_vat, seller_siren),
        buyer=_party(
            draw(text), "DE" if not french else "FR", buyer_vat, "552100554" if french else None
        ),
        lines=draw(st.lists(lines(categories, french), min_size=1, max_size=max_lines)),
        payment_means=[PaymentMeans(code="58", iban="FR7630006000011234567890189")],
    )
    if kind is DocumentKind.CREDIT_NOTE or draw(st.integers(0, 4)) == 0:
        document.preceding_invoices = [
            PrecedingInvoice(
                number=draw(french_numbers if french else text),
                issue_date=issue_date - dt.timedelta(days=30),
            )
        ]
    if VatCategory.INTRA_COMMUNITY in categories:
        document.delivery = Delivery(
            date=issue_date, address=Address(city="Berlin", postcode="10115", country="DE")
        )
    if draw(st.booleans()):
        line = draw(st.sampled_from(document.lines))
        document.allowances_charges = [
            draw(allowance_charges(True, line.vat_category, line.vat_rate))
        ]
    if draw(st.integers(0, 4)) == 0:
        document.prepaid_amount = draw(amounts.filter(lambda a: a < 100))
    if draw(st.integers(0, 4)) == 0:
        document.rounding_amount = draw(
            st.decimals(min_value=Decimal("-0.49"), max_value=Decimal("0.49"), places=2)
        )
    if not french and draw(st.integers(0, 5)) == 0:
        document.currency = "USD"
        document.vat_accounting_currency = "EUR"
        document.vat_total_accounting_currency = draw(amounts)
    if french:
        document.notes = french_legal_notes()
        document.business_process = draw(st.sampled_from(["B1", "S1", "M1"]))
    return document
