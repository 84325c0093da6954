"""What of a document a profile's XML carries.

The CII writer drops every element the profile's XSD does not allow (no notes
in MINIMUM, no lines in BASIC WL...). The official rules judge that XML, so
the fast rules judge the same view of the document: the fields a profile does
not carry are emptied. Totals are still computed from the whole document, as
the writer does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from invoicing.model import Address, Document, Party
from invoicing.profiles import Profile, allowed_paths

_AGREEMENT = "SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement"
_DELIVERY = "SupplyChainTradeTransaction/ApplicableHeaderTradeDelivery"
_SETTLEMENT = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement"
_SUMMATION = f"{_SETTLEMENT}/SpecifiedTradeSettlementHeaderMonetarySummation"

# Document field -> the element the writer writes it as.
_DOCUMENT_FIELDS: dict[str, str] = {
    "notes": "ExchangedDocument/IncludedNote",
    "lines": "SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem",
    "buyer_reference": f"{_AGREEMENT}/BuyerReference",
    "tax_representative": f"{_AGREEMENT}/SellerTaxRepresentativeTradeParty",
    "sales_order_reference": f"{_AGREEMENT}/SellerOrderReferencedDocument",
    "order_reference": f"{_AGREEMENT}/BuyerOrderReferencedDocument",
    "contract_reference": f"{_AGREEMENT}/ContractReferencedDocument",
    "supporting_documents": f"{_AGREEMENT}/AdditionalReferencedDocument",
    "tender_reference": f"{_AGREEMENT}/AdditionalReferencedDocument",
    "invoiced_object": f"{_AGREEMENT}/AdditionalReferencedDocument",
    "other_references": f"{_AGREEMENT}/AdditionalReferencedDocument",
    "project_reference": f"{_AGREEMENT}/SpecifiedProcuringProject",
    "delivery": f"{_DELIVERY}/ShipToTradeParty",
    "despatch_advice_reference": f"{_DELIVERY}/DespatchAdviceReferencedDocument",
    "receiving_advice_reference": f"{_DELIVERY}/ReceivingAdviceReferencedDocument",
    "creditor_reference": f"{_SETTLEMENT}/CreditorReferenceID",
    "payment_reference": f"{_SETTLEMENT}/PaymentReference",
    "vat_accounting_currency": f"{_SETTLEMENT}/TaxCurrencyCode",
    "payee": f"{_SETTLEMENT}/PayeeTradeParty",
    "payment_means": f"{_SETTLEMENT}/SpecifiedTradeSettlementPaymentMeans",
    "tax_point_date": f"{_SETTLEMENT}/ApplicableTradeTax/TaxPointDate",
    "vat_point_date_code": f"{_SETTLEMENT}/ApplicableTradeTax/DueDateTypeCode",
    "invoicing_period": f"{_SETTLEMENT}/BillingSpecifiedPeriod",
    "allowances_charges": f"{_SETTLEMENT}/SpecifiedTradeAllowanceCharge",
    "payment_terms": f"{_SETTLEMENT}/SpecifiedTradePaymentTerms/Description",
    "due_date": f"{_SETTLEMENT}/SpecifiedTradePaymentTerms/DueDateDateTime",
    "prepaid_amount": f"{_SUMMATION}/TotalPrepaidAmount",
    "rounding_amount": f"{_SUMMATION}/RoundingAmount",
    "preceding_invoices": f"{_SETTLEMENT}/InvoiceReferencedDocument",
    "buyer_accounting_reference": f"{_SETTLEMENT}/ReceivableSpecifiedTradeAccountingAccount",
}

# Party field -> the element below the party.
_PARTY_FIELDS: dict[str, str] = {
    "identifiers": "ID",
    "siret": "GlobalID",
    "legal_info": "Description",
    "siren": "SpecifiedLegalOrganization",
    "legal_registration": "SpecifiedLegalOrganization",
    "trading_name": "SpecifiedLegalOrganization/TradingBusinessName",
    "contact": "DefinedTradeContact",
    "address": "PostalTradeAddress",
    "electronic_address": "URIUniversalCommunication",
    "vat_id": "SpecifiedTaxRegistration",
    "tax_registration": "SpecifiedTaxRegistration",
}
_EMPTY: dict[str, Any] = {"identifiers": [], "address": Address()}

# Payment means field -> the element below SpecifiedTradeSettlementPaymentMeans.
_PAYMENT_MEANS_FIELDS: dict[str, str] = {
    "text": "Information",
    "card_pan": "ApplicableTradeSettlementFinancialCard",
    "card_holder": "ApplicableTradeSettlementFinancialCard/CardholderName",
    "debited_iban": "PayerPartyDebtorFinancialAccount",
    "iban": "PayeePartyCreditorFinancialAccount/IBANID",
    "account_name": "PayeePartyCreditorFinancialAccount/AccountName",
    "bic": "PayeeSpecifiedCreditorFinancialInstitution",
}


@cache
def _dropped_means(profile: Profile) -> tuple[str, ...]:
    allowed = allowed_paths(profile)
    means = f"{_SETTLEMENT}/SpecifiedTradeSettlementPaymentMeans"
    return tuple(
        name for name, path in _PAYMENT_MEANS_FIELDS.items() if f"{means}/{path}" not in allowed
    )


@cache
def _dropped(profile: Profile) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    allowed = allowed_paths(profile)
    document = tuple(name for name, path in _DOCUMENT_FIELDS.items() if path not in allowed)
    parties = {
        side: tuple(
            name
            for name, path in _PARTY_FIELDS.items()
            if f"{_AGREEMENT}/{element}/{path}" not in allowed
        )
        for side, element in (("seller", "SellerTradeParty"), ("buyer", "BuyerTradeParty"))
    }
    return document, parties


def _emptied(party: Party, fields: tuple[str, ...]) -> Party:
    return party.model_copy(update={name: _EMPTY.get(name) for name in fields})


def carried(document: Document, profile: Profile) -> Document:
    """`document` as far as the profile's XML carries it (the same object
    when it carries everything, as EN 16931 and EXTENDED do)."""
    fields, parties = _dropped(profile)
    update: dict[str, Any] = {name: [] if name in _LISTS else None for name in fields}
    for side, dropped in parties.items():
        if dropped:
            update[side] = _emptied(getattr(document, side), dropped)
    means_dropped = _dropped_means(profile)
    if means_dropped and document.payment_means and "payment_means" not in update:
        blank = dict.fromkeys(means_dropped)
        update["payment_means"] = [m.model_copy(update=blank) for m in document.payment_means]
    return document.model_copy(update=update) if update else document


_LISTS = frozenset(
    name for name, info in Document.model_fields.items() if str(info.annotation).startswith("list")
)
