"""Documents: create, read, update and delete drafts; list with filters.

The body of a create or update is the `invoicing.model.Document` JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import Response

from invoicing.legal_notes import company_notes_for
from invoicing.model import (
    Address,
    ContactPoint,
    Document,
    DocumentKind,
    ElectronicAddress,
    Note,
    Party,
    PaymentTerm,
)
from invoicing.totals import Totals
from server.api.common import Deleted, respond
from server.api.documents.body import DocumentBody, document_body, prepare_document
from server.api.documents.company_defaults import (
    REMEMBERED,
    UNCHANGED,
    CompanyDefaults,
    Seen,
    unchanged_parameters,
)
from server.api.documents.listing import page_json, page_summaries
from server.api.documents.views import DocumentList, DocumentOut, document_json, document_out
from server.api.operation import Operation, QueryParam
from server.api.pagination import PAGE_PARAMS, before_id, next_cursor, page_limit
from server.caller import Caller, is_row_id
from server.db.base import utcnow
from server.db.catalogue import Contact
from server.db.documents import DocumentRow
from server.db.new_rows import insert_new_if_in, insert_new_in
from server.db.tenants import Company, User
from server.documents.content import keep_shown, load_content, store_content
from server.documents.credit_notes.issue import ensure_scope_kept
from server.documents.locks import lock_company
from server.documents.payments import paris_today
from server.documents.status import ensure_editable
from server.endpoint import ApiCall
from server.field_messages import refused_field
from server.http_json import model_response
from server.problems import invalid_parameter, not_found
from server.webhooks.events import document_event, document_event_in


async def _optional_ref(call: ApiCall, name: str) -> int | None:
    text = call.request.query_params.get(name)
    if text is None:
        return None
    if not text.isdigit() or len(text) > 10 or not is_row_id(int(text)):
        raise invalid_parameter("id", name)
    return int(text)


def buyer_from_contact(contact: Contact) -> Party:
    electronic_address = None
    if contact.electronic_address:
        electronic_address = ElectronicAddress.model_validate(contact.electronic_address)
    elif contact.kind == "company" and contact.siren:
        electronic_address = ElectronicAddress(value=contact.siren, scheme="0225")
    return Party(
        name=contact.name,
        siren=contact.siren,
        siret=contact.siret,
        vat_id=contact.vat_id,
        address=Address.model_validate(contact.address),
        electronic_address=electronic_address,
        contact=ContactPoint(email=contact.emails[0]) if contact.emails else None,
        private_person=contact.kind == "person",
    )


def default_payment_term(
    document: Document, company: Company | CompanyDefaults
) -> PaymentTerm | None:
    """The company's default payment terms, for a document stating no due date."""
    if document.due_date is not None or document.payment_term is not None:
        return None
    if not company.payment_term or document.kind is DocumentKind.QUOTE:
        return None
    return PaymentTerm.model_validate(company.payment_term)


# The fields `with_company_defaults` may fill: none is one the totals are computed from
# (`invoicing.totals.READS`, checked by tests/server/test_documents.py).
COMPANY_DEFAULTS = ("seller", "notes", "payment_terms", "payment_term", "buyer")


def company_legal_notes(company: Company | CompanyDefaults) -> list[Note]:
    return [Note.model_validate(note) for note in company.legal_notes]


def with_company_defaults(
    document: Document, company: Company | CompanyDefaults, contact: Contact | None
) -> Document:
    """Fill what the user has not typed (`COMPANY_DEFAULTS`) from the company and the contact."""
    updates: dict[str, Any] = {}
    if document.seller.name is None and company.seller:
        updates["seller"] = Party.model_validate(company.seller)
    if document.payment_terms is None and company.payment_terms:
        updates["payment_terms"] = company.payment_terms
    if (term := default_payment_term(document, company)) is not None:
        updates["payment_term"] = term
    if contact is not None and document.buyer.name is None:
        updates["buyer"] = buyer_from_contact(contact)
    if not document.notes and company.legal_notes:
        buyer = updates.get("buyer", document.buyer)
        updates["notes"] = company_notes_for(buyer, company_legal_notes(company))
    return document.model_copy(update=updates) if updates else document


