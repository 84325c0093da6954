"""What Blanche needs from a plateforme agréée, whatever its protocol.

One implementation today: AFNOR XP Z12-013 (`server.pa.afnor`). A PA with
another API gets its own class with these four methods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

FlowKind = Literal["invoice", "lifecycle", "e_reporting"]
AckStatus = Literal["Pending", "Ok", "Error"]


@dataclass(frozen=True, slots=True)
class OutgoingFlow:
    tracking_id: str  # ours, stable: a retry of the same flow is recognised
    kind: FlowKind
    filename: str
    content: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class FlowReceipt:
    flow_id: str
    tracking_id: str


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    status: AckStatus
    reasons: tuple[str, ...] = ()
    deposited_at: dt.datetime | None = None  # the platform's time of receipt


@dataclass(frozen=True, slots=True)
class IncomingStatus:
    """A lifecycle status about one of our invoices, sent by the platform or the buyer."""

    flow_id: str
    invoice_number: str
    code: str
    at: dt.datetime
    issuer: str
    reason: str | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Routing:
    registered: bool
    platform: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class StatusPage:
    items: tuple[IncomingStatus, ...]
    cursor: dt.datetime | None  # pass it back to get only what changed after
    more: bool = False
    skipped: tuple[str, ...] = field(default=())  # flows that could not be read


class PlatformError(Exception):
    """A call that did not go through. `retryable`: the same call may succeed
    later (network, 5xx, 429, an expired token); otherwise the flow or the
    connection needs a person (`action` says what to do)."""

    def __init__(self, message: str, *, retryable: bool, action: str, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.action = action
        self.status = status


class Platform(Protocol):
    async def submit(self, flow: OutgoingFlow) -> FlowReceipt: ...

    async def acknowledgement(self, flow_id: str) -> Acknowledgement: ...

    async def statuses_since(self, cursor: dt.datetime | None) -> StatusPage: ...

    async def routing(self, siren: str) -> Routing: ...

    async def aclose(self) -> None: ...
