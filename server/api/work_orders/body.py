"""The body of `POST /documents/drafts/from-work-order` and its answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from invoicing.model import (
    Address,
    Percent,
    Quantity,
    UnitPrice,
    VatCategory,
)
from invoicing.text import Code, LongText, Text
from server.api.common import Email, ExternalRef, Input, Output
from server.api.contacts import ContactKind, Siren, Siret, VatId
from server.api.documents.views import DocumentOut
from server.api.editor.sessions import EditorSessionOut

MimeCode = Literal[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
]
Name = Annotated[Text, StringConstraints(min_length=1)]


class CustomerById(Input):
    id: int = Field(description="A contact of the company")


class CustomerByRef(Input):
    external_ref: ExternalRef = Field(description="Your system's id for the customer")
    kind: ContactKind = Field("company", description="Used when the contact is created")
    name: Name | None = Field(None, description="Creates the contact when the reference is new")
    siren: Siren | None = None
    siret: Siret | None = None
    vat_id: VatId | None = None
    emails: list[Email] = Field(default_factory=list, max_length=10)
    address: Address = Field(default_factory=Address)


class TimeEntry(Input):
    minutes: int = Field(gt=0, le=100_000)
    date: dt.date | None = None
    description: Text | None = Field(None, description="e.g. who worked, on what")


class UsedItem(Input):
    product_id: int | None = Field(None, description="A catalogue product; or give name + price")
    name: Name | None = None
    quantity: Quantity = Field(gt=0)
    unit: Code | None = None
    unit_price: UnitPrice | None = Field(None, description="Overrides the product's price")
    vat_category: VatCategory | None = None
    vat_rate: Percent | None = None


class AttachmentIn(Input):
    filename: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
    mime_code: MimeCode
    content_base64: str | None = Field(None, description="The file, base64-encoded")
    uri: Annotated[Text, StringConstraints(pattern=r"^https://\S+$")] | None = None
    description: Text | None = None


class WorkOrderIn(Input):
    company_id: int
    customer: CustomerById | CustomerByRef
    description: Annotated[LongText, StringConstraints(min_length=1)] = Field(
        description="The work done: the first line or a note (partner setting)"
    )
    reference: Text | None = Field(None, description="The work order's number (BT-14)")
    time_entries: list[TimeEntry] = Field(default_factory=list, max_length=500)
    time_product_id: int | None = Field(
        None, description="The product time is sold as (unit HUR or MIN)"
    )
    items: list[UsedItem] = Field(default_factory=list, max_length=500)
    default_product_id: int | None = Field(
        None, description="A fixed line such as a call-out fee (default: the partner setting)"
    )
    customer_reference: Text | None = Field(None, description="The customer's reference (BT-10)")
    notes: list[LongText] = Field(default_factory=list, max_length=20)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)
    user_id: int | None = Field(None, description="Who reviews it (default: the first user)")
    parent_origin: str | None = Field(
        None, max_length=300, description="Editor host page origin (default: the first one)"
    )
    business_process: Code | None = Field(
        None,
        description="BT-23 billing mode; default S1 (services), B1 (items only) or M1 (both)",
    )


class WorkOrderOut(Output):
    status: Literal["created", "skipped"]
    document: DocumentOut | None = None
    editor: EditorSessionOut | None = None
    customer_created: bool = False
    skipped_because: str | None = None
    matched_word: str | None = None
    warnings: list[str] = Field(default_factory=list)
