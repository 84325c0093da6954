"""How a document is to be paid: payment means and the payment term."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from invoicing.model.base import Model
from invoicing.text import Code, Text


class PaymentMeans(Model):
    """BG-16 with BG-17 (transfer), BG-18 (card), BG-19 (direct debit)."""

    code: Code = Field("58", description="BT-81 (UNCL 4461)")
    text: Text | None = Field(None, description="BT-82")
    iban: Text | None = Field(None, description="BT-84: payment account (IBAN)")
    account_name: Text | None = Field(None, description="BT-85")
    bic: Text | None = Field(None, description="BT-86")
    card_pan: Text | None = Field(None, description="BT-87: last digits of the card")
    card_holder: Text | None = Field(None, description="BT-88")
    mandate_reference: Text | None = Field(None, description="BT-89")
    debited_iban: Text | None = Field(None, description="BT-91")


MAX_TERM_DAYS = 366


class PaymentTermKind(StrEnum):
    DAYS = "days"
    DAYS_END_OF_MONTH = "days_end_of_month"
    ON_RECEIPT = "on_receipt"
    FIXED_DATE = "fixed_date"


class PaymentTerm(Model):
    """When an invoice is to be paid. `days` for the two day-count kinds, `date`
    for a fixed date; nothing else for "on receipt"."""

    kind: PaymentTermKind
    days: int | None = Field(None, ge=0, le=MAX_TERM_DAYS)
    date: dt.date | None = None

    @model_validator(mode="after")
    def _complete(self) -> PaymentTerm:
        counts_days = self.kind in (PaymentTermKind.DAYS, PaymentTermKind.DAYS_END_OF_MONTH)
        if counts_days and self.days is None:
            raise ValueError("`days` is required for this kind of payment term")
        if self.kind is PaymentTermKind.FIXED_DATE and self.date is None:
            raise ValueError("`date` is required for a fixed date")
        if not counts_days and self.days is not None:
            raise ValueError("`days` applies only to days and days_end_of_month")
        if self.kind is not PaymentTermKind.FIXED_DATE and self.date is not None:
            raise ValueError("`date` applies only to fixed_date")
        return self
