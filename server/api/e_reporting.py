"""E-reporting in the partner API: what a month holds and where its reports stand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from server.api.common import Output, respond
from server.api.operation import Operation, QueryParam
from server.db.pa import PaConnection, PaTransmission
from server.endpoint import ApiCall
from server.pa.e_reporting import Cadence, build_report, period_of
from server.pa.e_reporting import tracking_id as report_tracking_id
from server.problems import invalid_parameter


class ReportedDocumentOut(Output):
    id: int
    number: str
    kind: str
    issue_date: dt.date
    currency: str
    reason: str
    taxable: Decimal
    vat: Decimal


class DailyTotalOut(Output):
    day: dt.date
    currency: str
    rate: Decimal | None
    taxable: Decimal
    vat: Decimal
    documents: int


class DailyPaymentOut(Output):
    day: dt.date
    currency: str
    rate: Decimal | None
    amount: Decimal
    payments: int


class ReportStatusOut(Output):
    period: str
    start: dt.date
    end: dt.date
    state: str  # open | pending | submitted | done | failed | nothing_to_report
    tracking_id: str
    sent_at: dt.datetime | None
    last_error: str | None
    action: str | None


class EReportingOut(Output):
    company_id: int
    month: str
    cadence: str
    documents: list[ReportedDocumentOut]
    daily_totals: list[DailyTotalOut]
    payments: list[DailyPaymentOut]
    reports: list[ReportStatusOut]


def _month(text: str | None) -> dt.date:
    try:
        return dt.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        raise invalid_parameter("month", "period") from None


async def e_reporting(call: ApiCall) -> Response:
    """A month's e-reporting: the documents and daily totals it holds, and the
    state of each report (at the company's cadence) that covers it."""
    company = await call.caller.company(call.session, call.path_id())
    first = _month(call.request.query_params.get("period"))
    connection = await call.session.get(PaConnection, company.id)
    cadence: Cadence = "monthly"
    if connection is not None and connection.e_reporting_cadence in ("decade", "bimonthly"):
        cadence = connection.e_reporting_cadence  # type: ignore[assignment]
    month = period_of(first, "monthly")
    report = await build_report(call.session, company.id, month)
    periods, day = [], first
    while day <= month.end:
        period = period_of(day, cadence)
        if period not in periods:
            periods.append(period)
        day = period.end + dt.timedelta(days=1)
    today = call.services.clock().date()
    statuses = []
    for period in periods:
        tracking = report_tracking_id(company.id, period)
        sent = await call.session.scalar(
            select(PaTransmission).where(PaTransmission.tracking_id == tracking)
        )
        if sent is not None:
            state = sent.state
        elif period.end >= today:
            state = "open"
        else:
            if report.covers(period):  # the month's report tells it (monthly, decade)
                empty = report.empty_in(period)
            else:  # a two months' period
                empty = (await build_report(call.session, company.id, period)).empty
            state = "nothing_to_report" if empty else "pending"
        statuses.append(
            {
                "period": period.key,
                "start": period.start,
                "end": period.end,
                "state": state,
                "tracking_id": tracking,
                "sent_at": sent.updated_at if sent is not None and sent.flow_id else None,
                "last_error": sent.last_error if sent is not None else None,
                "action": sent.action if sent is not None else None,
            }
        )
    return respond(
        EReportingOut,
        {
            "company_id": company.id,
            "month": month.key,
            "cadence": cadence,
            "documents": [vars_of(d) for d in report.documents],
            "daily_totals": [vars_of(t) for t in report.daily_totals],
            "payments": [vars_of(p) for p in report.payments],
            "reports": statuses,
        },
    )


def vars_of(item: object) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__slots__}  # type: ignore[attr-defined]


OPERATIONS = (
    Operation(
        "GET",
        "/companies/{id:int}/e-reporting",
        e_reporting,
        "A month's e-reporting: documents, daily totals, and the state of its reports",
        response=EReportingOut,
        query=(QueryParam("period", "YYYY-MM"),),
    ),
)
