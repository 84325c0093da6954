"""`POST /documents/drafts/from-work-order`: a field-service app's finished
work order becomes a draft invoice, with an editor URL to review it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints
from starlette.responses import Response

from invoicing.field_errors import FieldError
from invoicing.model import (
    Address,
    Document,
    DocumentKind,
    Line,
    Note,
    Percent,
    Quantity,
    UnitPrice,
    VatCategory,
)
from invoicing.text import Code, LongText, Text
from server.api.common import Email, ExternalRef, Input, Output, respond
from server.api.contacts import ContactKind, ContactOut, Siren, Siret, VatId
from server.api.documents.crud import with_company_defaults
from server.api.documents.views import DocumentOut, document_out
from server.api.editor.sessions import EditorSessionOut, OptionsIn, mint_editor_session
from server.api.operation import Operation
from server.api.work_orders.settings import load_settings
from server.caller import is_row_id
from server.db.catalogue import Contact, Product
from server.db.documents import DocumentRow
from server.db.integrations import ContactExternalRef
from server.db.tenants import Company, User
from server.documents.content import store_content
from server.endpoint import ApiCall
from server.problems import Problem, fields_to_correct
from server.webhooks.events import contact_event, document_event
from server.work_orders import (
    MINUTES_PER_UNIT,
    Attachment,
    billing_mode,
    description_line,
    description_note,
    product_line,
    skip_word_in,
    supporting_document,
    time_line,
)

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


def _invalid(errors: list[FieldError]) -> Problem:
    return Problem(
        422,
        "work_order_invalid",
        "The work order cannot become a draft",
        f"{fields_to_correct(len(errors))}; each error says what to do.",
        errors=errors,
    )


async def _product(
    call: ApiCall, company: Company, product_id: int, field: str, errors: list[FieldError]
) -> Product | None:
    product = None
    if is_row_id(product_id):
        product = await call.session.scalar(
            call.caller.scoped(Product).where(
                Product.id == product_id, Product.company_id == company.id
            )
        )
    if product is None:
        errors.append(
            FieldError(
                field,
                f"no product {product_id} in company {company.id}'s catalogue: create it with "
                f"POST /api/v1/companies/{company.id}/products or send another id",
            )
        )
    return product


async def _live(call: ApiCall, contact: Contact | None) -> Contact | None:
    """A merged contact stands for the one it was merged into."""
    for _hop in range(20):
        if contact is None or contact.merged_into_id is None:
            return contact
        contact = await call.session.get(Contact, contact.merged_into_id)
    return None


async def _customer(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[FieldError]
) -> tuple[Contact | None, bool]:
    customer = body.customer
    if isinstance(customer, CustomerById):
        contact = None
        if is_row_id(customer.id):
            contact = await call.session.scalar(
                call.caller.scoped(Contact).where(
                    Contact.id == customer.id, Contact.company_id == company.id
                )
            )
        contact = await _live(call, contact)
        if contact is None:
            errors.append(
                FieldError(
                    "customer.id",
                    f"no contact {customer.id} in company {company.id}: use one of its contacts, "
                    "or send `customer.external_ref` with the customer's name to create it",
                )
            )
        return contact, False
    ref = await call.session.scalar(
        call.caller.scoped(ContactExternalRef).where(
            ContactExternalRef.company_id == company.id,
            ContactExternalRef.external_ref == customer.external_ref,
        )
    )
    if ref is not None:
        contact = await _live(call, await call.session.get(Contact, ref.contact_id))
        if contact is not None:
            return contact, False
    if customer.name is None:
        errors.append(
            FieldError(
                "customer.external_ref",
                f"no contact of company {company.id} has the external reference "
                f"{customer.external_ref!r}: send `customer.name` (and `kind`) to create it, or "
                "use `customer.id`",
            )
        )
        return None, False
    if errors:
        return None, False  # create nothing while the work order is refused anyway
    contact = Contact(
        partner_id=call.caller.partner_id,
        company_id=company.id,
        **customer.model_dump(mode="json", include={"kind", "name", "siren", "siret", "vat_id"}),
        emails=list(customer.emails),
        address=customer.address.model_dump(mode="json", exclude_none=True),
    )
    call.session.add(contact)
    await call.session.flush()
    if ref is not None:
        ref.contact_id = contact.id
    else:
        call.session.add(
            ContactExternalRef(
                partner_id=call.caller.partner_id,
                company_id=company.id,
                contact_id=contact.id,
                external_ref=customer.external_ref,
            )
        )
    shown = ContactOut.model_validate(contact).model_dump(mode="json")
    await contact_event(
        call.session, contact.partner_id, company.id, contact.id, "contact.created", shown
    )
    return contact, True


async def _time_lines(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[FieldError]
) -> list[Line]:
    if not body.time_entries:
        return []
    if body.time_product_id is None:
        errors.append(
            FieldError(
                "time_product_id",
                "time entries need the product the time is sold as: send time_product_id "
                "(a product whose unit is HUR, per hour, or MIN, per minute)",
            )
        )
        return []
    product = await _product(call, company, body.time_product_id, "time_product_id", errors)
    if product is None:
        return []
    if product.unit not in MINUTES_PER_UNIT:
        errors.append(
            FieldError(
                "time_product_id",
                f"product {product.id} ({product.name}) is sold per {product.unit}: time "
                "entries need a product sold per hour (HUR) or minute (MIN); change its unit "
                "or send another product",
            )
        )
        return []
    return [
        time_line(product, entry.minutes, entry.date, entry.description)
        for entry in body.time_entries
    ]


async def _item_lines(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[FieldError]
) -> list[Line]:
    lines = []
    for index, item in enumerate(body.items):
        field = f"items[{index}]"
        if item.product_id is not None:
            product = await _product(call, company, item.product_id, f"{field}.product_id", errors)
            if product is None:
                continue
            line = product_line(product, item.quantity)
        elif item.name is None or item.unit_price is None:
            errors.append(
                FieldError(
                    field, "give a product_id, or a name and a unit_price for an unlisted item"
                )
            )
            continue
        else:
            line = Line(name=item.name, quantity=item.quantity, net_price=item.unit_price)
        overrides: dict[str, Any] = {
            "unit": item.unit,
            "net_price": item.unit_price,
            "vat_category": item.vat_category,
            "vat_rate": item.vat_rate,
        }
        lines.append(line.model_copy(update={k: v for k, v in overrides.items() if v is not None}))
    return lines


async def _default_line(
    call: ApiCall,
    company: Company,
    body: WorkOrderIn,
    product_name: str | None,
    errors: list[FieldError],
    warnings: list[str],
) -> list[Line]:
    if body.default_product_id is not None:
        product = await _product(
            call, company, body.default_product_id, "default_product_id", errors
        )
        return [product_line(product, quantity=Decimal(1))] if product else []
    if product_name is None:
        return []
    product = await call.session.scalar(
        call.caller.scoped(Product)
        .where(Product.company_id == company.id, Product.name == product_name)
        .order_by(Product.id)
        .limit(1)
    )
    if product is None:
        warnings.append(
            f"The default product {product_name!r} (work-order setting) is not in company "
            f"{company.id}'s catalogue, so no default line was added: create it, or send "
            "default_product_id."
        )
        return []
    return [product_line(product, quantity=Decimal(1))]


async def _reviewer(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[FieldError]
) -> User | None:
    if body.user_id is None:
        return await call.session.scalar(
            call.caller.scoped(User).where(User.company_id == company.id).order_by(User.id)
        )
    user = None
    if is_row_id(body.user_id):
        user = await call.session.scalar(
            call.caller.scoped(User).where(User.id == body.user_id, User.company_id == company.id)
        )
    if user is None:
        errors.append(
            FieldError(
                "user_id",
                f"no user {body.user_id} in company {company.id}: omit it to "
                "use the company's first user",
            )
        )
    return user


def _editor(
    call: ApiCall,
    company: Company,
    user: User | None,
    body: WorkOrderIn,
    row: DocumentRow,
    warnings: list[str],
) -> EditorSessionOut | None:
    origins = call.caller.partner.origins
    origin = body.parent_origin or (origins[0] if origins else None)
    if user is None or origin is None:
        warnings.append(
            f"No editor URL: company {company.id} has no user yet "
            f"(POST /api/v1/companies/{company.id}/users)"
            if user is None
            else "No editor URL: the partner has no registered origin"
        )
        return None
    return mint_editor_session(
        call,
        company_id=company.id,
        user_id=user.id,
        document_id=row.id,
        new_kind=None,
        parent_origin=origin,
        options=OptionsIn(),
    )


async def draft_from_work_order(call: ApiCall) -> Response:
    body = await call.model(WorkOrderIn)
    company = await call.caller.company(call.session, body.company_id)
    settings = await load_settings(call.session, call.caller.partner_id)
    matched = skip_word_in(
        [body.description, body.reference or "", *body.notes], settings.skip_words
    )
    if matched is not None:
        return respond(
            WorkOrderOut,
            {
                "status": "skipped",
                "matched_word": matched,
                "skipped_because": f"The work order mentions {matched!r}, one of your skip words "
                "(work-order settings): no draft was created. Remove the word from the skip "
                "words to invoice such work orders.",
            },
        )
    errors: list[FieldError] = []
    warnings: list[str] = []
    default = await _default_line(
        call, company, body, settings.default_product_name, errors, warnings
    )
    time_lines = await _time_lines(call, company, body, errors)
    item_lines = await _item_lines(call, company, body, errors)
    attachments = [
        supporting_document(
            index,
            Attachment(a.filename, a.mime_code, a.content_base64, a.uri, a.description),
            f"attachments[{index}]",
        )
        for index, a in enumerate(body.attachments)
    ]
    for index, attachment in enumerate(body.attachments):
        if attachment.content_base64 is None and attachment.uri is None:
            errors.append(FieldError(f"attachments[{index}]", "send content_base64 or a uri"))
    errors += [a for a in attachments if isinstance(a, FieldError)]
    reviewer = await _reviewer(call, company, body, errors)
    contact, created = await _customer(call, company, body, errors)
    if errors or contact is None:
        raise _invalid(errors)
    lines = [*default, *time_lines, *item_lines]
    if settings.description_as == "line":
        lines.insert(0, description_line(body.description))
    document = with_company_defaults(
        Document(kind=DocumentKind.INVOICE), company, contact
    ).model_copy(
        update={
            "lines": lines,
            "buyer_reference": body.customer_reference,
            "sales_order_reference": body.reference,
            "business_process": body.business_process
            or billing_mode(bool(time_lines or default), bool(item_lines)),
            "supporting_documents": [a for a in attachments if not isinstance(a, FieldError)],
        }
    )
    notes = list(document.notes) + [Note(text=text) for text in body.notes]
    if settings.description_as == "note":
        notes.insert(0, description_note(body.description))
    document = Document.model_validate({**document.model_dump(), "notes": notes})
    row = DocumentRow(
        partner_id=call.caller.partner_id,
        company_id=company.id,
        contact_id=contact.id,
        status="draft",
    )
    store_content(row, document)
    call.session.add(row)
    await call.session.flush()
    await document_event(call.session, row, "document.created")
    editor = _editor(call, company, reviewer, body, row, warnings)
    return respond(
        WorkOrderOut,
        {
            "status": "created",
            "document": document_out(row),
            "editor": editor,
            "customer_created": created,
            "warnings": warnings,
        },
        201,
    )


OPERATIONS = (
    Operation(
        "POST",
        "/documents/drafts/from-work-order",
        draft_from_work_order,
        "Draft an invoice from a finished work order (200 `skipped` when a skip word matches)",
        WorkOrderIn,
        WorkOrderOut,
        201,
    ),
)
