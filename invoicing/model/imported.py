"""What an imported file states and the model has no field for: its amounts as
stated, and the leftovers."""

from __future__ import annotations

from pydantic import Field

from invoicing.model.base import Model, StatedAmount
from invoicing.model.codes import VatCategory
from invoicing.text import LongText, Text


class StatedVatAmounts(Model):
    """One VAT breakdown (BG-23) as an imported file states it."""

    category: VatCategory = Field(description="BT-118")
    rate: StatedAmount | None = Field(None, description="BT-119")
    taxable_amount: StatedAmount | None = Field(None, description="BT-116")
    tax_amount: StatedAmount | None = Field(None, description="BT-117")
    exemption_reason: LongText | None = Field(None, description="BT-120")
    exemption_reason_code: Text | None = Field(None, description="BT-121")


class StatedAmounts(Model):
    """The amounts an imported file states (None where it states nothing)."""

    line_net_amounts: list[StatedAmount | None] = Field(
        default_factory=list, description="BT-131, one per line, in line order"
    )
    line_total: StatedAmount | None = Field(None, description="BT-106")
    allowance_total: StatedAmount | None = Field(None, description="BT-107")
    charge_total: StatedAmount | None = Field(None, description="BT-108")
    tax_exclusive_total: StatedAmount | None = Field(None, description="BT-109")
    vat_total: StatedAmount | None = Field(None, description="BT-110")
    vat_total_accounting_currency: StatedAmount | None = Field(None, description="BT-111")
    tax_inclusive_total: StatedAmount | None = Field(None, description="BT-112")
    prepaid_amount: StatedAmount | None = Field(None, description="BT-113")
    rounding_amount: StatedAmount | None = Field(None, description="BT-114")
    amount_due: StatedAmount | None = Field(None, description="BT-115")
    vat_breakdown: list[StatedVatAmounts] = Field(default_factory=list, description="BG-23")


class Leftover(Model):
    """A value of the imported file that the model has no field for."""

    path: LongText = Field(
        description="Below CrossIndustryInvoice, local names, [n] where a name repeats; "
        "'/@name' for an attribute"
    )
    value: LongText


class Imported(Model):
    """How a document was read from a CII file (`invoicing.cii.reader`)."""

    guideline: Text = Field(description="BT-24 as the file states it (its profile)")
    stated: StatedAmounts = Field(default_factory=StatedAmounts)
    basis: Text = Field(
        description="Fingerprint of what the totals are computed from (the fields of "
        "`invoicing.totals.READS`) at import: while it still matches, the stated amounts "
        "are the document's amounts"
    )
    leftovers: list[Leftover] = Field(
        default_factory=list, description="What the reader could not map, kept as read"
    )
