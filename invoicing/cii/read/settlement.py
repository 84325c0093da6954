"""The header trade settlement of a CII invoice: currencies, payment means and
terms, the stated VAT breakdown and totals, the invoices it refers to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml.etree import _Element

from invoicing.cii.read.lines import read_allowance_charge, read_period
from invoicing.cii.read.parties import read_payee
from invoicing.cii.read.values import ValueReader, assign, build, vat_category
from invoicing.model import Line, PaymentMeans, PrecedingInvoice
from invoicing.stated_totals import StatedTotals, StatedVat

_DIRECT_DEBIT_CODES = frozenset({"59", "49"})


def _lines_of(lines: list[Line], vat: StatedVat) -> list[Line]:
    """The lines a stated VAT breakdown covers: same category and rate, else
    (a breakdown stating rate 0 for lines that state none) same category."""
    same_category = [line for line in lines if line.vat_category is vat.category]
    exact = [
        line
        for line in same_category
        if (line.vat_rate is None and vat.rate is None)
        or (line.vat_rate is not None and vat.rate is not None and line.vat_rate == vat.rate)
    ]
    return exact or [line for line in same_category if line.vat_rate is None or vat.rate is None]


def read_payment_means(reader: ValueReader, element: _Element) -> PaymentMeans:
    card = reader.child(element, "ApplicableTradeSettlementFinancialCard")
    account = reader.child(element, "PayeePartyCreditorFinancialAccount")
    iban = reader.text(account, "IBANID") or reader.text(account, "ProprietaryID")
    values: dict[str, Any] = {
        "text": reader.text(element, "Information"),
        "iban": iban,
        "account_name": reader.text(account, "AccountName"),
        "bic": reader.text(element, "PayeeSpecifiedCreditorFinancialInstitution", "BICID"),
        "card_pan": reader.text(card, "ID"),
        "card_holder": reader.text(card, "CardholderName"),
        "debited_iban": reader.text(element, "PayerPartyDebtorFinancialAccount", "IBANID"),
    }
    code = reader.code(element, "TypeCode")
    if code is not None:
        values["code"] = code
    return build(PaymentMeans, element, **values)


def read_settlement(
    reader: ValueReader,
    settlement: _Element | None,
    lines: list[Line],
    line_nets: list[Decimal | None],
) -> tuple[dict[str, Any], StatedTotals]:
    """The document's fields the settlement holds, and the totals it states. The
    lines take their VAT exemption reasons from the stated breakdown."""
    currency = reader.code(settlement, "InvoiceCurrencyCode")
    accounting_currency = reader.code(settlement, "TaxCurrencyCode")
    fields: dict[str, Any] = {
        "creditor_reference": reader.text(settlement, "CreditorReferenceID"),
        "payment_reference": reader.text(settlement, "PaymentReference"),
        "vat_accounting_currency": accounting_currency,
        "payee": read_payee(reader, reader.child(settlement, "PayeeTradeParty")),
        "invoicing_period": read_period(reader, settlement),
        "allowances_charges": [
            read_allowance_charge(reader, holder, document_level=True)
            for holder in reader.children(settlement, "SpecifiedTradeAllowanceCharge")
        ],
        "buyer_accounting_reference": reader.text(
            settlement, "ReceivableSpecifiedTradeAccountingAccount", "ID"
        ),
    }
    if currency:
        fields["currency"] = currency
    payment_means = [
        read_payment_means(reader, holder)
        for holder in reader.children(settlement, "SpecifiedTradeSettlementPaymentMeans")
    ]

    breakdown: list[StatedVat] = []
    for tax in reader.children(settlement, "ApplicableTradeTax"):
        reader.code(tax, "TypeCode")
        vat = StatedVat(
            category=vat_category(reader.code(tax, "CategoryCode"), tax),
            rate=reader.decimal(tax, "RateApplicablePercent"),
            taxable_amount=reader.decimal(tax, "BasisAmount"),
            tax_amount=reader.decimal(tax, "CalculatedAmount"),
            exemption_reason=reader.raw(reader.child(tax, "ExemptionReason")) or None,
            exemption_reason_code=reader.code(tax, "ExemptionReasonCode"),
        )
        breakdown.append(vat)
        # The model has one BT-7 and one BT-8; the writer repeats them in each
        # breakdown. A breakdown stating another value leaves it unread.
        for field, name, value in (
            ("tax_point_date", "TaxPointDate", reader.date(tax, "TaxPointDate")),
            ("vat_point_date_code", "DueDateTypeCode", reader.code(tax, "DueDateTypeCode")),
        ):
            if fields.get(field) is None:
                fields[field] = value
            elif value is not None and value != fields[field]:
                reader.forget(reader.child(tax, name))
        if vat.exemption_reason or vat.exemption_reason_code:
            holders = _lines_of(lines, vat)
            if lines and not holders:
                # The model carries exemption reasons on lines only (without
                # lines, MINIMUM / BASIC WL, the stated breakdown holds them).
                reader.forget(reader.child(tax, "ExemptionReason"))
                reader.forget(reader.child(tax, "ExemptionReasonCode"))
            for line in holders:
                assign(line, tax, vat_exemption_reason=vat.exemption_reason)
                assign(line, tax, vat_exemption_reason_code=vat.exemption_reason_code)

    # EN 16931 has one BT-20, BT-9 and BT-89; EXTENDED may repeat the terms:
    # descriptions are joined, a second due date or mandate is left unread.
    payment_terms: list[str] = []
    mandate: str | None = None
    for terms in reader.children(settlement, "SpecifiedTradePaymentTerms"):
        description = reader.text(terms, "Description")
        if description:
            payment_terms.append(description)
        if fields.get("due_date") is None:
            fields["due_date"] = reader.date(terms, "DueDateDateTime")
        if mandate is None and payment_means:
            mandate = reader.text(terms, "DirectDebitMandateID")
            if mandate:
                target = next(
                    (means for means in payment_means if means.code in _DIRECT_DEBIT_CODES),
                    payment_means[0],
                )
                assign(target, terms, mandate_reference=mandate)
    if payment_terms:
        fields["payment_terms"] = "\n".join(payment_terms)
    fields["payment_means"] = payment_means

    summation = reader.child(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    vat_total = vat_total_accounting = None
    for holder in reader.children(summation, "TaxTotalAmount"):
        amount_currency = reader.attribute(holder, "currencyID")
        amount = reader.decimal(holder)
        in_other_currency = amount_currency is not None and amount_currency != currency
        if in_other_currency and vat_total_accounting is None:
            # BT-111; its currencyID is BT-6 even where the profile has no TaxCurrencyCode.
            vat_total_accounting = amount
            fields["vat_accounting_currency"] = accounting_currency or amount_currency
        elif not in_other_currency and vat_total is None:
            vat_total = amount
        else:
            reader.forget(holder)
    fields["vat_total_accounting_currency"] = vat_total_accounting
    rounding = reader.decimal(summation, "RoundingAmount")
    prepaid = reader.decimal(summation, "TotalPrepaidAmount")
    fields["rounding_amount"] = rounding
    fields["prepaid_amount"] = prepaid
    stated = StatedTotals(
        line_total=reader.decimal(summation, "LineTotalAmount"),
        allowance_total=reader.decimal(summation, "AllowanceTotalAmount"),
        charge_total=reader.decimal(summation, "ChargeTotalAmount"),
        tax_exclusive_total=reader.decimal(summation, "TaxBasisTotalAmount"),
        vat_total=vat_total,
        vat_total_accounting_currency=vat_total_accounting,
        tax_inclusive_total=reader.decimal(summation, "GrandTotalAmount"),
        prepaid_amount=prepaid,
        rounding_amount=rounding,
        amount_due=reader.decimal(summation, "DuePayableAmount"),
        vat_breakdown=tuple(breakdown),
        line_net_amounts=tuple(line_nets),
    )

    fields["preceding_invoices"] = [
        build(
            PrecedingInvoice,
            reference,
            number=reader.raw(reader.child(reference, "IssuerAssignedID")) or "",
            issue_date=reader.date(reference, "FormattedIssueDateTime"),
        )
        for reference in reader.children(settlement, "InvoiceReferencedDocument")
    ]
    return fields, stated
