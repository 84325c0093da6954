"""Document -> Cross Industry Invoice XML (Factur-X / EN 16931), with lxml.

The writer emits every business term the document carries, in the element
order of the CII schema, then keeps only what the chosen profile's XSD
allows (see `invoicing.profiles.allowed_paths`). All amounts come from
`invoicing.totals.compute_totals`; nothing here computes money.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

from lxml import etree
from lxml.etree import _Element

from invoicing.cii.names import (
    DATE_FORMAT_102,
    NSMAP,
    QDT,
    RAM,
    RSM,
    UDT,
    format_amount,
    format_date,
    format_number,
)
from invoicing.model import (
    Address,
    AllowanceCharge,
    Document,
    DocumentKind,
    Identifier,
    Line,
    Party,
    Period,
    VatCategory,
)
from invoicing.payment_terms import due_date_of, payment_terms_text
from invoicing.profiles import AllowedTree, Profile, allowed_tree
from invoicing.totals import LineTotals, Totals, compute_totals


class NotAnInvoiceError(ValueError):
    """A quote has no CII form: convert it to an invoice first."""


_SubElement = etree.SubElement
_RAM_TAGS: dict[str, str] = {}  # local name -> Clark name: formatted once


def _ram(parent: _Element, name: str, text: str | None = None, **attrs: str) -> _Element:
    tag = _RAM_TAGS.get(name)
    if tag is None:
        tag = _RAM_TAGS[name] = f"{{{RAM}}}{name}"
    element = _SubElement(parent, tag, attrs) if attrs else _SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _opt(parent: _Element, name: str, text: str | None, **attrs: str) -> None:
    """Add `name` only when there is a value."""
    if text:
        _ram(parent, name, text, **attrs)


def _date_time(parent: _Element, name: str, value: dt.date) -> None:
    holder = _ram(parent, name)
    stamp = etree.SubElement(holder, f"{{{UDT}}}DateTimeString", format=DATE_FORMAT_102)
    stamp.text = format_date(value)


def _indicator(parent: _Element, is_charge: bool) -> None:
    holder = _ram(parent, "ChargeIndicator")
    etree.SubElement(holder, f"{{{UDT}}}Indicator").text = "true" if is_charge else "false"


def _id(parent: _Element, name: str, identifier: Identifier) -> None:
    if identifier.scheme:
        _ram(parent, name, identifier.value, schemeID=identifier.scheme)
    else:
        _ram(parent, name, identifier.value)


def _period(parent: _Element, period: Period | None) -> None:
    if period is None or (period.start is None and period.end is None):
        return
    holder = _ram(parent, "BillingSpecifiedPeriod")
    if period.start:
        _date_time(holder, "StartDateTime", period.start)
    if period.end:
        _date_time(holder, "EndDateTime", period.end)


def _address(parent: _Element, address: Address | None) -> None:
    if address is None:
        return
    holder = _ram(parent, "PostalTradeAddress")
    _opt(holder, "PostcodeCode", address.postcode)
    _opt(holder, "LineOne", address.line1)
    _opt(holder, "LineTwo", address.line2)
    _opt(holder, "LineThree", address.line3)
    _opt(holder, "CityName", address.city)
    _ram(holder, "CountryID", address.country or "")
    _opt(holder, "CountrySubDivisionName", address.country_subdivision)


def _party(parent: _Element, name: str, party: Party) -> None:
    holder = _ram(parent, name)
    for identifier in party.identifiers:
        _id(holder, "GlobalID" if identifier.scheme else "ID", identifier)
    if party.siret:
        _ram(holder, "GlobalID", party.siret, schemeID="0009")
    _ram(holder, "Name", party.name or "")
    _opt(holder, "Description", party.legal_info)
    legal = (
        Identifier(value=party.siren, scheme="0002") if party.siren else party.legal_registration
    )
    if legal or party.trading_name:
        organization = _ram(holder, "SpecifiedLegalOrganization")
        if legal:
            _id(organization, "ID", legal)
        _opt(organization, "TradingBusinessName", party.trading_name)
    contact = party.contact
    if contact and (contact.name or contact.phone or contact.email):
        contact_el = _ram(holder, "DefinedTradeContact")
        _opt(contact_el, "PersonName", contact.name)
        if contact.phone:
            _ram(
                _ram(contact_el, "TelephoneUniversalCommunication"), "CompleteNumber", contact.phone
            )
        if contact.email:
            _ram(_ram(contact_el, "EmailURIUniversalCommunication"), "URIID", contact.email)
    address = party.address
    if any(address.model_dump().values()):
        _address(holder, address)
    if party.electronic_address:
        uri = _ram(holder, "URIUniversalCommunication")
        _ram(uri, "URIID", party.electronic_address.value, schemeID=party.electronic_address.scheme)
    if party.vat_id:
        _ram(_ram(holder, "SpecifiedTaxRegistration"), "ID", party.vat_id, schemeID="VA")
    if party.tax_registration:
        _ram(_ram(holder, "SpecifiedTaxRegistration"), "ID", party.tax_registration, schemeID="FC")


def _trade_tax(
    parent: _Element, name: str, category: VatCategory, rate: Decimal | None
) -> _Element:
    holder = _ram(parent, name)
    _ram(holder, "TypeCode", "VAT")
    _ram(holder, "CategoryCode", category.value)
    if rate is not None:
        _ram(holder, "RateApplicablePercent", format_number(rate))
    return holder


def _allowance_charge(
    parent: _Element,
    item: AllowanceCharge,
    amount: Decimal,
    base: Decimal | None,
    document_level: bool,
) -> None:
    holder = _ram(parent, "SpecifiedTradeAllowanceCharge")
    _indicator(holder, item.is_charge)
    if item.percent is not None:
        _ram(holder, "CalculationPercent", format_number(item.percent))
    if base is not None:
        _ram(holder, "BasisAmount", format_amount(base))
    _ram(holder, "ActualAmount", format_amount(amount))
    _opt(holder, "ReasonCode", item.reason_code)
    _opt(holder, "Reason", item.reason)
    if document_level:
        _trade_tax(
            holder, "CategoryTradeTax", item.vat_category or VatCategory.STANDARD, item.vat_rate
        )


def _line(parent: _Element, position: int, line: Line, totals: LineTotals) -> None:
    item = _ram(parent, "IncludedSupplyChainTradeLineItem")
    associated = _ram(item, "AssociatedDocumentLineDocument")
    _ram(associated, "LineID", line.id or str(position))
    if line.note:
        _ram(_ram(associated, "IncludedNote"), "Content", line.note)

    product = _ram(item, "SpecifiedTradeProduct")
    if line.standard_item_id:
        _id(product, "GlobalID", line.standard_item_id)
    _opt(product, "SellerAssignedID", line.seller_item_id)
    _opt(product, "BuyerAssignedID", line.buyer_item_id)
    _ram(product, "Name", line.name or "")
    _opt(product, "Description", line.description)
    for attribute in line.attributes:
        characteristic = _ram(product, "ApplicableProductCharacteristic")
        _ram(characteristic, "Description", attribute.name)
        _ram(characteristic, "Value", attribute.value)
    for classification in line.classifications:
        holder = _ram(product, "DesignatedProductClassification")
        attrs = {"listID": classification.list_id}
        if classification.list_version:
            attrs["listVersionID"] = classification.list_version
        _ram(holder, "ClassCode", classification.code, **attrs)
    if line.origin_country:
        _ram(_ram(product, "OriginTradeCountry"), "ID", line.origin_country)

    agreement = _ram(item, "SpecifiedLineTradeAgreement")
    if line.order_line_reference:
        _ram(_ram(agreement, "BuyerOrderReferencedDocument"), "LineID", line.order_line_reference)
    base_unit = {"unitCode": line.base_quantity_unit or line.unit}
    if line.gross_price is not None:
        gross = _ram(agreement, "GrossPriceProductTradePrice")
        _ram(gross, "ChargeAmount", format_number(line.gross_price))
        gross_base = (
            line.gross_base_quantity if line.gross_base_quantity is not None else line.base_quantity
        )
        if gross_base is not None:
            gross_unit = line.gross_base_quantity_unit or base_unit["unitCode"]
            _ram(gross, "BasisQuantity", format_number(gross_base), unitCode=gross_unit)
        if line.price_discount is not None:
            discount = _ram(gross, "AppliedTradeAllowanceCharge")
            _indicator(discount, False)
            _ram(discount, "ActualAmount", format_number(line.price_discount))
    net = _ram(agreement, "NetPriceProductTradePrice")
    _ram(net, "ChargeAmount", format_number(line.net_price or Decimal(0)))
    if line.base_quantity is not None:
        _ram(net, "BasisQuantity", format_number(line.base_quantity), **base_unit)

    delivery = _ram(item, "SpecifiedLineTradeDelivery")
    quantity = line.quantity if line.quantity is not None else Decimal(0)
    _ram(delivery, "BilledQuantity", format_number(quantity), unitCode=line.unit)

    settlement = _ram(item, "SpecifiedLineTradeSettlement")
    _trade_tax(settlement, "ApplicableTradeTax", line.vat_category, line.vat_rate)
    _period(settlement, line.period)
    for charge, amount, base in zip(
        line.allowances_charges,
        totals.allowance_charge_amounts,
        totals.allowance_charge_bases,
        strict=True,
    ):
        _allowance_charge(settlement, charge, amount, base, document_level=False)
    summation = _ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
    _ram(summation, "LineTotalAmount", format_amount(totals.net_amount))
    if line.object_identifier:
        reference = _ram(settlement, "AdditionalReferencedDocument")
        _ram(reference, "IssuerAssignedID", line.object_identifier.value)
        _ram(reference, "TypeCode", "130")
        _opt(reference, "ReferenceTypeCode", line.object_identifier.scheme)
    if line.accounting_reference:
        account = _ram(settlement, "ReceivableSpecifiedTradeAccountingAccount")
        _ram(account, "ID", line.accounting_reference)


def _referenced(parent: _Element, name: str, issuer_id: str | None) -> None:
    if issuer_id:
        _ram(_ram(parent, name), "IssuerAssignedID", issuer_id)


def _agreement(transaction: _Element, document: Document) -> None:
    agreement = _ram(transaction, "ApplicableHeaderTradeAgreement")
    _opt(agreement, "BuyerReference", document.buyer_reference)
    _party(agreement, "SellerTradeParty", document.seller)
    _party(agreement, "BuyerTradeParty", document.buyer)
    representative = document.tax_representative
    if representative:
        holder = _ram(agreement, "SellerTaxRepresentativeTradeParty")
        _ram(holder, "Name", representative.name)
        _address(holder, representative.address)
        if representative.vat_id:
            _ram(
                _ram(holder, "SpecifiedTaxRegistration"), "ID", representative.vat_id, schemeID="VA"
            )
    _referenced(agreement, "SellerOrderReferencedDocument", document.sales_order_reference)
    _referenced(agreement, "BuyerOrderReferencedDocument", document.order_reference)
    _referenced(agreement, "ContractReferencedDocument", document.contract_reference)
    for supporting in document.supporting_documents:
        holder = _ram(agreement, "AdditionalReferencedDocument")
        _ram(holder, "IssuerAssignedID", supporting.id)
        _opt(holder, "URIID", supporting.uri)
        _ram(holder, "TypeCode", "916")
        _opt(holder, "Name", supporting.description)
        if supporting.content_base64:
            attrs = {}
            if supporting.mime_code:
                attrs["mimeCode"] = supporting.mime_code
            if supporting.filename:
                attrs["filename"] = supporting.filename
            _ram(holder, "AttachmentBinaryObject", supporting.content_base64, **attrs)
    if document.tender_reference:
        holder = _ram(agreement, "AdditionalReferencedDocument")
        _ram(holder, "IssuerAssignedID", document.tender_reference)
        _ram(holder, "TypeCode", "50")
    if document.invoiced_object:
        holder = _ram(agreement, "AdditionalReferencedDocument")
        _ram(holder, "IssuerAssignedID", document.invoiced_object.value)
        _ram(holder, "TypeCode", "130")
        _opt(holder, "ReferenceTypeCode", document.invoiced_object.scheme)
    for other in document.other_references:
        holder = _ram(agreement, "AdditionalReferencedDocument")
        _ram(holder, "IssuerAssignedID", other.id)
        _opt(holder, "TypeCode", other.type_code)
        _opt(holder, "ReferenceTypeCode", other.reference_type_code)
    if document.project_reference:
        project = _ram(agreement, "SpecifiedProcuringProject")
        _ram(project, "ID", document.project_reference)
        _ram(project, "Name", document.project_name or "Project reference")


def _delivery(transaction: _Element, document: Document) -> None:
    delivery_el = _ram(transaction, "ApplicableHeaderTradeDelivery")
    delivery = document.delivery
    if delivery and (delivery.name or delivery.location_id or delivery.address):
        ship_to = _ram(delivery_el, "ShipToTradeParty")
        if delivery.location_id:
            _id(ship_to, "GlobalID" if delivery.location_id.scheme else "ID", delivery.location_id)
        _opt(ship_to, "Name", delivery.name)
        _address(ship_to, delivery.address)
    if delivery and delivery.date:
        event = _ram(delivery_el, "ActualDeliverySupplyChainEvent")
        _date_time(event, "OccurrenceDateTime", delivery.date)
    _referenced(delivery_el, "DespatchAdviceReferencedDocument", document.despatch_advice_reference)
    _referenced(
        delivery_el, "ReceivingAdviceReferencedDocument", document.receiving_advice_reference
    )


def _settlement(transaction: _Element, document: Document, totals: Totals) -> None:
    settlement = _ram(transaction, "ApplicableHeaderTradeSettlement")
    _opt(settlement, "CreditorReferenceID", document.creditor_reference)
    _opt(settlement, "PaymentReference", document.payment_reference)
    _opt(settlement, "TaxCurrencyCode", document.vat_accounting_currency)
    _ram(settlement, "InvoiceCurrencyCode", document.currency)
    payee = document.payee
    if payee:
        holder = _ram(settlement, "PayeeTradeParty")
        if payee.identifier:
            _id(holder, "GlobalID" if payee.identifier.scheme else "ID", payee.identifier)
        _ram(holder, "Name", payee.name)
        if payee.legal_registration:
            _id(_ram(holder, "SpecifiedLegalOrganization"), "ID", payee.legal_registration)
    for means in document.payment_means:
        holder = _ram(settlement, "SpecifiedTradeSettlementPaymentMeans")
        _ram(holder, "TypeCode", means.code)
        _opt(holder, "Information", means.text)
        if means.card_pan:
            card = _ram(holder, "ApplicableTradeSettlementFinancialCard")
            _ram(card, "ID", means.card_pan)
            _opt(card, "CardholderName", means.card_holder)
        if means.debited_iban:
            _ram(_ram(holder, "PayerPartyDebtorFinancialAccount"), "IBANID", means.debited_iban)
        if means.iban or means.account_name:
            account = _ram(holder, "PayeePartyCreditorFinancialAccount")
            _opt(account, "IBANID", means.iban)
            _opt(account, "AccountName", means.account_name)
        if means.bic:
            _ram(_ram(holder, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", means.bic)
    for breakdown in totals.vat_breakdown:
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "CalculatedAmount", format_amount(breakdown.tax_amount))
        _ram(tax, "TypeCode", "VAT")
        _opt(tax, "ExemptionReason", breakdown.exemption_reason)
        _ram(tax, "BasisAmount", format_amount(breakdown.taxable_amount))
        _ram(tax, "CategoryCode", breakdown.category.value)
        _opt(tax, "ExemptionReasonCode", breakdown.exemption_reason_code)
        if document.tax_point_date:
            point = _ram(tax, "TaxPointDate")
            stamp = etree.SubElement(point, f"{{{UDT}}}DateString", format=DATE_FORMAT_102)
            stamp.text = format_date(document.tax_point_date)
        _opt(tax, "DueDateTypeCode", document.vat_point_date_code)
        if breakdown.rate is not None:
            _ram(tax, "RateApplicablePercent", format_number(breakdown.rate))
    _period(settlement, document.invoicing_period)
    for item, amount, base in zip(
        document.allowances_charges,
        totals.allowance_charge_amounts,
        totals.allowance_charge_bases,
        strict=True,
    ):
        _allowance_charge(settlement, item, amount, base, document_level=True)
    mandates = [m.mandate_reference for m in document.payment_means if m.mandate_reference]
    terms_text = payment_terms_text(document)
    due_date = due_date_of(document)
    if terms_text or due_date or mandates:
        terms = _ram(settlement, "SpecifiedTradePaymentTerms")
        _opt(terms, "Description", terms_text)
        if due_date:
            _date_time(terms, "DueDateDateTime", due_date)
        if mandates:
            _ram(terms, "DirectDebitMandateID", mandates[0])
    summation = _ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(summation, "LineTotalAmount", format_amount(totals.line_total))
    if document.allowances_charges:
        _ram(summation, "ChargeTotalAmount", format_amount(totals.charge_total))
        _ram(summation, "AllowanceTotalAmount", format_amount(totals.allowance_total))
    _ram(summation, "TaxBasisTotalAmount", format_amount(totals.tax_exclusive_total))
    _ram(summation, "TaxTotalAmount", format_amount(totals.vat_total), currencyID=document.currency)
    accounting = document.vat_accounting_currency
    if (
        accounting
        and accounting != document.currency
        and totals.vat_total_accounting_currency is not None
    ):
        _ram(
            summation,
            "TaxTotalAmount",
            format_amount(totals.vat_total_accounting_currency),
            currencyID=accounting,
        )
    if document.rounding_amount is not None:
        _ram(summation, "RoundingAmount", format_amount(totals.rounding_amount))
    _ram(summation, "GrandTotalAmount", format_amount(totals.tax_inclusive_total))
    if document.prepaid_amount is not None:
        _ram(summation, "TotalPrepaidAmount", format_amount(totals.prepaid_amount))
    _ram(summation, "DuePayableAmount", format_amount(totals.amount_due))
    for preceding in document.preceding_invoices:
        reference = _ram(settlement, "InvoiceReferencedDocument")
        _ram(reference, "IssuerAssignedID", preceding.number)
        if preceding.issue_date:
            holder = _ram(reference, "FormattedIssueDateTime")
            stamp = etree.SubElement(holder, f"{{{QDT}}}DateTimeString", format=DATE_FORMAT_102)
            stamp.text = format_date(preceding.issue_date)
    if document.buyer_accounting_reference:
        account = _ram(settlement, "ReceivableSpecifiedTradeAccountingAccount")
        _ram(account, "ID", document.buyer_accounting_reference)


_MANDATORY_GROUPS = frozenset(
    f"SupplyChainTradeTransaction/ApplicableHeaderTrade{name}"
    for name in ("Agreement", "Delivery", "Settlement")
)

# An allowed tree keyed by the children's Clark names (the writer's tags), with
# the path of local names each node stands for.
_TagTree = dict[str, tuple[str, "_TagTree"]]
_NAMESPACES = (RSM, RAM, UDT, QDT)


@cache
def _tag_tree(profile: Profile) -> _TagTree:
    def convert(allowed: AllowedTree, path: str) -> _TagTree:
        tree: _TagTree = {}
        for local, below in allowed.items():
            child_path = f"{path}/{local}" if path else local
            converted = convert(below, child_path)
            for namespace in _NAMESPACES:
                tree[f"{{{namespace}}}{local}"] = (child_path, converted)
        return tree

    return convert(allowed_tree(profile), "")


def _prune(element: _Element, allowed: _TagTree) -> None:
    """Drop every element whose path the profile's XSD does not declare."""
    for child in element:
        found = allowed.get(child.tag)
        if found is None:
            element.remove(child)  # lxml's iteration survives removing the current child
            continue
        if len(child):
            path, below = found
            _prune(child, below)
            if not len(child) and path not in _MANDATORY_GROUPS:
                # Emptied by pruning (e.g. a legal organization whose trading
                # name the profile drops): an empty group is an error.
                element.remove(child)


