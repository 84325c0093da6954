"""Document -> Cross Industry Invoice XML (Factur-X / EN 16931), with lxml.

The writer describes every business term the document carries, in the element
order of the CII schema, as parts (the context, the header, each line, the
agreement, the delivery, the settlement), and keeps only what the chosen
profile's XSD allows (see `invoicing.profiles.allowed_paths`). Each part is
copied from a cached skeleton of its shape (`invoicing.cii.skeletons`: 20
lines build in half the time). All amounts come from
`invoicing.totals.compute_totals`; nothing here computes money.
"""

from __future__ import annotations

import datetime as dt
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
from invoicing.cii.skeletons import Steps, TagTree, append_part, build_part
from invoicing.cii.write.lines import line_steps
from invoicing.cii.write.steps import (
    allowance_charge,
    date_time,
    id_element,
    opt,
    period,
    ram,
    ram_tag,
)
from invoicing.model import Address, Document, DocumentKind, Identifier, Party
from invoicing.payment_terms import due_date_of, payment_terms_text
from invoicing.profiles import AllowedTree, Profile, allowed_tree
from invoicing.totals import Totals, compute_totals


class NotAnInvoiceError(ValueError):
    """A quote has no CII form: convert it to an invoice first."""


def _address(t: Steps, parent: int, address: Address | None) -> None:
    if address is None:
        return
    holder = ram(t, parent, "PostalTradeAddress")
    opt(t, holder, "PostcodeCode", address.postcode)
    opt(t, holder, "LineOne", address.line1)
    opt(t, holder, "LineTwo", address.line2)
    opt(t, holder, "LineThree", address.line3)
    opt(t, holder, "CityName", address.city)
    ram(t, holder, "CountryID", address.country or "")
    opt(t, holder, "CountrySubDivisionName", address.country_subdivision)


def _party(t: Steps, parent: int, name: str, party: Party) -> None:
    holder = ram(t, parent, name)
    for identifier in party.identifiers:
        id_element(t, holder, "GlobalID" if identifier.scheme else "ID", identifier)
    if party.siret:
        ram(t, holder, "GlobalID", party.siret, schemeID="0009")
    ram(t, holder, "Name", party.name or "")
    opt(t, holder, "Description", party.legal_info)
    legal = (
        Identifier(value=party.siren, scheme="0002") if party.siren else party.legal_registration
    )
    if legal or party.trading_name:
        organization = ram(t, holder, "SpecifiedLegalOrganization")
        if legal:
            id_element(t, organization, "ID", legal)
        opt(t, organization, "TradingBusinessName", party.trading_name)
    contact = party.contact
    if contact and (contact.name or contact.phone or contact.email):
        contact_el = ram(t, holder, "DefinedTradeContact")
        opt(t, contact_el, "PersonName", contact.name)
        if contact.phone:
            ram(
                t,
                ram(t, contact_el, "TelephoneUniversalCommunication"),
                "CompleteNumber",
                contact.phone,
            )
        if contact.email:
            ram(t, ram(t, contact_el, "EmailURIUniversalCommunication"), "URIID", contact.email)
    address = party.address
    if any(address.model_dump().values()):
        _address(t, holder, address)
    if party.electronic_address:
        uri = ram(t, holder, "URIUniversalCommunication")
        ram(
            t,
            uri,
            "URIID",
            party.electronic_address.value,
            schemeID=party.electronic_address.scheme,
        )
    if party.vat_id:
        ram(t, ram(t, holder, "SpecifiedTaxRegistration"), "ID", party.vat_id, schemeID="VA")
    if party.tax_registration:
        ram(
            t,
            ram(t, holder, "SpecifiedTaxRegistration"),
            "ID",
            party.tax_registration,
            schemeID="FC",
        )


def _referenced(t: Steps, parent: int, name: str, issuer_id: str | None) -> None:
    if issuer_id:
        ram(t, ram(t, parent, name), "IssuerAssignedID", issuer_id)


