"""Every table, imported in one place so the metadata is complete."""

from __future__ import annotations

from server.db.base import Base
from server.db.catalogue import Contact, ContactMerge, Product
from server.db.documents import DocumentRow, JournalEntry, NumberingCounter
from server.db.housekeeping import IdempotencyRecord, RateLimitEvent
from server.db.tenants import ApiKey, Company, Partner, User

__all__ = [
    "ApiKey",
    "Base",
    "Company",
    "Contact",
    "ContactMerge",
    "DocumentRow",
    "IdempotencyRecord",
    "JournalEntry",
    "NumberingCounter",
    "Partner",
    "Product",
    "RateLimitEvent",
    "User",
]
