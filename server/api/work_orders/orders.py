"""`POST /documents/drafts/from-work-order`: a field-service app's finished
work order becomes a draft invoice, with an editor URL to review it."""

from __future__ import annotations

from starlette.responses import Response

from invoicing.model import (
    Document,
    DocumentKind,
    Note,
)
from server.api.common import respond
from server.api.contacts import ContactOut
from server.api.documents.crud import with_company_defaults
from server.api.documents.views import document_out
from server.api.editor.sessions import EditorSessionOut, OptionsIn, mint_editor_session
from server.api.operation import Operation
from server.api.work_orders.body import (
    CustomerById,
    WorkOrderIn,
    WorkOrderOut,
)
from server.api.work_orders.order_lines import default_line, time_entry_lines, used_item_lines
from server.api.work_orders.settings import load_settings
from server.caller import is_row_id
from server.db.catalogue import Contact
from server.db.documents import DocumentRow
from server.db.integrations import ContactExternalRef
from server.db.tenants import Company, User
from server.documents.content import store_content
from server.endpoint import ApiCall
from server.field_messages import SaidError, said_error
from server.problems import Refusal, fields_to_correct
from server.webhooks.events import contact_event, document_event
from server.work_orders import (
    Attachment,
    billing_mode,
    description_line,
    description_note,
    skip_word_in,
    supporting_document,
)


def _invalid(errors: list[SaidError]) -> Refusal:
    return Refusal(
        422,
        "work_order_invalid",
        "The work order cannot become a draft",
        f"{fields_to_correct(len(errors))}; each error says what to do.",
        f"{fields_to_correct(len(errors), 'fr')} ; chaque erreur dit quoi faire.",
        errors=errors,
    )


async def _live(call: ApiCall, contact: Contact | None) -> Contact | None:
    """A merged contact stands for the one it was merged into."""
    for _hop in range(20):
        if contact is None or contact.merged_into_id is None:
            return contact
        contact = await call.session.get(Contact, contact.merged_into_id)
    return None


async def _customer(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[SaidError]
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
            errors.append(said_error("customer.id", "work_order_contact"))
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
        errors.append(said_error("customer.external_ref", "work_order_external_ref"))
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


async def _reviewer(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[SaidError]
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
        errors.append(said_error("user_id", "work_order_user"))
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
    errors: list[SaidError] = []
    warnings: list[str] = []
    default = await default_line(
        call, company, body, settings.default_product_name, errors, warnings
    )
    time_lines = await time_entry_lines(call, company, body, errors)
    item_lines = await used_item_lines(call, company, body, errors)
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
            errors.append(said_error(f"attachments[{index}]", "attachment_content"))
    errors += [a for a in attachments if isinstance(a, tuple)]
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
            "supporting_documents": [a for a in attachments if not isinstance(a, tuple)],
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
