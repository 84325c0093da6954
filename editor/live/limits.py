"""Per-partner limits on the live channel, so that one partner (or one of its users)
cannot take the process from the others (docs/editor-protocol.md, "Limits").

- open sessions per partner (in this process): a hello beyond is refused (4429);
- messages per second per connection, and per partner over all its connections
  (token buckets): a connection that goes beyond is closed (4429); the page
  reconnects later and resends what was not saved, so nothing is lost;
- the share of the event loop a partner's messages may take (the time spent
  handling them, charged after each): beyond it, and while another partner is
  being served too, that partner's next messages wait their turn (they are paced,
  not refused), so a partner editing huge drafts slows itself down, never the
  others; alone, a partner may use the whole loop;
- patches a `hello` may carry (`too_many_pending`, 4413).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

CONTENTION_SECONDS = 1.0  # another partner handled this recently: shares apply


@dataclass(frozen=True, slots=True)
class LiveLimits:
    sessions_per_partner: int = 1_000
    messages_per_second: float = 30.0
    message_burst: int = 120
    partner_messages_per_second: float = 2_000.0
    partner_message_burst: int = 4_000
    partner_busy_share: float = 0.5  # of one event loop's time
    partner_busy_burst: float = 1.0  # seconds of handling before pacing starts
    max_pending: int = 1_000  # patches in one hello
    send_queue_messages: int = 256  # per connection, then the peer is dropped
    send_queue_bytes: int = 8 * 1024 * 1024


class TokenBucket:
    """`rate` tokens a second up to `burst`; `charge` may go into debt."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self._at = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self._at) * self.rate)
        self._at = now

    def take(self, now: float, amount: float = 1.0) -> bool:
        self._refill(now)
        if self.tokens < amount:
            return False
        self.tokens -= amount
        return True

    def charge(self, now: float, amount: float) -> None:
        self._refill(now)
        self.tokens -= amount

    def wait(self, now: float) -> float:
        """Seconds until the bucket is out of debt."""
        self._refill(now)
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


class _Partner:
    __slots__ = ("busy", "last_active", "messages", "sessions")

    def __init__(self, limits: LiveLimits, now: float) -> None:
        self.sessions = 0
        self.last_active = float("-inf")
        self.messages = TokenBucket(
            limits.partner_messages_per_second, limits.partner_message_burst, now
        )
        self.busy = TokenBucket(limits.partner_busy_share, limits.partner_busy_burst, now)


class PartnerGates:
    """The limits' state in one process."""

    def __init__(self, limits: LiveLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._partners: dict[int, _Partner] = {}

    def sessions(self, partner_id: int) -> int:
        partner = self._partners.get(partner_id)
        return 0 if partner is None else partner.sessions

    def open_session(self, partner_id: int) -> bool:
        partner = self._partners.get(partner_id)
        if partner is None:
            partner = self._partners[partner_id] = _Partner(self.limits, self._clock())
        if partner.sessions >= self.limits.sessions_per_partner:
            return False
        partner.sessions += 1
        return True

    def close_session(self, partner_id: int) -> None:
        partner = self._partners.get(partner_id)
        if partner is None:
            return
        partner.sessions -= 1
        if partner.sessions <= 0 and partner.busy.wait(self._clock()) == 0:
            del self._partners[partner_id]

    def connection_bucket(self) -> TokenBucket:
        limits = self.limits
        return TokenBucket(limits.messages_per_second, limits.message_burst, self._clock())

    def admit(self, partner_id: int, connection: TokenBucket) -> bool:
        """One more message from this connection of this partner?"""
        now = self._clock()
        if not connection.take(now):
            return False
        partner = self._partners.get(partner_id)
        return partner is None or partner.messages.take(now)

    def _contended(self, partner_id: int, now: float) -> bool:
        """Has another partner been handled lately? (Alone, a partner may take it all.)"""
        return any(
            other != partner_id and now - partner.last_active < CONTENTION_SECONDS
            for other, partner in self._partners.items()
        )

    async def pace(self, partner_id: int) -> None:
        """Wait while the partner has used more than its share of the loop and
        others want their turn."""
        while (partner := self._partners.get(partner_id)) is not None:
            now = self._clock()
            delay = partner.busy.wait(now)
            if delay <= 0 or not self._contended(partner_id, now):
                return
            await asyncio.sleep(min(delay, 0.05))

    def charge(self, partner_id: int, seconds: float) -> None:
        partner = self._partners.get(partner_id)
        if partner is not None:
            now = self._clock()
            partner.busy.charge(now, seconds)
            partner.last_active = now
