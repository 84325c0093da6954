"""One invoice line (BG-25) as the `Steps` of a part: the CII writer copies
the skeleton of its shape (invoicing.cii.skeletons)."""

from __future__ import annotations

from decimal import Decimal

from invoicing.cii.names import format_amount, format_number
from invoicing.cii.skeletons import Steps
from invoicing.cii.write.steps import (
    allowance_charge,
    id_element,
    indicator,
    opt,
    period,
    ram,
    ram_tag,
    trade_tax,
)
from invoicing.model import Line
from invoicing.totals import LineTotals

LINE_ITEM = ram_tag("IncludedSupplyChainTradeLineItem")


def line_steps(position: int, line: Line, totals: LineTotals) -> Steps:
    """The line at `position` (from 1) with its amounts."""
    t = Steps(LINE_ITEM)
    item = 0
    associated = ram(t, item, "AssociatedDocumentLineDocument")
    ram(t, associated, "LineID", line.id or str(position))
    if line.note:
        ram(t, ram(t, associated, "IncludedNote"), "Content", line.note)

    product = ram(t, item, "SpecifiedTradeProduct")
    if line.standard_item_id:
        id_element(t, product, "GlobalID", line.standard_item_id)
    opt(t, product, "SellerAssignedID", line.seller_item_id)
    opt(t, product, "BuyerAssignedID", line.buyer_item_id)
    ram(t, product, "Name", line.name or "")
    opt(t, product, "Description", line.description)
    for attribute in line.attributes:
        characteristic = ram(t, product, "ApplicableProductCharacteristic")
        ram(t, characteristic, "Description", attribute.name)
        ram(t, characteristic, "Value", attribute.value)
    for classification in line.classifications:
        holder = ram(t, product, "DesignatedProductClassification")
        attrs = {"listID": classification.list_id}
        if classification.list_version:
            attrs["listVersionID"] = classification.list_version
        ram(t, holder, "ClassCode", classification.code, **attrs)
    if line.origin_country:
        ram(t, ram(t, product, "OriginTradeCountry"), "ID", line.origin_country)

    agreement = ram(t, item, "SpecifiedLineTradeAgreement")
    if line.order_line_reference:
        ram(
            t,
            ram(t, agreement, "BuyerOrderReferencedDocument"),
            "LineID",
            line.order_line_reference,
        )
    base_unit = {"unitCode": line.base_quantity_unit or line.unit}
    if line.gross_price is not None:
        gross = ram(t, agreement, "GrossPriceProductTradePrice")
        ram(t, gross, "ChargeAmount", format_number(line.gross_price))
        gross_base = (
            line.gross_base_quantity if line.gross_base_quantity is not None else line.base_quantity
        )
        if gross_base is not None:
            gross_unit = line.gross_base_quantity_unit or base_unit["unitCode"]
            ram(t, gross, "BasisQuantity", format_number(gross_base), unitCode=gross_unit)
        if line.price_discount is not None:
            discount = ram(t, gross, "AppliedTradeAllowanceCharge")
            indicator(t, discount, False)
            ram(t, discount, "ActualAmount", format_number(line.price_discount))
    net = ram(t, agreement, "NetPriceProductTradePrice")
    ram(t, net, "ChargeAmount", format_number(line.net_price or Decimal(0)))
    if line.base_quantity is not None:
        ram(t, net, "BasisQuantity", format_number(line.base_quantity), **base_unit)

    delivery = ram(t, item, "SpecifiedLineTradeDelivery")
    quantity = line.quantity if line.quantity is not None else Decimal(0)
    ram(t, delivery, "BilledQuantity", format_number(quantity), unitCode=line.unit)

    settlement = ram(t, item, "SpecifiedLineTradeSettlement")
    trade_tax(t, settlement, "ApplicableTradeTax", line.vat_category, line.vat_rate)
    period(t, settlement, line.period)
    for charge, amount, base in zip(
        line.allowances_charges,
        totals.allowance_charge_amounts,
        totals.allowance_charge_bases,
        strict=True,
    ):
        allowance_charge(t, settlement, charge, amount, base, document_level=False)
    summation = ram(t, settlement, "SpecifiedTradeSettlementLineMonetarySummation")
    ram(t, summation, "LineTotalAmount", format_amount(totals.net_amount))
    if line.object_identifier:
        reference = ram(t, settlement, "AdditionalReferencedDocument")
        ram(t, reference, "IssuerAssignedID", line.object_identifier.value)
        ram(t, reference, "TypeCode", "130")
        opt(t, reference, "ReferenceTypeCode", line.object_identifier.scheme)
    if line.accounting_reference:
        account = ram(t, settlement, "ReceivableSpecifiedTradeAccountingAccount")
        ram(t, account, "ID", line.accounting_reference)

    return t