async def _links(
    call: ApiCall, company: Company | CompanyDefaults
) -> tuple[Contact | None, User | None]:
    contact_id = await _optional_ref(call, "contact_id")
    user_id = await _optional_ref(call, "user_id")
    contact = user = None
    if contact_id is not None:
        contact = await call.caller.get(call.session, Contact, contact_id, "contact")
        if contact.company_id != company.id or contact.merged_into_id is not None:
            raise refused_field("contact_id", "no_such_contact")
    if user_id is not None:
        user = await call.caller.get(call.session, User, user_id, "user")
        if user.company_id != company.id:
            raise refused_field("user_id", "no_such_user")
    return contact, user


async def create_document(call: ApiCall) -> Response:
    company_id = call.path_id()
    guessed = REMEMBERED.guess(call.caller, company_id)
    if guessed is not None and (ahead := _draft(call, guessed.defaults)) is not None:
        shown = await call.session.run_sync(_write_if_unchanged, ahead, call.caller, guessed)
        if shown is not None:
            return Response(shown.encode(), 201, media_type="application/json")
    # Nothing remembered, links to read, or a company changed since: built inside.
    company = (await REMEMBERED.read(call.session, call.caller, company_id, guessed)).defaults
    document, totals = document_body(call)
    contact, user = await _links(call, company)
    row = _new_draft(call, company, contact, user, document, totals)
    shown = await call.session.run_sync(_write_new_draft, row)
    return Response(shown.encode(), 201, media_type="application/json")


def _write_if_unchanged(
    session: Session, row: DocumentRow, caller: Caller, seen: Seen
) -> str | None:
    """The draft built ahead and its event, if its company's defaults are still those
    it was built from (checked by the INSERT itself); None, nothing written, else."""
    condition = UNCHANGED[caller.key_company_id is not None]
    if not insert_new_if_in(session, row, condition, unchanged_parameters(caller, seen)):
        return None
    return _draft_written(session, row)


def _draft(call: ApiCall, company: CompanyDefaults) -> DocumentRow | None:
    """The draft, built before the transaction's first statement from the company's
    defaults read last, if it can be built without the database: a body that is not
    refused, and no contact or user to read."""
    prepared = call.prepared
    assert isinstance(prepared, DocumentBody)
    if prepared.document is None or prepared.totals is None or prepared.beyond is not None:
        return None
    params = call.request.query_params
    if prepared.document.number is not None or "contact_id" in params or "user_id" in params:
        return None
    try:
        return _new_draft(call, company, None, None, prepared.document, prepared.totals)
    except Exception:  # raised again in the transaction, where it always was
        return None


def _new_draft(
    call: ApiCall,
    company: CompanyDefaults,
    contact: Contact | None,
    user: User | None,
    document: Document,
    totals: Totals,
) -> DocumentRow:
    document = with_company_defaults(document, company, contact)  # totals kept: no READS
    row = DocumentRow(
        partner_id=call.caller.partner_id,
        company_id=company.id,
        contact_id=contact.id if contact else None,
        user_id=user.id if user else None,
        status="draft",
    )
    store_content(row, document, totals)
    keep_shown(row, document)
    return row


def _write_new_draft(session: Session, row: DocumentRow) -> str:
    """The draft and its `document.created` event, in one trip into the session's
    greenlet: the draft's JSON, as answered and sent."""
    insert_new_in(session, row)
    return _draft_written(session, row)


def _draft_written(session: Session, row: DocumentRow) -> str:
    """The `document.created` event of a draft just written: its JSON."""
    shown = document_json(row)
    document_event_in(session, row, "document.created", shown)
    return shown


async def load_document(call: ApiCall, lock: bool = False) -> DocumentRow:
    """The caller's document; `lock`: its company's row, then its own (the one order
    of locks: server/documents/locks.py)."""
    row = await call.caller.get(call.session, DocumentRow, call.path_id(), "document")
    if not lock:
        return row
    await lock_company(call.session, row.company_id)
    await call.session.refresh(row, with_for_update=True)  # read again under the lock
    return row


