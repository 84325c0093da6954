"""Per-partner limits on the REST API, in this process (docs/settings.md, "Limits").

Three gates, passed in this order by every authenticated API request:

1. **rate**: a token bucket per partner (`rate_per_second`, `burst`). Empty: `429`
   with `Retry-After` (the seconds until a token is back).
2. **in flight**: at most `partner_in_flight` requests of one partner inside the
   service at once, reading their bodies or waiting included. More: `429`. This
   bounds what one partner's slow or parked requests can hold (sockets, memory).
3. **work**: at most `work_slots` requests doing work (a transaction, the handler)
   at once, of all partners together, and at most `partner_work_slots` of one
   partner. A freed slot goes to the waiting partner holding the fewest slots
   (the longest waiting among equals), so a partner that floods queues behind
   itself and another partner's request takes the next free slot. A request that
   waits longer than `queue_seconds` is answered `503` with `Retry-After`.

Nothing is shared between processes: with `--workers N` each process applies
the limits to what it serves.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from server.problems import Problem, refused_request
from server.settings import LimitSettings

Monotonic = Callable[[], float]


def too_many(seconds: float, key: str, **limits: float | int) -> Problem:
    """429 said by `key` of the request messages, with the whole seconds to wait."""
    wait = max(1, math.ceil(seconds))
    return refused_request(
        429,
        "rate_limited",
        "Too many requests",
        key,
        headers={"Retry-After": str(wait)},
        limits={"wait": wait, **limits},
    )


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


@dataclass(slots=True)
class _Partner:
    in_flight: int = 0
    working: int = 0
    waiting: deque[tuple[int, asyncio.Future[None]]] = field(default_factory=deque)


class PartnerLimits:
    def __init__(self, settings: LimitSettings, clock: Monotonic = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._partners: dict[int, _Partner] = {}
        self._working = 0
        self._tickets = 0  # arrival order of waiters

    # --- rate ----------------------------------------------------------------------------

    def take_token(self, partner_id: int) -> None:
        """Spend one of the partner's tokens, or raise 429."""
        settings = self.settings
        now = self._clock()
        bucket = self._buckets.get(partner_id)
        if bucket is None:
            bucket = self._buckets[partner_id] = _Bucket(float(settings.burst), now)
        else:
            refill = (now - bucket.updated) * settings.rate_per_second
            bucket.tokens = min(float(settings.burst), bucket.tokens + refill)
            bucket.updated = now
        if bucket.tokens < 1.0:
            raise too_many(
                (1.0 - bucket.tokens) / settings.rate_per_second,
                "rate_limited.rate",
                rate=float(settings.rate_per_second),
                burst=settings.burst,
            )
        bucket.tokens -= 1.0

    # --- in flight -----------------------------------------------------------------------

    @asynccontextmanager
    async def admitted(self, partner_id: int) -> AsyncIterator[None]:
        """Rate and in-flight gates; held for the whole request."""
        self.take_token(partner_id)
        state = self._partners.get(partner_id)
        if state is None:
            state = self._partners[partner_id] = _Partner()
        if state.in_flight >= self.settings.partner_in_flight:
            raise too_many(1, "rate_limited.in_flight", count=self.settings.partner_in_flight)
        state.in_flight += 1
        try:
            yield
        finally:
            state.in_flight -= 1
            self._forget_if_idle(partner_id, state)

    # --- work slots ----------------------------------------------------------------------

    @asynccontextmanager
    async def working(self, partner_id: int) -> AsyncIterator[None]:
        """One work slot for the block (inside `admitted`)."""
        state = self._partners[partner_id]
        if not state.waiting and self._can_work(state):
            self._take_slot(state)
        else:
            await self._wait_for_slot(state)
        try:
            yield
        finally:
            state.working -= 1
            self._working -= 1
            self._hand_over()

    def _can_work(self, state: _Partner) -> bool:
        settings = self.settings
        return self._working < settings.work_slots and state.working < settings.partner_work_slots

    def _take_slot(self, state: _Partner) -> None:
        state.working += 1
        self._working += 1

    async def _wait_for_slot(self, state: _Partner) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tickets += 1
        entry = (self._tickets, waiter)
        state.waiting.append(entry)
        try:
            async with asyncio.timeout(self.settings.queue_seconds):  # no task, as wait_for makes
                await waiter
        except TimeoutError:
            if waiter.done() and not waiter.cancelled():
                return  # handed a slot in the same instant: keep it
            waiter.cancel()
            raise refused_request(
                503,
                "busy",
                "Service busy",
                headers={"Retry-After": "1"},
                limits={"seconds": float(self.settings.queue_seconds)},
            ) from None
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release_unused(state)
            else:
                waiter.cancel()
            raise
        finally:
            if entry in state.waiting:
                state.waiting.remove(entry)

    def _release_unused(self, state: _Partner) -> None:
        state.working -= 1
        self._working -= 1
        self._hand_over()

    def _hand_over(self) -> None:
        """Give free slots to waiting partners: fewest slots held first, then the
        longest waiting."""
        while self._working < self.settings.work_slots:
            best: _Partner | None = None
            for state in self._partners.values():
                while state.waiting and state.waiting[0][1].done():
                    state.waiting.popleft()  # timed out or cancelled
                if not state.waiting or state.working >= self.settings.partner_work_slots:
                    continue
                if best is None or (state.working, state.waiting[0][0]) < (
                    best.working,
                    best.waiting[0][0],
                ):
                    best = state
            if best is None:
                return
            self._take_slot(best)
            best.waiting.popleft()[1].set_result(None)

    def _forget_if_idle(self, partner_id: int, state: _Partner) -> None:
        if state.in_flight == 0 and state.working == 0 and not state.waiting:
            self._partners.pop(partner_id, None)
        bucket = self._buckets.get(partner_id)
        if bucket is not None and state.in_flight == 0:
            full_after = (self.settings.burst - bucket.tokens) / self.settings.rate_per_second
            if self._clock() - bucket.updated > full_after:
                del self._buckets[partner_id]  # full again: same as a new bucket

    def snapshot(self, partner_id: int) -> tuple[int, int, int]:
        """(in flight, working, waiting) of one partner, for tests and logs."""
        state = self._partners.get(partner_id)
        if state is None:
            return (0, 0, 0)
        return (state.in_flight, state.working, len(state.waiting))