def build_cii(
    document: Document, profile: Profile = Profile.EN16931, totals: Totals | None = None
) -> _Element:
    """The CII tree of `document` for `profile`."""
    if document.kind is DocumentKind.QUOTE:
        raise NotAnInvoiceError("a quote is not an invoice: convert it to an invoice first")
    if totals is None:
        totals = compute_totals(document)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = etree.SubElement(root, f"{{{RSM}}}ExchangedDocumentContext")
    if document.business_process:
        _ram(
            _ram(context, "BusinessProcessSpecifiedDocumentContextParameter"),
            "ID",
            document.business_process,
        )
    _ram(_ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", profile.guideline_id)

    header = etree.SubElement(root, f"{{{RSM}}}ExchangedDocument")
    _ram(header, "ID", document.number or "")
    _ram(header, "TypeCode", document.effective_type_code)
    _date_time(header, "IssueDateTime", document.issue_date or dt.date.today())
    for note in document.notes:
        note_el = _ram(header, "IncludedNote")
        _ram(note_el, "Content", note.text)
        _opt(note_el, "SubjectCode", note.subject)

    transaction = etree.SubElement(root, f"{{{RSM}}}SupplyChainTradeTransaction")
    for position, (line, line_totals) in enumerate(
        zip(document.lines, totals.lines, strict=True), start=1
    ):
        _line(transaction, position, line, line_totals)
    _agreement(transaction, document)
    _delivery(transaction, document)
    _settlement(transaction, document, totals)
    _prune(root, _tag_tree(profile))
    return root


def to_xml_bytes(
    document: Document, profile: Profile = Profile.EN16931, totals: Totals | None = None
) -> bytes:
    """Serialized CII, UTF-8 with an XML declaration."""
    root = build_cii(document, profile, totals)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
