"""API keys verified lately, remembered by each service process for a few seconds.

Verifying a key is a read transaction of its own (key and partner in one query):
on SQLite through aiosqlite, the largest single cost of a small request. A key
verified less than `seconds` ago is taken from here instead, with the partner row
read then.

A change this process commits to a partner or one of its keys (a revocation, the
partner's settings or theme) forgets that partner's keys at once, whichever session
made it (SQLAlchemy session events). A change made by another process (`blanche keys
revoke`, another `--workers` process) is seen within `seconds`: the window a revoked
key keeps working is bounded by it. Only changes through the ORM are noticed; code that
changes these tables with bulk SQL must forget the keys itself (`forget_everything`).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from server.db.tenants import ApiKey, Partner

Monotonic = Callable[[], float]
MAX_KEYS = 10_000  # a process serving more live keys verifies the rest each time
_CHANGED = "blanche_changed_partners"  # Session.info: partners whose rows this flush changed


@dataclass(frozen=True, slots=True)
class VerifiedKey:
    """A key found active, its partner as read then (shared: never changed in place;
    a write transaction attaches a copy of it to its session)."""

    partner: Partner
    key_company_id: int | None
    until: float


class VerifiedKeys:
    def __init__(self, seconds: float, clock: Monotonic = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._keys: dict[str, VerifiedKey] = {}
        _live.add(self)

    def find(self, key_sha256: str) -> VerifiedKey | None:
        found = self._keys.get(key_sha256)
        if found is None:
            return None
        if found.until <= self._clock():
            del self._keys[key_sha256]
            return None
        return found

    def keep(self, key_sha256: str, partner: Partner, key_company_id: int | None) -> None:
        if self.seconds <= 0:
            return
        if len(self._keys) >= MAX_KEYS:
            self._drop_expired()
            if len(self._keys) >= MAX_KEYS:
                return
        self._keys[key_sha256] = VerifiedKey(partner, key_company_id, self._clock() + self.seconds)

    def forget_partners(self, partner_ids: set[int]) -> None:
        for digest in [d for d, key in self._keys.items() if key.partner.id in partner_ids]:
            del self._keys[digest]

    def forget_everything(self) -> None:
        self._keys.clear()

    def _drop_expired(self) -> None:
        now = self._clock()
        for digest in [d for d, key in self._keys.items() if key.until <= now]:
            del self._keys[digest]


_live: weakref.WeakSet[VerifiedKeys] = weakref.WeakSet()


@event.listens_for(Session, "after_flush")
def _note_partner_changes(session: Session, flush_context: Any) -> None:
    changed: set[int] = session.info.setdefault(_CHANGED, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Partner) and instance.id is not None:
            changed.add(instance.id)
        elif isinstance(instance, ApiKey) and instance.partner_id is not None:
            changed.add(instance.partner_id)


@event.listens_for(Session, "after_commit")
def _forget_changed_partners(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if changed:
        for keys in list(_live):
            keys.forget_partners(changed)


@event.listens_for(Session, "after_rollback")
def _nothing_changed(session: Session) -> None:
    session.info.pop(_CHANGED, None)
