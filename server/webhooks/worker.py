"""The delivery worker: `blanche webhooks worker`, or in-process (tests, benches).

One asyncio loop keeps up to `concurrency` deliveries in flight: it claims due
deliveries (one per endpoint at a time), POSTs each signed event, records the
attempt, and schedules a retry with backoff when it failed. Several workers,
in one or many processes, can run against the same database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import time
from asyncio import FIRST_COMPLETED
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType

import httpx

from server.db.base import utcnow
from server.db.engine import create_engine, session_factory
from server.settings import Settings
from server.webhooks import queue
from server.webhooks.client import delivery_client
from server.webhooks.endpoint_urls import UrlRefused, normalize_endpoint_url
from server.webhooks.outcomes import (
    GAVE_UP_ACTION,
    Outcome,
    excerpt,
    from_error,
    from_status,
    internal_error,
    url_refused,
)
from server.webhooks.queue import AttemptResult, Claimed
from server.webhooks.retention import Purged, purge
from server.webhooks.retry import next_attempt
from server.webhooks.signing import SIGNATURE_HEADER, signature_header
from server.webhooks.ssrf import (
    DnsFailure,
    Resolver,
    TargetRefused,
    system_resolver,
)
from server.webhooks.wakeup import Listener

logger = logging.getLogger("blanche.webhooks")
Finished = tuple[Claimed, AttemptResult]
Task = asyncio.Task[Finished | None]

EXCERPT_BYTES = 2048
PURGE_EVERY_SECONDS = 3600.0
Now = Callable[[], dt.datetime]


def _window_text(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:g} days"
    return f"{seconds:g} s"


class WebhookWorker:
    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver = system_resolver,
        now: Now = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.hooks = settings.webhooks
        self._now = now
        self._rng = rng or random.Random()
        self._resolver = resolver
        self._engine = create_engine(settings.database_url)
        self._sessions = session_factory(self._engine)
        self._http: httpx.AsyncClient | None = None
        self._last_purge = 0.0
        self._wake = asyncio.Event()
        self._listener = Listener(self._engine, self._wake)
        self.delivered = 0
        self.attempted = 0

    async def __aenter__(self) -> WebhookWorker:
        self._http = delivery_client(self.hooks, self._resolver)
        await self._listener.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._listener.close()
        if self._http is not None:
            await self._http.aclose()
        await self._engine.dispose()

    async def step(
        self, finished: list[tuple[Claimed, AttemptResult]], limit: int
    ) -> list[Claimed]:
        """One short transaction: record the finished attempts, claim up to
        `limit` due deliveries. The loop is this worker's only database writer,
        so its deliveries never queue against each other for locks, and
        attempts that finish together are committed together."""
        async with self._sessions() as session, session.begin():
            await queue.record(session, finished)
            return await queue.claim(session, self._now(), limit, self.hooks.lease_seconds)

    async def pending(self) -> int:
        async with self._sessions() as session:
            return await queue.pending_count(session)

    async def purge(self) -> Purged:
        async with self._sessions() as session, session.begin():
            return await purge(session, self._now(), self.hooks.log_days)

    async def run(
        self,
        stop: asyncio.Event | None = None,
        *,
        until_idle: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Deliver until `stop` is set, or (with `until_idle`) until no delivery
        is pending any more, retries included; `timeout` bounds the wait."""
        deadline = None if timeout is None else time.monotonic() + timeout
        in_flight: set[Task] = set()
        finished: list[Finished] = []
        try:
            while stop is None or not stop.is_set():
                if time.monotonic() - self._last_purge > PURGE_EVERY_SECONDS:
                    self._last_purge = time.monotonic()
                    await self._purge_logged()
                claimed = await self._step_logged(finished, self.hooks.concurrency - len(in_flight))
                finished = []
                for item in claimed:
                    in_flight.add(asyncio.create_task(self.attempt(item)))
                if until_idle and not in_flight and await self.pending() == 0:
                    return
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError("webhook deliveries still pending")
                finished = await self._pause(in_flight, stop)
        finally:
            if in_flight:
                done, _ = await asyncio.wait(in_flight)
                finished += [result for task in done if (result := task.result())]
            if finished:
                await self._step_logged(finished, 0)

    async def _pause(self, in_flight: set[Task], stop: asyncio.Event | None) -> list[Finished]:
        """Wait for a delivery to finish, a new event (PostgreSQL), `stop`, or
        the poll interval; return the finished attempts."""
        waiters = {asyncio.ensure_future(self._wake.wait())}
        if stop is not None:
            waiters.add(asyncio.ensure_future(stop.wait()))
        done, _ = await asyncio.wait(
            in_flight | waiters, timeout=self.hooks.poll_seconds, return_when=FIRST_COMPLETED
        )
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
        self._wake.clear()
        finished = [task for task in in_flight if task in done]
        in_flight.difference_update(finished)
        return [result for task in finished if (result := task.result())]

    async def _step_logged(
        self, finished: list[tuple[Claimed, AttemptResult]], limit: int
    ) -> list[Claimed]:
        try:
            claimed = await self.step(finished, limit)
        except Exception:
            # Unrecorded attempts keep their leases, which expire: sent again later.
            logger.exception("the webhook queue could not be updated; retrying")
            return []
        self.attempted += len(finished)
        self.delivered += sum(result.outcome.delivered for _, result in finished)
        return claimed

    async def _purge_logged(self) -> None:
        try:
            purged = await self.purge()
        except Exception:
            logger.exception("purging the webhook log failed")
            return
        if purged.attempts or purged.events:
            logger.info("purged %d log entries, %d events", purged.attempts, purged.events)

    async def attempt(self, claimed: Claimed) -> tuple[Claimed, AttemptResult] | None:
        """One HTTP attempt; never raises. Whatever goes wrong becomes a log entry
        with an action for the partner, and the delivery moves on (retry, held)."""
        try:
            return claimed, await self._attempt(claimed)
        except Exception as error:
            logger.exception("webhook delivery %d failed unexpectedly", claimed.delivery_id)
            try:
                return claimed, self._result(claimed, internal_error(error), self._now())
            except Exception:
                logger.exception("webhook delivery %d: no result recorded", claimed.delivery_id)
                return None

    def _headers(self, claimed: Claimed) -> dict[str, str]:
        timestamp = int(time.time())
        return {
            "Content-Type": "application/json",
            "Accept-Encoding": "identity",
            SIGNATURE_HEADER: signature_header(claimed.secrets, timestamp, claimed.body),
            "Blanche-Event-Id": claimed.event_id,
            "Blanche-Event-Type": claimed.event_type,
            "Blanche-Subscription-Id": str(claimed.subscription_id),
            "Blanche-Delivery-Attempt": str(claimed.attempts + 1),
        }

    async def _post(self, claimed: Claimed) -> tuple[Outcome, int | None, str | None]:
        assert self._http is not None, "use the worker as an async context manager"
        timeout = self.hooks.timeout_seconds
        try:  # the canonical form: the host connected to is the one the guard checks
            url = normalize_endpoint_url(claimed.url).url
        except UrlRefused as refused:
            return url_refused(refused.message_en), None, None
        started = time.monotonic()
        latency_ms: int | None = None
        try:
            async with (
                asyncio.timeout(timeout * 2 + 1),
                self._http.stream(
                    "POST", url, content=claimed.body, headers=self._headers(claimed)
                ) as response,
            ):
                latency_ms = round((time.monotonic() - started) * 1000)
                data = bytearray()
                async for chunk in response.aiter_raw():
                    data += chunk
                    if len(data) >= EXCERPT_BYTES:
                        break
            return from_status(response.status_code, timeout), latency_ms, excerpt(bytes(data))
        except (httpx.HTTPError, TargetRefused, DnsFailure, OSError, TimeoutError) as error:
            return from_error(error, timeout), latency_ms, None

    async def _attempt(self, claimed: Claimed) -> AttemptResult:
        started_at = self._now()
        outcome, latency_ms, body_excerpt = await self._post(claimed)
        return self._result(claimed, outcome, started_at, latency_ms, body_excerpt)

    def _result(
        self,
        claimed: Claimed,
        outcome: Outcome,
        started_at: dt.datetime,
        latency_ms: int | None = None,
        body_excerpt: str | None = None,
    ) -> AttemptResult:
        finished_at = self._now()
        retry_at = None
        if not outcome.delivered and not outcome.disable:
            retry_at = next_attempt(
                claimed.first_attempt_at or started_at,
                finished_at,
                claimed.attempts + 1,
                self.hooks,
                self._rng,
            )
        gave_up = GAVE_UP_ACTION.replace(
            "{window}", _window_text(self.hooks.retry_window_seconds)
        ).replace("{id}", str(claimed.subscription_id))
        return AttemptResult(
            outcome=_with_subscription(outcome, claimed.subscription_id),
            started_at=started_at,
            finished_at=finished_at,
            latency_ms=latency_ms,
            response_excerpt=body_excerpt,
            next_attempt_at=retry_at,
            gave_up_action=gave_up,
        )


def _with_subscription(outcome: Outcome, subscription_id: int) -> Outcome:
    if outcome.action is None or "{id}" not in outcome.action:
        return outcome
    return replace(outcome, action=outcome.action.replace("{id}", str(subscription_id)))
