"""Every table, imported in one place so the metadata is complete."""

from __future__ import annotations

from server.db.base import Base
from server.db.catalogue import Contact, ContactMerge, Product
from server.db.company_logos import CompanyLogo, IssuedDocumentLogo, LogoImage
from server.db.documents import DocumentRow, JournalEntry, NumberingCounter
from server.db.editor_drafts import EditorDraft
from server.db.housekeeping import IdempotencyRecord, RateLimitEvent
from server.db.integrations import ContactExternalRef, WorkOrderSettings
from server.db.pa import LifecycleEntry, PaAttempt, PaConnection, PaTransmission
from server.db.payments import PaymentRow
from server.db.tenants import ApiKey, Company, Partner, User
from server.db.themes import PartnerTheme, StudioLinkUse
from server.db.webhooks import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    WebhookSubscriptionCompany,
)

__all__ = [
    "ApiKey",
    "Base",
    "Company",
    "CompanyLogo",
    "Contact",
    "ContactExternalRef",
    "ContactMerge",
    "DocumentRow",
    "EditorDraft",
    "IdempotencyRecord",
    "IssuedDocumentLogo",
    "JournalEntry",
    "LifecycleEntry",
    "LogoImage",
    "NumberingCounter",
    "PaAttempt",
    "PaConnection",
    "PaTransmission",
    "Partner",
    "PartnerTheme",
    "PaymentRow",
    "Product",
    "RateLimitEvent",
    "StudioLinkUse",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "WebhookSubscriptionCompany",
    "WorkOrderSettings",
]