def _agreement(document: Document) -> Steps:
    t = Steps(ram_tag("ApplicableHeaderTradeAgreement"))
    agreement = 0
    opt(t, agreement, "BuyerReference", document.buyer_reference)
    _party(t, agreement, "SellerTradeParty", document.seller)
    _party(t, agreement, "BuyerTradeParty", document.buyer)
    representative = document.tax_representative
    if representative:
        holder = ram(t, agreement, "SellerTaxRepresentativeTradeParty")
        ram(t, holder, "Name", representative.name)
        _address(t, holder, representative.address)
        if representative.vat_id:
            ram(
                t,
                ram(t, holder, "SpecifiedTaxRegistration"),
                "ID",
                representative.vat_id,
                schemeID="VA",
            )
    _referenced(t, agreement, "SellerOrderReferencedDocument", document.sales_order_reference)
    _referenced(t, agreement, "BuyerOrderReferencedDocument", document.order_reference)
    _referenced(t, agreement, "ContractReferencedDocument", document.contract_reference)
    for supporting in document.supporting_documents:
        holder = ram(t, agreement, "AdditionalReferencedDocument")
        ram(t, holder, "IssuerAssignedID", supporting.id)
        opt(t, holder, "URIID", supporting.uri)
        ram(t, holder, "TypeCode", "916")
        opt(t, holder, "Name", supporting.description)
        if supporting.content_base64:
            attrs = {}
            if supporting.mime_code:
                attrs["mimeCode"] = supporting.mime_code
            if supporting.filename:
                attrs["filename"] = supporting.filename
            ram(t, holder, "AttachmentBinaryObject", supporting.content_base64, **attrs)
    if document.tender_reference:
        holder = ram(t, agreement, "AdditionalReferencedDocument")
        ram(t, holder, "IssuerAssignedID", document.tender_reference)
        ram(t, holder, "TypeCode", "50")
    if document.invoiced_object:
        holder = ram(t, agreement, "AdditionalReferencedDocument")
        ram(t, holder, "IssuerAssignedID", document.invoiced_object.value)
        ram(t, holder, "TypeCode", "130")
        opt(t, holder, "ReferenceTypeCode", document.invoiced_object.scheme)
    for other in document.other_references:
        holder = ram(t, agreement, "AdditionalReferencedDocument")
        ram(t, holder, "IssuerAssignedID", other.id)
        opt(t, holder, "TypeCode", other.type_code)
        opt(t, holder, "ReferenceTypeCode", other.reference_type_code)
    if document.project_reference:
        project = ram(t, agreement, "SpecifiedProcuringProject")
        ram(t, project, "ID", document.project_reference)
        ram(t, project, "Name", document.project_name or "Project reference")
    return t


def _delivery(document: Document) -> Steps:
    t = Steps(ram_tag("ApplicableHeaderTradeDelivery"))
    delivery_el = 0
    delivery = document.delivery
    if delivery and (delivery.name or delivery.location_id or delivery.address):
        ship_to = ram(t, delivery_el, "ShipToTradeParty")
        if delivery.location_id:
            id_element(
                t,
                ship_to,
                "GlobalID" if delivery.location_id.scheme else "ID",
                delivery.location_id,
            )
        opt(t, ship_to, "Name", delivery.name)
        _address(t, ship_to, delivery.address)
    if delivery and delivery.date:
        event = ram(t, delivery_el, "ActualDeliverySupplyChainEvent")
        date_time(t, event, "OccurrenceDateTime", delivery.date)
    _referenced(
        t, delivery_el, "DespatchAdviceReferencedDocument", document.despatch_advice_reference
    )
    _referenced(
        t, delivery_el, "ReceivingAdviceReferencedDocument", document.receiving_advice_reference
    )
    return t


