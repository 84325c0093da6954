"""Contacts: a company's customers (persons or companies), searchable and mergeable."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator
from sqlalchemy import String, cast, func, or_, select, update
from starlette.responses import Response

from invoicing.model import Address, ElectronicAddress
from invoicing.text import LongText, Text
from server.api.common import Deleted, Email, Input, Output, Page, respond
from server.api.operation import Operation, QueryParam
from server.api.pagination import PAGE_PARAMS, before_id, next_cursor, page_limit
from server.db.base import utcnow
from server.db.catalogue import Contact, ContactMerge
from server.db.documents import DocumentRow
from server.endpoint import ApiCall
from server.field_messages import field_message
from server.problems import Refusal
from server.webhooks.events import contact_event

ContactKind = Literal["person", "company"]
Siren = Annotated[str, StringConstraints(pattern=r"^[0-9]{9}$")]
Siret = Annotated[str, StringConstraints(pattern=r"^[0-9]{14}$")]
VatId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Za-z0-9+*.]{2,13}$")]
Name = Annotated[Text, StringConstraints(min_length=1)]


class ContactIn(Input):
    kind: ContactKind
    name: Name
    siren: Siren | None = None
    siret: Siret | None = None
    vat_id: VatId | None = None
    emails: list[Email] = Field(default_factory=list, max_length=10)
    phone: Annotated[Text, StringConstraints(max_length=100)] | None = None
    address: Address = Field(default_factory=Address)
    electronic_address: ElectronicAddress | None = None
    notes: LongText | None = None

    @model_validator(mode="after")
    def _siren_address(self) -> ContactIn:
        """A company with a SIREN is reached at 0225 + SIREN unless told otherwise."""
        if self.kind == "company" and self.siren and self.electronic_address is None:
            self.electronic_address = ElectronicAddress(value=self.siren, scheme="0225")
        return self


class ContactPatch(Input):
    kind: ContactKind | None = Field(None, description="Correct a person into a company or back")
    name: Name | None = None
    siren: Siren | None = None
    siret: Siret | None = None
    vat_id: VatId | None = None
    emails: list[Email] | None = Field(None, max_length=10)
    phone: Annotated[Text, StringConstraints(max_length=100)] | None = None
    address: Address | None = None
    electronic_address: ElectronicAddress | None = None
    notes: LongText | None = None


class ContactOut(Output):
    id: int
    company_id: int
    kind: ContactKind
    name: str
    siren: str | None
    siret: str | None
    vat_id: str | None
    emails: list[str]
    phone: str | None
    address: Address
    electronic_address: ElectronicAddress | None
    notes: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactList(Page):
    items: list[ContactOut]


class ContactRef(Input):
    type: ContactKind
    id: int


class MergeIn(Input):
    contacts: list[ContactRef] = Field(min_length=2, max_length=50)
    target_contact: ContactRef


class MergeOut(Output):
    merge_id: int
    target: ContactOut
    merged_contact_ids: list[int]
    moved_document_ids: list[int]


_NOT_NULL = frozenset({"kind", "name", "emails", "address"})


def siren_address(siren: str) -> dict[str, str]:
    """The French reform's electronic address of a business: scheme 0225, its SIREN."""
    return ElectronicAddress(value=siren, scheme="0225").model_dump(mode="json")


def _derived_address(contact: Contact, previous_siren: str | None) -> None:
    """A company with a SIREN and no electronic address given gets 0225 + SIREN;
    one still holding the address derived from its former SIREN follows the new one."""
    if contact.kind != "company" or not contact.siren:
        return
    current = contact.electronic_address
    derived_before = previous_siren is not None and current == siren_address(previous_siren)
    if current is None or derived_before:
        contact.electronic_address = siren_address(contact.siren)


