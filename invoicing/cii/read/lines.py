"""The lines of a CII invoice, and what a line and the document both carry
(invoicing periods, allowances and charges)."""

from __future__ import annotations

from decimal import Decimal

from lxml.etree import _Element

from invoicing.cii.read.values import ValueReader, build, vat_category
from invoicing.model import (
    AllowanceCharge,
    Classification,
    Identifier,
    ItemAttribute,
    Line,
    Period,
    VatCategory,
)


def read_period(reader: ValueReader, parent: _Element | None) -> Period | None:
    element = reader.child(parent, "BillingSpecifiedPeriod")
    if element is None:
        return None
    period = Period(
        start=reader.date(element, "StartDateTime"), end=reader.date(element, "EndDateTime")
    )
    return None if period == Period() else period


def read_allowance_charge(
    reader: ValueReader, element: _Element, document_level: bool
) -> AllowanceCharge:
    category = rate = None
    if document_level:
        tax = reader.child(element, "CategoryTradeTax")
        if tax is not None:
            reader.code(tax, "TypeCode")
            category = vat_category(reader.code(tax, "CategoryCode"), tax)
            rate = reader.decimal(tax, "RateApplicablePercent")
    return build(
        AllowanceCharge,
        element,
        is_charge=reader.indicator(element),
        percent=reader.decimal(element, "CalculationPercent"),
        base_amount=reader.decimal(element, "BasisAmount"),
        amount=reader.decimal(element, "ActualAmount"),
        reason_code=reader.code(element, "ReasonCode"),
        reason=reader.text(element, "Reason"),
        vat_category=category,
        vat_rate=rate,
    )


def read_line(reader: ValueReader, element: _Element, position: int) -> tuple[Line, Decimal | None]:
    associated = reader.child(element, "AssociatedDocumentLineDocument")
    line_id = reader.text(associated, "LineID")
    product = reader.child(element, "SpecifiedTradeProduct")
    attributes = [
        build(
            ItemAttribute,
            holder,
            name=reader.raw(reader.child(holder, "Description")) or "",
            value=reader.raw(reader.child(holder, "Value")) or "",
        )
        for holder in reader.children(product, "ApplicableProductCharacteristic")
    ]
    classifications = []
    for holder in reader.children(product, "DesignatedProductClassification"):
        code_el = reader.child(holder, "ClassCode")
        classifications.append(
            build(
                Classification,
                code_el if code_el is not None else holder,
                code=reader.raw(code_el) or "",
                list_id=reader.attribute(code_el, "listID"),
                list_version=reader.attribute(code_el, "listVersionID"),
            )
        )

    agreement = reader.child(element, "SpecifiedLineTradeAgreement")
    gross = reader.child(agreement, "GrossPriceProductTradePrice")
    net = reader.child(agreement, "NetPriceProductTradePrice")
    base_quantity = reader.decimal(net, "BasisQuantity")
    base_unit = reader.attribute(reader.child(net, "BasisQuantity"), "unitCode")
    gross_base = reader.decimal(gross, "BasisQuantity")
    gross_unit = reader.attribute(reader.child(gross, "BasisQuantity"), "unitCode")
    # BT-147 is one discount; a second one, or a charge on the price
    # (EXTENDED), is left unread.
    price_discount = None
    for discount in reader.children(gross, "AppliedTradeAllowanceCharge"):
        if price_discount is None and not reader.indicator(discount):
            price_discount = reader.decimal(discount, "ActualAmount")

    quantity_el = reader.at(element, "SpecifiedLineTradeDelivery", "BilledQuantity")
    unit = reader.attribute(quantity_el, "unitCode") or "C62"
    # The writer gives the gross price the net price's base quantity and
    # unit unless told otherwise (BT-149-1, BT-150-1).
    written_unit = base_unit or unit
    if gross_base is not None and base_quantity is not None and gross_base == base_quantity:
        gross_base = None
    if gross_unit == written_unit:
        gross_unit = None

    settlement = reader.child(element, "SpecifiedLineTradeSettlement")
    tax = reader.child(settlement, "ApplicableTradeTax")
    category = VatCategory.STANDARD
    rate = None
    if tax is not None:
        reader.code(tax, "TypeCode")
        category = vat_category(reader.code(tax, "CategoryCode"), tax)
        rate = reader.decimal(tax, "RateApplicablePercent")
    object_identifier = None
    for reference in reader.children(settlement, "AdditionalReferencedDocument"):
        # BT-128; a missing type code is taken as its 130.
        type_element = reader.child(reference, "TypeCode")
        type_code = (type_element.text or "").strip() if type_element is not None else None
        if object_identifier is None and type_code in ("130", None):
            reader.raw(type_element)
            object_identifier = build(
                Identifier,
                reference,
                value=reader.raw(reader.child(reference, "IssuerAssignedID")) or "",
                scheme=reader.code(reference, "ReferenceTypeCode"),
            )
    line = build(
        Line,
        element,
        id=None if line_id == str(position) else line_id,
        note=reader.text(associated, "IncludedNote", "Content"),
        standard_item_id=reader.identifier(reader.child(product, "GlobalID")),
        seller_item_id=reader.text(product, "SellerAssignedID"),
        buyer_item_id=reader.text(product, "BuyerAssignedID"),
        name=reader.text(product, "Name"),
        description=reader.text(product, "Description"),
        attributes=attributes,
        classifications=classifications,
        origin_country=reader.code(product, "OriginTradeCountry", "ID"),
        order_line_reference=reader.text(agreement, "BuyerOrderReferencedDocument", "LineID"),
        gross_price=reader.decimal(gross, "ChargeAmount"),
        price_discount=price_discount,
        net_price=reader.decimal(net, "ChargeAmount"),
        base_quantity=base_quantity,
        base_quantity_unit=None if base_unit == unit else base_unit,
        gross_base_quantity=gross_base,
        gross_base_quantity_unit=gross_unit,
        quantity=reader.decimal(quantity_el) if quantity_el is not None else None,
        unit=unit,
        vat_category=category,
        vat_rate=rate,
        period=read_period(reader, settlement),
        allowances_charges=[
            read_allowance_charge(reader, holder, document_level=False)
            for holder in reader.children(settlement, "SpecifiedTradeAllowanceCharge")
        ],
        object_identifier=object_identifier,
        accounting_reference=reader.text(
            settlement, "ReceivableSpecifiedTradeAccountingAccount", "ID"
        ),
    )
    stated_net = reader.decimal(
        settlement, "SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount"
    )
    return line, stated_net