def _settlement(document: Document, totals: Totals) -> Steps:
    t = Steps(ram_tag("ApplicableHeaderTradeSettlement"))
    settlement = 0
    opt(t, settlement, "CreditorReferenceID", document.creditor_reference)
    opt(t, settlement, "PaymentReference", document.payment_reference)
    opt(t, settlement, "TaxCurrencyCode", document.vat_accounting_currency)
    ram(t, settlement, "InvoiceCurrencyCode", document.currency)
    payee = document.payee
    if payee:
        holder = ram(t, settlement, "PayeeTradeParty")
        if payee.identifier:
            id_element(t, holder, "GlobalID" if payee.identifier.scheme else "ID", payee.identifier)
        ram(t, holder, "Name", payee.name)
        if payee.legal_registration:
            id_element(
                t, ram(t, holder, "SpecifiedLegalOrganization"), "ID", payee.legal_registration
            )
    for means in document.payment_means:
        holder = ram(t, settlement, "SpecifiedTradeSettlementPaymentMeans")
        ram(t, holder, "TypeCode", means.code)
        opt(t, holder, "Information", means.text)
        if means.card_pan:
            card = ram(t, holder, "ApplicableTradeSettlementFinancialCard")
            ram(t, card, "ID", means.card_pan)
            opt(t, card, "CardholderName", means.card_holder)
        if means.debited_iban:
            ram(t, ram(t, holder, "PayerPartyDebtorFinancialAccount"), "IBANID", means.debited_iban)
        if means.iban or means.account_name:
            account = ram(t, holder, "PayeePartyCreditorFinancialAccount")
            opt(t, account, "IBANID", means.iban)
            opt(t, account, "AccountName", means.account_name)
        if means.bic:
            ram(t, ram(t, holder, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", means.bic)
    for breakdown in totals.vat_breakdown:
        tax = ram(t, settlement, "ApplicableTradeTax")
        ram(t, tax, "CalculatedAmount", format_amount(breakdown.tax_amount))
        ram(t, tax, "TypeCode", "VAT")
        opt(t, tax, "ExemptionReason", breakdown.exemption_reason)
        ram(t, tax, "BasisAmount", format_amount(breakdown.taxable_amount))
        ram(t, tax, "CategoryCode", breakdown.category.value)
        opt(t, tax, "ExemptionReasonCode", breakdown.exemption_reason_code)
        if document.tax_point_date:
            point = ram(t, tax, "TaxPointDate")
            date = format_date(document.tax_point_date)
            t.add(point, f"{{{UDT}}}DateString", date, {"format": DATE_FORMAT_102})
        opt(t, tax, "DueDateTypeCode", document.vat_point_date_code)
        if breakdown.rate is not None:
            ram(t, tax, "RateApplicablePercent", format_number(breakdown.rate))
    period(t, settlement, document.invoicing_period)
    for item, amount, base in zip(
        document.allowances_charges,
        totals.allowance_charge_amounts,
        totals.allowance_charge_bases,
        strict=True,
    ):
        allowance_charge(t, settlement, item, amount, base, document_level=True)
    mandates = [m.mandate_reference for m in document.payment_means if m.mandate_reference]
    terms_text = payment_terms_text(document)
    due_date = due_date_of(document)
    if terms_text or due_date or mandates:
        terms = ram(t, settlement, "SpecifiedTradePaymentTerms")
        opt(t, terms, "Description", terms_text)
        if due_date:
            date_time(t, terms, "DueDateDateTime", due_date)
        if mandates:
            ram(t, terms, "DirectDebitMandateID", mandates[0])
    summation = ram(t, settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    ram(t, summation, "LineTotalAmount", format_amount(totals.line_total))
    if document.allowances_charges:
        ram(t, summation, "ChargeTotalAmount", format_amount(totals.charge_total))
        ram(t, summation, "AllowanceTotalAmount", format_amount(totals.allowance_total))
    ram(t, summation, "TaxBasisTotalAmount", format_amount(totals.tax_exclusive_total))
    ram(
        t,
        summation,
        "TaxTotalAmount",
        format_amount(totals.vat_total),
        currencyID=document.currency,
    )
    accounting = document.vat_accounting_currency
    if (
        accounting
        and accounting != document.currency
        and totals.vat_total_accounting_currency is not None
    ):
        ram(
            t,
            summation,
            "TaxTotalAmount",
            format_amount(totals.vat_total_accounting_currency),
            currencyID=accounting,
        )
    if document.rounding_amount is not None:
        ram(t, summation, "RoundingAmount", format_amount(totals.rounding_amount))
    ram(t, summation, "GrandTotalAmount", format_amount(totals.tax_inclusive_total))
    if document.prepaid_amount is not None:
        ram(t, summation, "TotalPrepaidAmount", format_amount(totals.prepaid_amount))
    ram(t, summation, "DuePayableAmount", format_amount(totals.amount_due))
    for preceding in document.preceding_invoices:
        reference = ram(t, settlement, "InvoiceReferencedDocument")
        ram(t, reference, "IssuerAssignedID", preceding.number)
        if preceding.issue_date:
            holder = ram(t, reference, "FormattedIssueDateTime")
            date = format_date(preceding.issue_date)
            t.add(holder, f"{{{QDT}}}DateTimeString", date, {"format": DATE_FORMAT_102})
    if document.buyer_accounting_reference:
        account = ram(t, settlement, "ReceivableSpecifiedTradeAccountingAccount")
        ram(t, account, "ID", document.buyer_accounting_reference)
    return t


_MANDATORY_GROUPS = frozenset(
    f"SupplyChainTradeTransaction/ApplicableHeaderTrade{name}"
    for name in ("Agreement", "Delivery", "Settlement")
)

_NAMESPACES = (RSM, RAM, UDT, QDT)


@cache
def _tag_tree(profile: Profile) -> TagTree:
    """The profile's allowed tree keyed by the children's Clark names (the
    writer's tags), with the path of local names each node stands for."""

    def convert(allowed: AllowedTree, path: str) -> TagTree:
        tree: TagTree = {}
        for local, below in allowed.items():
            child_path = f"{path}/{local}" if path else local
            converted = convert(below, child_path)
            for namespace in _NAMESPACES:
                tree[f"{{{namespace}}}{local}"] = (child_path, converted)
        return tree

    return convert(allowed_tree(profile), "")


def _context(document: Document, profile: Profile) -> Steps:
    t = Steps(f"{{{RSM}}}ExchangedDocumentContext")
    if document.business_process:
        parameter = ram(t, 0, "BusinessProcessSpecifiedDocumentContextParameter")
        ram(t, parameter, "ID", document.business_process)
    ram(t, ram(t, 0, "GuidelineSpecifiedDocumentContextParameter"), "ID", profile.guideline_id)
    return t


def _header(document: Document) -> Steps:
    t = Steps(f"{{{RSM}}}ExchangedDocument")
    ram(t, 0, "ID", document.number or "")
    ram(t, 0, "TypeCode", document.effective_type_code)
    date_time(t, 0, "IssueDateTime", document.issue_date or dt.date.today())
    for note in document.notes:
        note_el = ram(t, 0, "IncludedNote")
        ram(t, note_el, "Content", note.text)
        opt(t, note_el, "SubjectCode", note.subject)
    return t


def build_cii(
    document: Document,
    profile: Profile = Profile.EN16931,
    totals: Totals | None = None,
    *,
    skeletons: bool = True,
) -> _Element:
    """The CII tree of `document` for `profile`: each part copied from the
    skeleton of its shape (invoicing.cii.skeletons), or with `skeletons=False`
    built element by element (the same tree, slower: the tests compare them)."""
    if document.kind is DocumentKind.QUOTE:
        raise NotAnInvoiceError("a quote is not an invoice: convert it to an invoice first")
    if totals is None:
        totals = compute_totals(document)
    append = append_part if skeletons else build_part
    allowed = _tag_tree(profile)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    append(root, _context(document, profile), allowed, _MANDATORY_GROUPS)
    append(root, _header(document), allowed, _MANDATORY_GROUPS)
    transaction_tag = f"{{{RSM}}}SupplyChainTradeTransaction"
    transaction = etree.SubElement(root, transaction_tag)
    in_transaction = allowed[transaction_tag][1]
    for position, (line, line_totals) in enumerate(
        zip(document.lines, totals.lines, strict=True), start=1
    ):
        append(
            transaction, line_steps(position, line, line_totals), in_transaction, _MANDATORY_GROUPS
        )
    for part in (_agreement(document), _delivery(document), _settlement(document, totals)):
        append(transaction, part, in_transaction, _MANDATORY_GROUPS)
    return root


def to_xml_bytes(
    document: Document, profile: Profile = Profile.EN16931, totals: Totals | None = None
) -> bytes:
    """Serialized CII, UTF-8 with an XML declaration."""
    root = build_cii(document, profile, totals)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
