"""The event types partners can follow."""

from __future__ import annotations

from typing import Final, Literal, get_args

EventType = Literal[
    "document.created",
    "document.saved",
    "document.finalized",
    "document.sent",
    "document.payment_recorded",
    "document.paid",
    "document.credited",
    "document.cancelled",
    "document.accepted",
    "document.refused",
    "document.lifecycle",
    "contact.created",
    "contact.updated",
    "contact.merged",
    "company.created",
]
EVENT_TYPES: Final[tuple[str, ...]] = get_args(EventType)
ALL_EVENTS: Final = "*"


def follows(events: list[str], event_type: str) -> bool:
    return ALL_EVENTS in events or event_type in events
