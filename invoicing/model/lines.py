"""The lines of a document, and what a line and the document both carry (periods,
allowances and charges)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field

from invoicing.model.base import Amount, BaseQuantity, Model, Percent, Quantity, UnitPrice
from invoicing.model.codes import VatCategory
from invoicing.model.parties import Identifier
from invoicing.text import Code, CountryCode, LongText, Text


class Period(Model):
    """BG-14 / BG-26."""

    start: dt.date | None = None
    end: dt.date | None = None


class AllowanceCharge(Model):
    """A document-level (BG-20 / BG-21) or line-level (BG-27 / BG-28)
    allowance (`is_charge` false: a discount) or charge.

    Give either `amount` or `percent`. With a percent and no base, the base is
    the line's gross amount (line level) or the net amount of the lines with
    the same VAT category and rate (document level).
    """

    is_charge: bool = False
    amount: Amount | None = Field(None, description="BT-92 / BT-99 / BT-136 / BT-141")
    base_amount: Amount | None = Field(None, description="BT-93 / BT-100 / BT-137 / BT-142")
    percent: Percent | None = Field(None, description="BT-94 / BT-101 / BT-138 / BT-143")
    reason: Text | None = Field(None, description="BT-97 / BT-104 / BT-139 / BT-144")
    reason_code: Code | None = Field(None, description="BT-98 / BT-105 / BT-140 / BT-145")
    vat_category: VatCategory | None = Field(
        None, description="BT-95 / BT-102 (document level only)"
    )
    vat_rate: Percent | None = Field(None, description="BT-96 / BT-103 (document level only)")


class ItemAttribute(Model):
    """BG-32."""

    name: Text
    value: Text


class Classification(Model):
    """BT-158."""

    code: Text
    list_id: Code
    list_version: Text | None = None


class Line(Model):
    """BG-25: one invoice line."""

    id: Text | None = Field(None, description="BT-126: defaults to the line's position")
    note: LongText | None = Field(None, description="BT-127")
    object_identifier: Identifier | None = Field(None, description="BT-128")
    quantity: Quantity | None = Field(None, description="BT-129: negative for returns")
    unit: Code = Field("C62", description="BT-130: UN/ECE Rec 20 (C62 piece, HUR, DAY, KGM)")
    order_line_reference: Text | None = Field(None, description="BT-132")
    accounting_reference: Text | None = Field(None, description="BT-133")
    period: Period | None = Field(None, description="BG-26")
    allowances_charges: list[AllowanceCharge] = Field(
        default_factory=list, description="BG-27 / BG-28"
    )
    net_price: UnitPrice | None = Field(None, description="BT-146: net unit price, excl. VAT")
    gross_price: UnitPrice | None = Field(None, description="BT-148")
    price_discount: UnitPrice | None = Field(None, description="BT-147")
    base_quantity: BaseQuantity | None = Field(None, description="BT-149")
    base_quantity_unit: Code | None = Field(None, description="BT-150")
    gross_base_quantity: BaseQuantity | None = Field(
        None, description="BT-149-1 (Factur-X): base quantity of the gross price, if not BT-149"
    )
    gross_base_quantity_unit: Code | None = Field(
        None, description="BT-150-1 (Factur-X): its unit, if not the one of BT-149"
    )
    vat_category: VatCategory = Field(VatCategory.STANDARD, description="BT-151")
    vat_rate: Percent | None = Field(Decimal("20"), description="BT-152")
    vat_exemption_reason: Text | None = Field(
        None, description="BT-120, carried to the VAT breakdown of this category"
    )
    vat_exemption_reason_code: Code | None = Field(
        None, description="BT-121 (VATEX), carried to the VAT breakdown of this category"
    )
    name: Text | None = Field(None, description="BT-153")
    description: LongText | None = Field(None, description="BT-154")
    seller_item_id: Text | None = Field(None, description="BT-155")
    buyer_item_id: Text | None = Field(None, description="BT-156")
    standard_item_id: Identifier | None = Field(None, description="BT-157")
    classifications: list[Classification] = Field(default_factory=list, description="BT-158")
    origin_country: CountryCode | None = Field(None, description="BT-159")
    attributes: list[ItemAttribute] = Field(default_factory=list, description="BG-32")