async def create_contact(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    body = await call.model(ContactIn)
    contact = Contact(
        partner_id=call.caller.partner_id, company_id=company.id, **body.model_dump(mode="json")
    )
    call.session.add(contact)
    await call.session.flush()
    await _contact_event(call, contact, "contact.created")
    return respond(ContactOut, contact, 201)


async def _contact_event(call: ApiCall, contact: Contact, event_type: str, **extra: object) -> None:
    shown = {**ContactOut.model_validate(contact).model_dump(mode="json"), **extra}
    await contact_event(
        call.session, contact.partner_id, contact.company_id, contact.id, event_type, shown
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_contacts(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    limit = page_limit(call.request)
    query = call.caller.scoped(Contact).where(
        Contact.company_id == company.id, Contact.merged_into_id.is_(None)
    )
    params = call.request.query_params
    if (text := params.get("q", "").strip()) != "":
        pattern = f"%{_escape_like(text.lower()[:200])}%"
        query = query.where(
            or_(
                func.lower(Contact.name).like(pattern, escape="\\"),
                Contact.siren.like(pattern, escape="\\"),
                Contact.siret.like(pattern, escape="\\"),
                func.lower(Contact.vat_id).like(pattern, escape="\\"),
                func.lower(cast(Contact.emails, String)).like(pattern, escape="\\"),
            )
        )
    if (kind := params.get("kind")) is not None:
        query = query.where(Contact.kind == kind)
    if (before := before_id(call.request)) is not None:
        query = query.where(Contact.id < before)
    rows = list(await call.session.scalars(query.order_by(Contact.id.desc()).limit(limit)))
    return respond(
        ContactList, {"items": rows, "next_cursor": next_cursor([r.id for r in rows], limit)}
    )


async def _live_contact(call: ApiCall, contact_id: int) -> Contact:
    contact = await call.caller.get(call.session, Contact, contact_id, "contact")
    if contact.merged_into_id is not None:
        raise Refusal(
            410,
            "contact_merged",
            "Contact merged",
            f"This contact was merged into contact {contact.merged_into_id}.",
            f"Ce contact a été fusionné dans le contact {contact.merged_into_id}.",
            extra={"merged_into_id": contact.merged_into_id},
        )
    return contact


async def get_contact(call: ApiCall) -> Response:
    return respond(ContactOut, await _live_contact(call, call.path_id()))


async def update_contact(call: ApiCall) -> Response:
    contact = await _live_contact(call, call.path_id())
    body = await call.model(ContactPatch)
    previous_siren = contact.siren
    changes = body.model_dump(mode="json", exclude_unset=True)
    for key, value in changes.items():
        if value is None and key in _NOT_NULL:
            continue
        setattr(contact, key, value)
    if "electronic_address" not in changes:
        _derived_address(contact, previous_siren)
    contact.updated_at = utcnow()
    await call.session.flush()
    await _contact_event(call, contact, "contact.updated")
    return respond(ContactOut, contact)


async def delete_contact(call: ApiCall) -> Response:
    contact = await _live_contact(call, call.path_id())
    used = await call.session.scalar(
        select(func.count()).select_from(DocumentRow).where(DocumentRow.contact_id == contact.id)
    )
    if used:
        raise Refusal(
            409,
            "contact_in_use",
            "Contact in use",
            f"{used} document(s) name this contact; merge it into another contact instead.",
            f"{used} document(s) nomment ce contact : fusionnez-le plutôt dans un autre contact.",
        )
    await call.session.delete(contact)
    return respond(Deleted, {"id": contact.id})


async def merge_contacts(call: ApiCall) -> Response:
    """Keep the target, move the others' documents to it, record the merge."""
    body = await call.model(MergeIn)
    ids = [ref.id for ref in body.contacts]
    if len(set(ids)) != len(ids):
        raise _merge_error("contacts", "merge_listed_twice")
    if body.target_contact.id not in ids:
        raise _merge_error("target_contact", "merge_target")
    contacts: list[Contact] = []
    for index, ref in enumerate(body.contacts):
        contact = await _live_contact(call, ref.id)
        if contact.kind != ref.type:
            raise _merge_error(f"contacts[{index}].type", "merge_type", kind=contact.kind)
        contacts.append(contact)
    target = next(c for c in contacts if c.id == body.target_contact.id)
    if target.kind != body.target_contact.type:
        raise _merge_error("target_contact.type", "merge_type", kind=target.kind)
    if any(c.company_id != target.company_id for c in contacts):
        raise _merge_error("contacts", "merge_companies")
    sources = [c.id for c in contacts if c.id != target.id]
    moved = list(
        await call.session.scalars(
            select(DocumentRow.id).where(
                DocumentRow.partner_id == call.caller.partner_id,
                DocumentRow.contact_id.in_(sources),
            )
        )
    )
    await call.session.execute(
        update(DocumentRow)
        .where(DocumentRow.partner_id == call.caller.partner_id, DocumentRow.id.in_(moved))
        .values(contact_id=target.id)
    )
    now = utcnow()
    for contact in contacts:
        if contact.id != target.id:
            contact.merged_into_id = target.id
            contact.updated_at = now
    record = ContactMerge(
        partner_id=call.caller.partner_id,
        company_id=target.company_id,
        target_id=target.id,
        source_ids=sources,
        moved_document_ids=sorted(moved),
    )
    call.session.add(record)
    await call.session.flush()
    await _contact_event(
        call,
        target,
        "contact.merged",
        merged_contact_ids=sources,
        moved_document_ids=sorted(moved),
    )
    return respond(
        MergeOut,
        {
            "merge_id": record.id,
            "target": target,
            "merged_contact_ids": sources,
            "moved_document_ids": sorted(moved),
        },
    )


def _merge_error(field: str, key: str, **values: object) -> Refusal:
    fr, en = field_message(key, **values)
    return Refusal(422, "merge_invalid", "Cannot merge", en, fr, errors=[(field, en, fr)])


OPERATIONS = (
    Operation(
        "POST",
        "/companies/{id:int}/contacts",
        create_contact,
        "Create a contact",
        ContactIn,
        ContactOut,
        201,
    ),
    Operation(
        "GET",
        "/companies/{id:int}/contacts",
        search_contacts,
        "List or search contacts (name, SIREN, SIRET, VAT id, email)",
        response=ContactList,
        query=(
            QueryParam("q", "Text to search"),
            QueryParam("kind", "person or company"),
            *PAGE_PARAMS,
        ),
    ),
    Operation(
        "POST", "/contacts/merge", merge_contacts, "Merge contacts into a target", MergeIn, MergeOut
    ),
    Operation("GET", "/contacts/{id:int}", get_contact, "Get a contact", response=ContactOut),
    Operation(
        "PATCH", "/contacts/{id:int}", update_contact, "Update a contact", ContactPatch, ContactOut
    ),
    Operation(
        "DELETE",
        "/contacts/{id:int}",
        delete_contact,
        "Delete a contact no document names",
        response=Deleted,
    ),
)
