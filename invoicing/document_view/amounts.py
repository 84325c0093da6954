"""The lines and the amounts of the view: line rows, document-level allowances and
charges, the VAT breakdown and the totals."""

from __future__ import annotations

from decimal import Decimal

from invoicing.document_view.base import BuilderBase
from invoicing.document_view.views import AllowanceChargeView, LineView, TotalRowView, VatRowView
from invoicing.formatting import (
    unit_name,
)
from invoicing.model import (
    AllowanceCharge,
    DocumentKind,
    Line,
    VatCategory,
)
from invoicing.totals import LineTotals, VatBreakdown


class AmountParts(BuilderBase):
    def discount(self, items: list[AllowanceCharge], amounts: tuple[Decimal, ...]) -> str:
        parts: list[str] = []
        for item, amount in zip(items, amounts, strict=True):
            sign = "+" if item.is_charge else "−"
            if item.percent is not None and item.amount is None:
                parts.append(f"{sign}{self.fmt.percent(item.percent)}")
            else:
                parts.append(f"{sign}{self.fmt.money(amount)}")
        return "\n".join(parts)

    def vat_rate(self, category: VatCategory | None, rate: Decimal | None) -> str:
        """'20 %' for the standard category; else the rate and the UNCL 5305 code
        ('0 % AE'), which the VAT breakdown spells out."""
        category = category or VatCategory.STANDARD
        if rate is None:
            return category.value
        if category is VatCategory.STANDARD:
            return self.fmt.percent(rate)
        return f"{self.fmt.percent(rate)} {category.value}"

    def line(self, line: Line, totals: LineTotals) -> LineView:
        colon = self.label["colon"]
        details: list[str] = []
        if line.seller_item_id:
            details.append(f"{self.label['item_ref']} {line.seller_item_id}")
        if line.buyer_item_id:
            details.append(f"{self.label['buyer_item_ref']} {line.buyer_item_id}")
        period = self.period(line.period)
        if period:
            details.append(f"{self.label['period']}{colon}{period}")
        details.extend(f"{item.name}{colon}{item.value}" for item in line.attributes)
        if line.note:
            details.append(line.note)
        fmt = self.fmt
        return LineView(
            name=line.name or "",
            details=tuple(details),
            description=line.description or "",
            quantity=fmt.number(line.quantity) if line.quantity is not None else "",
            unit=unit_name(line.unit, self.lang),
            unit_price=fmt.unit_price(line.net_price) if line.net_price is not None else "",
            discount=self.discount(line.allowances_charges, totals.allowance_charge_amounts),
            vat=self.vat_rate(line.vat_category, line.vat_rate),
            amount=fmt.money(totals.net_amount),
        )

    def allowances_charges(self) -> tuple[AllowanceChargeView, ...]:
        views: list[AllowanceChargeView] = []
        for item, amount in zip(
            self.document.allowances_charges, self.totals.allowance_charge_amounts, strict=True
        ):
            reason = item.reason or ""
            if item.percent is not None and item.amount is None:
                reason = f"{reason} ({self.fmt.percent(item.percent)})".strip()
            views.append(
                AllowanceChargeView(
                    label=self.label["charge" if item.is_charge else "allowance"],
                    reason=reason,
                    vat=self.vat_rate(item.vat_category, item.vat_rate),
                    amount=("+" if item.is_charge else "−") + self.fmt.money(amount),
                )
            )
        return tuple(views)

    def vat_row(self, row: VatBreakdown) -> VatRowView:
        if row.category is VatCategory.STANDARD:
            mention = row.exemption_reason or ""
        else:
            mention = row.exemption_reason or self.label[f"vat_{row.category.value}"]
        return VatRowView(
            rate=self.vat_rate(row.category, row.rate),
            base=self.fmt.money(row.taxable_amount),
            tax=self.fmt.money(row.tax_amount),
            mention=mention,
        )

    def total_rows(self) -> tuple[TotalRowView, ...]:
        totals, money = self.totals, self.fmt.money
        quote = self.document.kind is DocumentKind.QUOTE
        rows: list[TotalRowView] = []
        if totals.allowance_total or totals.charge_total:
            rows.append(TotalRowView(self.label["line_total"], money(totals.line_total)))
            if totals.allowance_total:
                rows.append(
                    TotalRowView(self.label["allowance_total"], "−" + money(totals.allowance_total))
                )
            if totals.charge_total:
                rows.append(
                    TotalRowView(self.label["charge_total"], "+" + money(totals.charge_total))
                )
        rows.append(
            TotalRowView(self.label["tax_exclusive_total"], money(totals.tax_exclusive_total))
        )
        rows.append(TotalRowView(self.label["vat_total"], money(totals.vat_total)))
        rows.append(
            TotalRowView(
                self.label["tax_inclusive_total"], money(totals.tax_inclusive_total), quote
            )
        )
        if quote and not (totals.prepaid_amount or totals.rounding_amount):
            return tuple(rows)
        if totals.prepaid_amount:
            key = "paid_amount" if self.document.already_paid else "prepaid_amount"
            rows.append(TotalRowView(self.label[key], "−" + money(totals.prepaid_amount)))
        if totals.rounding_amount:
            rows.append(TotalRowView(self.label["rounding_amount"], money(totals.rounding_amount)))
        due_label = "credit_amount" if self.document.is_credit_note else "amount_due"
        rows.append(TotalRowView(self.label[due_label], money(totals.amount_due), True))
        return tuple(rows)
