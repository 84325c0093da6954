"""Queueing each ended e-reporting period's report, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.db.pa import PaConnection, PaTransmission
from server.db.tenants import Company
from server.pa.e_reporting import Period, build_report, closed_periods, report_xml
from server.pa.e_reporting import tracking_id as report_tracking_id

Sessions = async_sessionmaker[AsyncSession]


async def schedule_reports(sessions: Sessions, today: dt.date) -> bool:
    """Queue the report of each ended period not reported yet (its tracking id
    is unique: two workers racing queue it once). True if one was queued."""
    async with sessions() as session:
        connections = list(await session.scalars(select(PaConnection)))
    queued = False
    for connection in connections:
        since = connection.created_at.date()
        for period in closed_periods(today, connection.e_reporting_cadence):  # type: ignore[arg-type]
            if period.end < since:
                continue
            try:
                queued = await _queue_report(sessions, connection, period) or queued
            except IntegrityError:  # another worker queued it first
                continue
    return queued


async def _queue_report(sessions: Sessions, connection: PaConnection, period: Period) -> bool:
    tracking = report_tracking_id(connection.company_id, period)
    async with sessions() as session, session.begin():
        known = await session.scalar(
            select(PaTransmission.id).where(PaTransmission.tracking_id == tracking)
        )
        if known is not None:
            return False
        report = await build_report(session, connection.company_id, period)
        if report.empty:
            return False
        company = await session.get(Company, connection.company_id)
        seller = company.seller if company is not None else {}
        siren = seller.get("siren") if isinstance(seller, dict) else None
        session.add(
            PaTransmission(
                partner_id=connection.partner_id,
                company_id=connection.company_id,
                kind="e_reporting",
                tracking_id=tracking,
                filename=f"e-reporting-{period.key.replace('/', '-')}.xml",
                media_type="application/xml",
                payload=report_xml(report, siren),
            )
        )
    return True
