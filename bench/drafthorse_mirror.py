"""The same invoice built with drafthorse, as an anchor for our XML build.

Covers what `invoicing.samples.demo_invoice` carries (parties, notes, lines
with line allowances, delivery date, one document charge, payment means and
terms), with every amount taken from our `Totals`: drafthorse computes nothing.
"""

from __future__ import annotations

from typing import Any

from drafthorse.models.accounting import ApplicableTradeTax, TradeAllowanceCharge
from drafthorse.models.accounting import CategoryTradeTax as DhCategoryTax
from drafthorse.models.document import Document as DhDocument
from drafthorse.models.note import IncludedNote
from drafthorse.models.payment import PaymentMeans as DhPaymentMeans
from drafthorse.models.payment import PaymentTerms
from drafthorse.models.tradelines import LineItem

from invoicing.model import AllowanceCharge, Document, Line, Party, VatCategory
from invoicing.profiles import Profile
from invoicing.totals import LineTotals, Totals

SCHEMA = "FACTUR-X_EN16931"


def _party(target: Any, party: Party) -> None:
    if party.siret:
        target.global_id.add(("0009", party.siret))
    target.name = party.name
    if party.legal_info:
        target.description = party.legal_info
    if party.siren:
        target.legal_organization.id = ("0002", party.siren)
    if party.trading_name:
        target.legal_organization.trade_name = party.trading_name
    contact = party.contact
    if contact:
        if contact.name:
            target.contact.person_name = contact.name
        if contact.phone:
            target.contact.telephone.number = contact.phone
        if contact.email:
            target.contact.email.address = contact.email
    address = party.address
    target.address.postcode = address.postcode
    target.address.line_one = address.line1
    target.address.city_name = address.city
    target.address.country_id = address.country
    if party.electronic_address:
        electronic = party.electronic_address
        target.electronic_address.uri_ID = (electronic.scheme, electronic.value)
    if party.vat_id:
        registration = target.tax_registrations.child_type()
        registration.id = ("VA", party.vat_id)
        target.tax_registrations.add(registration)


def _allowance_charge(
    item: AllowanceCharge, amount: Any, base: Any, document_level: bool
) -> TradeAllowanceCharge:
    result = TradeAllowanceCharge()
    result.indicator = item.is_charge
    if item.percent is not None:
        result.calculation_percent = item.percent
    if base is not None:
        result.basis_amount = base
    result.actual_amount = amount
    if item.reason_code:
        result.reason_code = item.reason_code
    if item.reason:
        result.reason = item.reason
    if document_level:
        tax = DhCategoryTax()
        tax.type_code = "VAT"
        tax.category_code = (item.vat_category or VatCategory.STANDARD).value
        tax.rate_applicable_percent = item.vat_rate
        result.trade_tax.add(tax)
    return result


def _line(position: int, line: Line, totals: LineTotals) -> LineItem:
    item = LineItem()
    item.document.line_id = line.id or str(position)
    item.product.name = line.name
    item.agreement.net.amount = line.net_price
    item.delivery.billed_quantity = (line.quantity, line.unit)
    item.settlement.trade_tax.type_code = "VAT"
    item.settlement.trade_tax.category_code = line.vat_category.value
    item.settlement.trade_tax.rate_applicable_percent = line.vat_rate
    for charge, amount, base in zip(
        line.allowances_charges,
        totals.allowance_charge_amounts,
        totals.allowance_charge_bases,
        strict=True,
    ):
        item.settlement.allowance_charge.add(
            _allowance_charge(charge, amount, base, document_level=False)
        )
    item.settlement.monetary_summation.total_amount = totals.net_amount
    return item


def build(document: Document, totals: Totals, profile: Profile = Profile.EN16931) -> Any:
    """A drafthorse `Document` mirroring `document`."""
    doc = DhDocument()
    if document.business_process:
        doc.context.business_parameter.id = document.business_process
    doc.context.guideline_parameter.id = profile.guideline_id
    doc.header.id = document.number
    doc.header.type_code = document.effective_type_code
    doc.header.issue_date_time = document.issue_date
    for note in document.notes:
        included = IncludedNote()
        included.content = note.text
        if note.subject:
            included.subject_code = note.subject
        doc.header.notes.add(included)

    trade = doc.trade
    for position, (line, line_totals) in enumerate(
        zip(document.lines, totals.lines, strict=True), start=1
    ):
        trade.items.add(_line(position, line, line_totals))

    agreement = trade.agreement
    if document.buyer_reference:
        agreement.buyer_reference = document.buyer_reference
    _party(agreement.seller, document.seller)
    _party(agreement.buyer, document.buyer)
    if document.order_reference:
        agreement.buyer_order.issuer_assigned_id = document.order_reference

    if document.delivery and document.delivery.date:
        trade.delivery.event.occurrence = document.delivery.date

    settlement = trade.settlement
    if document.payment_reference:
        settlement.payment_reference = document.payment_reference
    settlement.currency_code = document.currency
    for means in document.payment_means:
        payment = DhPaymentMeans()
        payment.type_code = means.code
        if means.iban:
            payment.payee_account.iban = means.iban
        if means.account_name:
            payment.payee_account.account_name = means.account_name
        if means.bic:
            payment.payee_institution.bic = means.bic
        settlement.payment_means.add(payment)
    for breakdown in totals.vat_breakdown:
        tax = ApplicableTradeTax()
        tax.calculated_amount = breakdown.tax_amount
        tax.type_code = "VAT"
        tax.basis_amount = breakdown.taxable_amount
        tax.category_code = breakdown.category.value
        if document.vat_point_date_code:
            tax.due_date_type_code = document.vat_point_date_code
        tax.rate_applicable_percent = breakdown.rate
        settlement.trade_tax.add(tax)
    for item, amount, base in zip(
        document.allowances_charges,
        totals.allowance_charge_amounts,
        totals.allowance_charge_bases,
        strict=True,
    ):
        settlement.allowance_charge.add(_allowance_charge(item, amount, base, document_level=True))
    if document.payment_terms or document.due_date:
        terms = PaymentTerms()
        if document.payment_terms:
            terms.description = document.payment_terms
        if document.due_date:
            terms.due = document.due_date
        settlement.terms.add(terms)

    summation = settlement.monetary_summation
    summation.line_total = totals.line_total
    summation.charge_total = totals.charge_total
    summation.allowance_total = totals.allowance_total
    summation.tax_basis_total = totals.tax_exclusive_total
    summation.tax_total = (totals.vat_total, document.currency)
    summation.grand_total = totals.tax_inclusive_total
    summation.due_amount = totals.amount_due
    return doc


def serialize(document: Document, totals: Totals, schema: str | None = SCHEMA) -> bytes:
    """Build and serialize; drafthorse validates against its bundled XSD
    (Factur-X 1.0.07) when `schema` is given."""
    result: bytes = build(document, totals).serialize(schema=schema)
    return result
