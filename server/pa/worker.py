"""The PA worker: sends queued flows, follows their acknowledgements, and
reads the lifecycle statuses each platform has for the company's invoices.

Started by `blanche serve` (or alone: `blanche pa worker`). Several workers, in
one or many processes, can share one database: transmissions are leased and
each platform's status poll is taken by one worker per round.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.profiles import Profile
from server.db.base import utcnow
from server.db.documents import DocumentRow
from server.db.engine import create_engine, session_factory
from server.db.pa import PaConnection, PaTransmission
from server.db.tenants import Company
from server.documents.content import load_content
from server.file_storage import DirectoryStorage
from server.pa import cdar, lifecycle, outbox
from server.pa.adapter import OutgoingFlow, Platform, PlatformError
from server.pa.connect import open_platform
from server.pa.outbox import Claimed
from server.pa.report_scheduler import schedule_reports
from server.pa.secrets import SecretUnreadable
from server.pa.settings import PaSettings
from server.pa.statuses import DEPOSITED, REJECTED
from server.printed_look import PrintedLook, printed_look
from server.settings import Settings
from server.webhooks.ssrf import Resolver, system_resolver

logger = logging.getLogger("blanche.pa")
Now = Callable[[], dt.datetime]
PARIS = ZoneInfo("Europe/Paris")
ACK_FIRST_SECONDS = 0.3
ACK_MAX_SECONDS = 30.0
RETRY_MAX_SECONDS = 3600.0


def retry_delay(attempts: int, rng: random.Random) -> float:
    """2, 4, 8 s... up to an hour, with jitter so workers do not march together."""
    base = min(2.0**attempts, RETRY_MAX_SECONDS)
    return base * rng.uniform(0.8, 1.2)


def _render_pdf(row: DocumentRow, profile: Profile, look: PrintedLook) -> bytes:
    from invoicing.pdf.render import render_pdf  # heavy: imported on first use

    logo = look.logo
    return render_pdf(
        load_content(row),
        profile,
        logo=logo.content if logo else None,
        logo_mime=logo.media_type if logo else None,
        theme_css=look.theme_css,
    )


class PaWorker:
    def __init__(
        self,
        settings: Settings,
        pa: PaSettings | None = None,
        *,
        resolver: Resolver = system_resolver,
        now: Now = utcnow,
    ) -> None:
        self.settings = settings
        self.pa = pa or PaSettings.from_env()
        self._resolver = resolver
        self._now = now
        self._rng = random.Random()
        self._engine = create_engine(settings.database_url)
        self._sessions = session_factory(self._engine)
        self._storage = DirectoryStorage(settings.files_dir)
        self._postgres = not settings.is_sqlite
        # One client per connection, kept while the connection is unchanged, so
        # its OAuth token is reused until it expires.
        self._platforms: dict[int, tuple[dt.datetime, Platform]] = {}
        self.sent = 0
        self._next_report_check = 0.0

    async def close(self) -> None:
        for _, platform in self._platforms.values():
            await platform.aclose()
        self._platforms.clear()
        await self._engine.dispose()

    async def _platform(self, connection: PaConnection) -> Platform:
        kept = self._platforms.get(connection.company_id)
        if kept is not None and kept[0] == connection.updated_at:
            return kept[1]
        if kept is not None:
            await kept[1].aclose()
        platform = open_platform(connection, self.pa, self.settings.var_dir, self._resolver)
        self._platforms[connection.company_id] = (connection.updated_at, platform)
        return platform

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except Exception:  # a broken round must not end the worker
                logger.exception("PA worker round failed")
                busy = False
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.pa.poll_seconds)

    async def run_once(self) -> bool:
        """One round: due transmissions, then due status polls, then e-reports of
        periods that have ended. True if work was done."""
        worked = await self._send_due()
        worked = await self._poll_statuses() or worked
        if time.monotonic() >= self._next_report_check:
            self._next_report_check = time.monotonic() + self.pa.report_check_seconds
            today = self._now().astimezone(PARIS).date()
            worked = await schedule_reports(self._sessions, today) or worked
        return worked

    # -- transmissions -------------------------------------------------------

    async def _anything_due(self, now: dt.datetime) -> bool:
        async with self._sessions() as session:
            found = await session.scalar(
                select(
                    exists().where(
                        PaTransmission.state.in_(("pending", "submitted")),
                        PaTransmission.next_attempt_at <= now,
                    )
                )
            )
        return bool(found)

    async def _send_due(self) -> bool:
        now = self._now()
        if not await self._anything_due(now):
            return False
        async with self._sessions() as session, session.begin():
            claimed = await outbox.claim(
                session, now, self.pa.concurrency, self._postgres, self.pa.lease_seconds
            )
        if not claimed:
            return False
        await asyncio.gather(*(self._process(item) for item in claimed))
        return True

    async def _connection(self, company_id: int) -> PaConnection | None:
        async with self._sessions() as session:
            return await session.get(PaConnection, company_id)

    async def _process(self, item: Claimed) -> None:
        connection = await self._connection(item.company_id)
        if connection is None:
            await self._fail(
                item,
                "no PA connection",
                "Connect the company to its PA "
                "(PUT /api/v1/companies/{id}/pa); the flow is then sent again.",
            )
            return
        try:
            platform = await self._platform(connection)
        except SecretUnreadable as error:
            await self._fail(item, str(error), "Set the PA connection again.")
            return
        try:
            if item.state == "pending":
                await self._submit(platform, item)
            else:
                await self._acknowledge(platform, item)
        except PlatformError as error:
            await self._platform_error(item, error)
        except Exception as error:  # anything else is logged with an action, never lost
            logger.exception("PA transmission %s failed", item.id)
            await self._platform_error(
                item,
                PlatformError(
                    f"{type(error).__name__}: {error}"[:500],
                    retryable=True,
                    action="Nothing: it is retried. If it lasts, report it to Blanche.",
                ),
            )

    async def _payload(self, item: Claimed) -> bytes:
        if item.payload is not None:
            return item.payload
        assert item.document_id is not None
        key = f"pdf/{item.company_id}/{item.document_id}.pdf"
        stored = self._storage.get(key)
        if stored is not None:
            return stored
        async with self._sessions() as session:
            row = await session.get(DocumentRow, item.document_id)
            company = await session.get(Company, item.company_id)
            assert row is not None and company is not None
            # The original PDF, as the downloads render it: the logo of its issue.
            look = await printed_look(session, row, company.partner_id)
        pdf = await asyncio.to_thread(_render_pdf, row, Profile(company.profile), look)
        self._storage.put(key, pdf)
        return pdf

    async def _submit(self, platform: Platform, item: Claimed) -> None:
        flow = OutgoingFlow(
            tracking_id=item.tracking_id,
            kind=item.kind,  # type: ignore[arg-type]
            filename=item.filename,
            content=await self._payload(item),
            media_type=item.media_type,
        )
        receipt = await platform.submit(flow)
        now = self._now()
        async with self._sessions() as session, session.begin():
            row = await outbox.leased(session, item)
            if row is None:
                return
            row.state, row.flow_id = "submitted", receipt.flow_id
            row.attempts += 1
            row.next_attempt_at = now + dt.timedelta(seconds=ACK_FIRST_SECONDS)
            row.lease_token = row.lease_expires_at = None
            row.last_error = row.action = None
            row.updated_at = now
            outbox.log(session, row, step="submit", outcome="ok", now=now)
        self.sent += 1

    async def _acknowledge(self, platform: Platform, item: Claimed) -> None:
        assert item.flow_id is not None
        ack = await platform.acknowledgement(item.flow_id)
        now = self._now()
        async with self._sessions() as session, session.begin():
            row = await outbox.leased(session, item)
            if row is None:
                return
            waited = (now - row.updated_at).total_seconds()
            row.lease_token = row.lease_expires_at = None
            row.updated_at = now
            if ack.status == "Pending":
                delay = min(max(ACK_FIRST_SECONDS, waited * 2), ACK_MAX_SECONDS)
                row.next_attempt_at = now + dt.timedelta(seconds=delay)
                return
            reason = "; ".join(ack.reasons) or None
            row.state = "done"
            outbox.log(
                session,
                row,
                step="acknowledgement",
                outcome="ok" if ack.status == "Ok" else "rejected",
                now=now,
                error=reason,
            )
            if row.kind == "lifecycle" and ack.status == "Ok" and row.document_id is not None:
                await self._record_sent_status(session, row)
            elif row.kind == "invoice" and row.document_id is not None:
                await self._record_ack(
                    session, row, ack.status == "Ok", reason, ack.deposited_at or now
                )
            elif ack.status != "Ok":
                row.state = "failed"
                row.last_error = reason
                row.action = (
                    "The platform refused this flow: read the reason, then contact support."
                )

    async def _record_ack(
        self,
        session: AsyncSession,
        row: PaTransmission,
        ok: bool,
        reason: str | None,
        now: dt.datetime,
    ) -> None:
        document = await session.get(DocumentRow, row.document_id)
        if document is None:
            return
        await lifecycle.record(
            session,
            document,
            code=DEPOSITED if ok else REJECTED,
            at=now,
            issuer="platform",
            source=f"ack:{row.flow_id}",
            reason=reason,
        )

    async def _record_sent_status(self, session: AsyncSession, row: PaTransmission) -> None:
        """A status we sent (212 Encaissée) joins the timeline once the PA has it."""
        document = await session.get(DocumentRow, row.document_id)
        if document is None or row.payload is None:
            return
        message = cdar.parse(row.payload)
        await lifecycle.record(
            session,
            document,
            code=message.code,
            at=message.issued_at,
            issuer="seller",
            source=row.tracking_id,
            reason=message.reason,
            amount=message.amount,
        )

    async def _platform_error(self, item: Claimed, error: PlatformError) -> None:
        now = self._now()
        async with self._sessions() as session, session.begin():
            row = await outbox.leased(session, item)
            if row is None:
                return
            row.attempts += 1
            row.lease_token = row.lease_expires_at = None
            row.last_error, row.updated_at = str(error), now
            gave_up = not error.retryable or row.attempts >= self.pa.max_attempts
            if gave_up:
                row.state = "failed"
                row.action = (
                    error.action
                    if not error.retryable
                    else (
                        f"Gave up after {row.attempts} attempts: check the PA connection, then "
                        "retry the transmission (POST /api/v1/pa-transmissions/{id}/retry)."
                    )
                )
            else:
                row.action = error.action
                delay = retry_delay(row.attempts, self._rng)
                row.next_attempt_at = now + dt.timedelta(seconds=delay)
            outbox.log(
                session,
                row,
                step="submit" if item.state == "pending" else "acknowledgement",
                outcome="failed" if gave_up else "retry",
                now=now,
                http_status=error.status,
                error=str(error),
                action=row.action,
            )

    async def _fail(self, item: Claimed, error: str, action: str) -> None:
        await self._platform_error(item, PlatformError(error, retryable=False, action=action))

    # -- lifecycle statuses ---------------------------------------------------

    async def _poll_statuses(self) -> bool:
        now = self._now()
        async with self._sessions() as session:
            due = list(
                await session.scalars(
                    select(PaConnection.company_id).where(
                        (PaConnection.next_poll_at.is_(None)) | (PaConnection.next_poll_at <= now),
                        exists().where(
                            PaTransmission.company_id == PaConnection.company_id,
                            PaTransmission.kind == "invoice",
                            PaTransmission.flow_id.is_not(None),
                        ),
                    )
                )
            )
        worked = False
        for company_id in due:
            if await self._take_poll(company_id, now):
                worked = await self._poll_company(company_id) or worked
        return worked

    async def _take_poll(self, company_id: int, now: dt.datetime) -> bool:
        """One worker per platform per round: whoever moves `next_poll_at` first."""
        following = now + dt.timedelta(seconds=self.pa.status_poll_seconds)
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                update(PaConnection)
                .where(
                    PaConnection.company_id == company_id,
                    (PaConnection.next_poll_at.is_(None)) | (PaConnection.next_poll_at <= now),
                )
                .values(next_poll_at=following)
            )
        return bool(getattr(result, "rowcount", 0))

    async def _poll_company(self, company_id: int) -> bool:
        connection = await self._connection(company_id)
        if connection is None:
            return False
        try:
            platform = await self._platform(connection)
        except SecretUnreadable:
            return False
        try:
            page = await platform.statuses_since(connection.status_cursor)
        except PlatformError as error:
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(PaConnection)
                    .where(PaConnection.company_id == company_id)
                    .values(last_error=str(error)[:1000])
                )
            return False
        async with self._sessions() as session, session.begin():
            for status in page.items:
                document = await session.scalar(
                    select(DocumentRow).where(
                        DocumentRow.company_id == company_id,
                        DocumentRow.number == status.invoice_number,
                    )
                )
                if document is None:
                    logger.warning("PA status %s for unknown invoice", status.code)
                    continue
                await lifecycle.record(
                    session,
                    document,
                    code=status.code,
                    at=status.at,
                    issuer=status.issuer,
                    source=status.flow_id,
                    reason=status.reason,
                    amount=status.amount,
                )
            await session.execute(
                update(PaConnection)
                .where(PaConnection.company_id == company_id)
                .values(status_cursor=page.cursor, last_error=None)
            )
        return bool(page.items)
