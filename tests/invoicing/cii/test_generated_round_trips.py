"""CII reader: generated documents round trip through the writer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.model import (
    Address,
    AllowanceCharge,
    ContactPoint,
    Document,
    DocumentKind,
    ElectronicAddress,
    Identifier,
    ItemAttribute,
    Line,
    Note,
    Party,
    PaymentMeans,
    Period,
    PrecedingInvoice,
    VatCategory,
)
from invoicing.profiles import Profile
from tests.invoicing.cii.round_trips import (
    NASTY,
    assert_round_trip,
)

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