async def get_document(call: ApiCall) -> Response:
    row = await load_document(call)
    today = paris_today(call.services.clock())
    return model_response(document_out(row, today))


async def replace_document(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    ensure_editable(row)
    current = load_content(row)
    document, totals = document_body(call, current.number)
    if document.kind.value != row.kind:
        raise refused_field("kind", "kind_kept")
    ensure_scope_kept(row, current, document)
    company = await call.caller.company(call.session, row.company_id)
    contact, user = await _links(call, company)
    if contact is not None:
        row.contact_id = contact.id
    if user is not None:
        row.user_id = user.id
    store_content(row, document, totals)
    keep_shown(row, document)
    row.updated_at = utcnow()
    await call.session.flush()
    shown = document_json(row)
    await document_event(call.session, row, "document.saved", shown)
    return Response(shown.encode(), media_type="application/json")


async def delete_document(call: ApiCall) -> Response:
    row = await load_document(call, lock=True)
    from server.documents.derived import delete  # derived drafts use this module's defaults

    await delete(call.session, row)
    return respond(Deleted, {"id": row.id})


def _date_param(call: ApiCall, name: str) -> dt.date | None:
    text = call.request.query_params.get(name)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise invalid_parameter("date", name) from None


async def list_documents(call: ApiCall) -> Response:
    company_id = call.path_id()
    if not is_row_id(company_id):
        raise not_found("company")
    limit = page_limit(call.request)
    params = call.request.query_params
    filters: dict[str, Any] = {name: params.get(name) for name in ("kind", "status", "number")}
    filters["contact_id"] = await _optional_ref(call, "contact_id")
    filters["issued_from"] = _date_param(call, "issued_from")
    filters["issued_to"] = _date_param(call, "issued_to")
    filters["before"] = before_id(call.request)
    today = paris_today(call.services.clock())
    items, ids = await page_summaries(call.session, call.caller, company_id, filters, limit, today)
    if not ids:  # a caller's document is in a company of its own: else, is the company?
        await call.caller.company(call.session, company_id)
    page = {"items": items, "next_cursor": next_cursor(ids, limit)}
    return Response(page_json(page), media_type="application/json")  # as DocumentList


_ID_PARAMS = (
    QueryParam("contact_id", "Link to this contact (its identity fills an empty buyer)", "integer"),
    QueryParam("user_id", "The user creating it", "integer"),
)

OPERATIONS = (
    Operation(
        "POST",
        "/companies/{id:int}/documents",
        create_document,
        "Create a draft (body: the Document JSON)",
        Document,
        DocumentOut,
        201,
        query=_ID_PARAMS,
        prepare=prepare_document,
    ),
    Operation(
        "GET",
        "/companies/{id:int}/documents",
        list_documents,
        "List documents, newest first",
        response=DocumentList,
        query=(
            QueryParam("kind", "invoice, credit_note, deposit_invoice or quote"),
            QueryParam(
                "status",
                "draft, finalized, sent, partially_paid, paid, cancelled, accepted or refused",
            ),
            QueryParam("number", "Exact number"),
            QueryParam("contact_id", "Documents of this contact", "integer"),
            QueryParam("issued_from", "Issue date on or after (YYYY-MM-DD)"),
            QueryParam("issued_to", "Issue date on or before (YYYY-MM-DD)"),
            *PAGE_PARAMS,
        ),
    ),
    Operation("GET", "/documents/{id:int}", get_document, "Get a document", response=DocumentOut),
    Operation(
        "PUT",
        "/documents/{id:int}",
        replace_document,
        "Replace a draft's content (body: the Document JSON)",
        Document,
        DocumentOut,
        query=_ID_PARAMS,
        prepare=prepare_document,
    ),
    Operation(
        "DELETE",
        "/documents/{id:int}",
        delete_document,
        "Delete a draft or a quote (never a finalized invoice)",
        response=Deleted,
    ),
)
