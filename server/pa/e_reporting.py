"""E-reporting (Flux 10): what the e-invoicing network does not carry.

Sales to private persons are reported as totals per day, currency and VAT
rate; sales to buyers outside France one document at a time; credit notes
count in the period they are issued in, as negative amounts (so a credited
sale is never forgotten, and never counted twice). A period's report is sent
once, as a flow through the company's PA, after the period has ended, at the
company's cadence: monthly (default), by ten days ("decade": 1-10, 11-20,
21-end) or every two months, following the VAT regime (DGFiP external
specifications, e-reporting chapter). Payments received on reported sales of
services (VAT due on receipt) are reported too, per day of payment, currency
and VAT rate, each payment split over the invoice's rates in proportion.

The report's XML shape is ours, documented in docs/pa.md: the DGFiP's Flux 10
schema is not among our dependencies.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from lxml import etree
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.model import Document
from invoicing.scope import Scope, scope_of
from invoicing.totals import compute_totals
from server.db.documents import DocumentRow
from server.db.payments import PaymentRow
from server.documents.content import load_content

Cadence = Literal["monthly", "decade", "bimonthly"]
CADENCES: tuple[Cadence, ...] = ("monthly", "decade", "bimonthly")
REPORTED_KINDS = ("invoice", "credit_note", "deposit_invoice", "final_invoice")
NOT_ISSUED = ("draft",)
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Period:
    key: str  # 2026-11, 2026-11-D2, 2026-11/12
    start: dt.date
    end: dt.date  # inclusive


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: dt.date, cadence: Cadence) -> Period:
    if cadence == "decade":
        index = min((day.day - 1) // 10, 2)
        start = day.replace(day=1 + 10 * index)
        end = day.replace(day=10 * (index + 1)) if index < 2 else _month_end(day.year, day.month)
        return Period(f"{day:%Y-%m}-D{index + 1}", start, end)
    if cadence == "bimonthly":
        first = day.month - (day.month - 1) % 2
        start = dt.date(day.year, first, 1)
        return Period(
            f"{day.year}-{first:02d}/{first + 1:02d}", start, _month_end(day.year, first + 1)
        )
    return Period(f"{day:%Y-%m}", day.replace(day=1), _month_end(day.year, day.month))


def closed_periods(today: dt.date, cadence: Cadence, count: int = 3) -> list[Period]:
    """The `count` most recent periods that have ended before `today`, oldest first."""
    periods: list[Period] = []
    day = period_of(today, cadence).start - dt.timedelta(days=1)
    while len(periods) < count:
        period = period_of(day, cadence)
        periods.append(period)
        day = period.start - dt.timedelta(days=1)
    return periods[::-1]


@dataclass(frozen=True, slots=True)
class ReportedDocument:
    id: int
    number: str
    kind: str
    issue_date: dt.date
    currency: str
    reason: str  # private_person | buyer_abroad | seller_abroad
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class DailyTotal:
    day: dt.date
    currency: str
    rate: Decimal | None
    taxable: Decimal
    vat: Decimal
    documents: int


@dataclass(frozen=True, slots=True)
class DailyPayment:
    day: dt.date
    currency: str
    rate: Decimal | None
    amount: Decimal  # VAT included, the part of the payments at this rate
    payments: int


@dataclass(frozen=True, slots=True)
class Report:
    company_id: int
    period: Period
    documents: tuple[ReportedDocument, ...]
    daily_totals: tuple[DailyTotal, ...]  # private persons (B2C)
    abroad: tuple[ReportedDocument, ...] = field(default=())  # per document
    payments: tuple[DailyPayment, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.documents and not self.payments

    def covers(self, period: Period) -> bool:
        return self.period.start <= period.start and period.end <= self.period.end

    def empty_in(self, period: Period) -> bool:
        """Whether `period`'s own report would be empty (`period` within this one's)."""
        assert self.covers(period)
        days = [d.issue_date for d in self.documents] + [p.day for p in self.payments]
        return not any(period.start <= day <= period.end for day in days)


def _reason(
    document_buyer_private: bool, buyer_country: str | None, seller_country: str | None
) -> str:
    if seller_country not in (None, "FR"):
        return "seller_abroad"
    if document_buyer_private:
        return "private_person"
    return "buyer_abroad"


async def build_report(session: AsyncSession, company_id: int, period: Period) -> Report:
    rows = await session.scalars(
        select(DocumentRow)
        .where(
            DocumentRow.company_id == company_id,
            DocumentRow.kind.in_(REPORTED_KINDS),
            DocumentRow.status.not_in(NOT_ISSUED),
            DocumentRow.issue_date >= period.start,
            DocumentRow.issue_date <= period.end,
        )
        .order_by(DocumentRow.issue_date, DocumentRow.id)
    )
    documents: list[ReportedDocument] = []
    daily: dict[tuple[dt.date, str, Decimal | None], list[Decimal]] = defaultdict(
        lambda: [Decimal("0.00"), Decimal("0.00"), Decimal(0)]
    )
    for row in rows:
        document = load_content(row)
        if scope_of(document) is not Scope.E_REPORTING or row.issue_date is None:
            continue
        totals = compute_totals(document)
        sign = Decimal(-1) if row.kind == "credit_note" else Decimal(1)
        buyer = document.buyer
        reason = _reason(
            bool(getattr(buyer, "private_person", False)),
            buyer.address.country,
            document.seller.address.country,
        )
        documents.append(
            ReportedDocument(
                id=row.id,
                number=row.number or "",
                kind=row.kind,
                issue_date=row.issue_date,
                currency=document.currency,
                reason=reason,
                taxable=sign * totals.tax_exclusive_total,
                vat=sign * totals.vat_total,
            )
        )
        if reason == "private_person":
            for group in totals.vat_breakdown:
                sums = daily[(row.issue_date, document.currency, group.rate)]
                sums[0] += sign * group.taxable_amount
                sums[1] += sign * group.tax_amount
                sums[2] += 1
    totals_out = tuple(
        DailyTotal(day, currency, rate, sums[0], sums[1], int(sums[2]))
        for (day, currency, rate), sums in sorted(
            daily.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or Decimal(-1))
        )
    )
    return Report(
        company_id=company_id,
        period=period,
        documents=tuple(documents),
        daily_totals=totals_out,
        abroad=tuple(d for d in documents if d.reason != "private_person"),
        payments=await payments_of_period(session, company_id, period),
    )


def split_over_rates(amount: Decimal, document: Document) -> list[tuple[Decimal | None, Decimal]]:
    """`amount` (VAT included) split over the document's VAT rates in proportion to
    their totals; the cent left by rounding goes to the largest part."""
    totals = compute_totals(document)
    whole = totals.tax_inclusive_total
    groups = [(g.rate, g.taxable_amount + g.tax_amount) for g in totals.vat_breakdown]
    if whole <= 0 or not groups:
        return [(None, amount)]
    parts = [
        (rate, (amount * share / whole).quantize(CENT, ROUND_HALF_UP)) for rate, share in groups
    ]
    rest = amount - sum(part for _, part in parts)
    largest = max(range(len(parts)), key=lambda index: parts[index][1])
    parts[largest] = (parts[largest][0], parts[largest][1] + rest)
    return parts


async def payments_of_period(
    session: AsyncSession, company_id: int, period: Period
) -> tuple[DailyPayment, ...]:
    """Payments received in the period on reported sales of services (or mixed)."""
    rows = await session.execute(
        select(PaymentRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == PaymentRow.document_id)
        .where(
            PaymentRow.company_id == company_id,
            PaymentRow.paid_on >= period.start,
            PaymentRow.paid_on <= period.end,
        )
        .order_by(PaymentRow.paid_on, PaymentRow.id)
    )
    sums: dict[tuple[dt.date, str, Decimal | None], list[Decimal]] = defaultdict(
        lambda: [Decimal("0.00"), Decimal(0)]
    )
    for payment, row in rows:
        document = load_content(row)
        if scope_of(document) is not Scope.E_REPORTING:
            continue
        if document.operation_category not in ("services", "mixed") or document.vat_on_debits:
            continue  # VAT due on delivery or on the invoice: nothing to report on payment
        for rate, part in split_over_rates(Decimal(payment.amount), document):
            entry = sums[(payment.paid_on, document.currency, rate)]
            entry[0] += part
            entry[1] += 1
    return tuple(
        DailyPayment(day, currency, rate, total[0], int(total[1]))
        for (day, currency, rate), total in sorted(
            sums.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or Decimal(-1))
        )
    )


def report_xml(report: Report, seller_siren: str | None) -> bytes:
    root = etree.Element("EReport", version="1")
    head = etree.SubElement(root, "Header")
    etree.SubElement(
        head, "Period", start=report.period.start.isoformat(), end=report.period.end.isoformat()
    ).text = report.period.key
    etree.SubElement(head, "SellerSiren").text = seller_siren or ""
    sales = etree.SubElement(root, "DailyTotals")
    for total in report.daily_totals:
        etree.SubElement(
            sales,
            "Total",
            day=total.day.isoformat(),
            currency=total.currency,
            rate="" if total.rate is None else f"{total.rate}",
            taxable=f"{total.taxable:.2f}",
            vat=f"{total.vat:.2f}",
            documents=str(total.documents),
        )
    abroad = etree.SubElement(root, "Documents")
    for document in report.abroad:
        etree.SubElement(
            abroad,
            "Document",
            number=document.number,
            kind=document.kind,
            date=document.issue_date.isoformat(),
            currency=document.currency,
            reason=document.reason,
            taxable=f"{document.taxable:.2f}",
            vat=f"{document.vat:.2f}",
        )
    received = etree.SubElement(root, "Payments")
    for payment in report.payments:
        etree.SubElement(
            received,
            "Payment",
            day=payment.day.isoformat(),
            currency=payment.currency,
            rate="" if payment.rate is None else f"{payment.rate}",
            amount=f"{payment.amount:.2f}",
            payments=str(payment.payments),
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def tracking_id(company_id: int, period: Period) -> str:
    return f"blanche-ereport-{company_id}-{period.key}"
