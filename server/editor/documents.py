"""The editor's documents on the service's storage: drafts and what happens to them.

Each function runs in the caller's transaction and is scoped by the editor
session (partner and company): an id of another tenant is `NotFound`. The
editor's working copy lives in `editor_drafts` (see server/db/editor_drafts.py);
`documents.content` changes only when the user saves (and at finalization),
so the REST API always shows a valid, saved document.

Every write to a document takes its row lock first (as the REST API does), so
the compare-and-set on the draft's patch number and the "still in step with
the document" check see a stable document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Update, bindparam, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from editor.backend import (
    ActionRefused,
    DocumentStatus,
    Draft,
    DraftConflict,
    EditorSession,
    NotFound,
)
from editor.numbers import with_numbers_read
from invoicing.model import Document, DocumentKind
from invoicing.rules.drafts import parse_draft
from server.api.documents.crud import with_company_defaults
from server.db.base import utcnow
from server.db.documents import DocumentRow
from server.db.editor_drafts import EditorDraft
from server.db.tenants import Company
from server.documents import deposits, derived
from server.documents.content import load_content, store_content
from server.documents.credit_notes.issue import ensure_scope_kept
from server.documents.credit_notes.scope import CreditNoteIn
from server.documents.payments import record_payment
from server.documents.status import Status
from server.webhooks.events import document_event

STATUSES: dict[str, DocumentStatus] = {
    "draft": "draft",
    "finalized": "finalized",
    "sent": "sent",
    "partially_paid": "partially_paid",
    "paid": "paid",
    "cancelled": "cancelled",
    "accepted": "accepted",
    "refused": "refused",
}


def content_json(document: Document) -> dict[str, Any]:
    # Every field, nulls included: a null VAT rate must not read back as a default.
    content: dict[str, Any] = document.model_dump(mode="json")
    return content


def issued() -> ActionRefused:
    return ActionRefused("document_finalized", "this document is issued: it cannot change")


async def company_of(db: AsyncSession, session: EditorSession) -> Company:
    company = await db.scalar(
        select(Company).where(
            Company.id == session.company_id, Company.partner_id == session.partner_id
        )
    )
    if company is None:
        raise NotFound()
    return company


async def document_of(
    db: AsyncSession, session: EditorSession, document_id: int, *, lock: bool = False
) -> DocumentRow:
    query = select(DocumentRow).where(
        DocumentRow.id == document_id,
        DocumentRow.company_id == session.company_id,
        DocumentRow.partner_id == session.partner_id,
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = await db.scalar(query)
    if row is None:
        raise NotFound()
    return row


async def _draft_row(db: AsyncSession, document_id: int) -> EditorDraft | None:
    return await db.scalar(
        select(EditorDraft)
        .where(EditorDraft.document_id == document_id)
        .execution_options(populate_existing=True)
    )


async def _with_deposits(
    db: AsyncSession, row: DocumentRow, draft: Draft, document: Document | None = None
) -> Draft:
    """A draft invoice says whether it has deposits of its customer to deduct, the
    customer of its working copy (one query, at open and save; then the editor
    follows the form's: editor.live.draft)."""
    if row.kind != DocumentKind.INVOICE.value or row.status != Status.DRAFT:
        return draft
    content = document or parse_draft(draft.content)[0]
    found = await deposits.deductible_deposits(
        db, row, content, contact_id=draft.contact_id, limit=1
    )
    return replace(draft, deposits_to_deduct=bool(found))


def _draft(
    row: DocumentRow, content: dict[str, Any], seq: int, contact: int | None, saved: bool
) -> Draft:
    return Draft(
        document_id=row.id,
        kind=DocumentKind(row.kind),
        status=STATUSES[row.status],
        number=row.number,
        content=content,
        seq=seq,
        contact_id=contact,
        saved=saved,
    )


def new_content(company: Company, kind: DocumentKind) -> dict[str, Any]:
    """A new document prefilled as the REST API prefills one (seller, legal notes, terms)."""
    return content_json(with_company_defaults(Document(kind=kind), company, None))


async def _session_document_id(db: AsyncSession, session: EditorSession) -> int | None:
    """The document a new-document session has stored already, if any."""
    found = await db.scalar(
        select(EditorDraft.document_id).where(
            EditorDraft.session_key == session.key,
            EditorDraft.company_id == session.company_id,
            EditorDraft.partner_id == session.partner_id,
        )
    )
    return found


async def open_draft(db: AsyncSession, session: EditorSession, document_id: int | None) -> Draft:
    target = document_id or session.document_id or await _session_document_id(db, session)
    if target is None:
        company = await company_of(db, session)
        kind = DocumentKind(session.new_kind or DocumentKind.INVOICE)
        return Draft(
            document_id=None,
            kind=kind,
            status="draft",
            number=None,
            content=new_content(company, kind),
            seq=0,
            contact_id=None,
            saved=False,
        )
    return await current_draft(db, await document_of(db, session, target))


async def current_draft(db: AsyncSession, row: DocumentRow) -> Draft:
    """The editor's view of `row`: its working copy when in step with the document."""
    stored = await _draft_row(db, row.id)
    if stored is None:  # never opened in the editor: created by the REST API, saved
        document = load_content(row)
        made = _draft(row, content_json(document), 0, row.contact_id, True)
        return await _with_deposits(db, row, made, document)
    if row.status != Status.DRAFT:
        return _draft(row, content_json(load_content(row)), stored.seq, stored.contact_id, True)
    if stored.synced_at != row.updated_at:
        # Changed elsewhere (the REST API) since the editor last wrote: the
        # document wins, and a new patch number makes every tab reload it.
        stored.content = content_json(load_content(row))
        stored.seq += 1
        stored.contact_id = row.contact_id
        stored.saved = True
        stored.synced_at = row.updated_at
        stored.updated_at = utcnow()
        await db.flush()
    made = _draft(row, dict(stored.content), stored.seq, stored.contact_id, stored.saved)
    return await _with_deposits(db, row, made)


async def _create(
    db: AsyncSession, session: EditorSession, draft: Draft, document: Document
) -> tuple[DocumentRow, EditorDraft]:
    now = utcnow()
    row = DocumentRow(
        partner_id=session.partner_id,
        company_id=session.company_id,
        contact_id=draft.contact_id,
        user_id=session.user_id,
        status=Status.DRAFT,
        created_at=now,
        updated_at=now,
    )
    store_content(row, document)
    db.add(row)
    await db.flush()
    stored = EditorDraft(
        partner_id=session.partner_id,
        company_id=session.company_id,
        document_id=row.id,
        session_key=session.key,
        content=dict(draft.content),
        seq=draft.seq,
        contact_id=draft.contact_id,
        saved=False,
        synced_at=now,
        updated_at=now,
    )
    db.add(stored)
    await db.flush()
    await document_event(db, row, "document.created")
    return row, stored


def parsed(draft: Draft, session: EditorSession) -> Document:
    """The draft as a document, values the model refuses left out (never raises)."""
    document, _ = parse_draft(with_numbers_read(draft.content, session.options.locale))
    return document


async def _editable(
    db: AsyncSession, session: EditorSession, draft: Draft
) -> tuple[DocumentRow, EditorDraft | None] | None:
    """The stored draft's rows, locked; None when the session has stored none yet."""
    document_id = draft.document_id or await _session_document_id(db, session)
    if document_id is None:
        return None
    row = await document_of(db, session, document_id, lock=True)
    if row.status != Status.DRAFT:
        raise issued()
    return row, await _draft_row(db, row.id)


@cache
def _compare_and_set_statement() -> Update:
    """Store a draft if its patch number is still the expected one, the document
    still a draft of this tenant, and not changed elsewhere since. Built once: an
    autosave runs it every few seconds per open draft."""
    drafts, documents = EditorDraft.__table__.c, DocumentRow.__table__.c
    in_step = exists().where(
        documents.id == drafts.document_id,
        documents.status == Status.DRAFT,
        documents.updated_at == drafts.synced_at,
    )
    return (
        update(EditorDraft)
        .where(
            drafts.document_id == bindparam("for_document_id"),
            drafts.partner_id == bindparam("for_partner_id"),
            drafts.company_id == bindparam("for_company_id"),
            drafts.seq == bindparam("expected_seq"),
            in_step,
        )
        .values(
            content=bindparam("new_content", type_=drafts.content.type),
            seq=bindparam("new_seq"),
            contact_id=bindparam("new_contact_id"),
            updated_at=bindparam("new_updated_at", type_=drafts.updated_at.type),
        )
    )


async def _compare_and_set(
    db: AsyncSession, session: EditorSession, document_id: int, draft: Draft, expected_seq: int
) -> bool:
    """One statement: the draft stored if still in step (see the statement)."""
    connection = await db.connection()
    result = await connection.execute(
        _compare_and_set_statement(),
        {
            "for_document_id": document_id,
            "for_partner_id": session.partner_id,
            "for_company_id": session.company_id,
            "expected_seq": expected_seq,
            "new_content": dict(draft.content),
            "new_seq": draft.seq,
            "new_contact_id": draft.contact_id,
            "new_updated_at": utcnow(),
        },
    )
    return result.rowcount == 1


async def store_drafts(
    db: AsyncSession, saves: Sequence[tuple[EditorSession, Draft, int]]
) -> list[bool]:
    """The compare-and-set of several stored drafts (session, draft, expected patch
    number) in the caller's transaction: which of them were stored."""
    stored = []
    for session, draft, expected_seq in saves:
        if draft.document_id is None:
            raise ValueError("a draft not stored yet is saved with save_draft")
        stored.append(await _compare_and_set(db, session, draft.document_id, draft, expected_seq))
    return stored


async def save_draft(
    db: AsyncSession, session: EditorSession, draft: Draft, expected_seq: int
) -> Draft:
    """Autosave: a compare-and-set on the patch number; the document is untouched.

    A concurrent REST change that slips between this statement's snapshot and
    its write is still seen: its `updated_at` differs from `synced_at`, so the
    next autosave is refused and the next open takes the document's content."""
    if draft.document_id is not None and await _compare_and_set(
        db, session, draft.document_id, draft, expected_seq
    ):
        return replace(draft, status="draft")
    # Not stored yet, or refused: find out which, under the document's lock.
    found = await _editable(db, session, draft)
    if found is None:
        if expected_seq != 0:
            raise DraftConflict()
        row, created = await _create(db, session, draft, parsed(draft, session))
        return _draft(row, dict(created.content), created.seq, created.contact_id, False)
    row, stored = found
    if stored is not None:
        if not await _compare_and_set(db, session, row.id, draft, expected_seq):
            raise DraftConflict()
        return _draft(row, dict(draft.content), draft.seq, draft.contact_id, stored.saved)
    if expected_seq != 0:  # a REST document opened in the editor for the first time
        raise DraftConflict()
    db.add(
        EditorDraft(
            partner_id=row.partner_id,
            company_id=row.company_id,
            document_id=row.id,
            content=dict(draft.content),
            seq=draft.seq,
            contact_id=draft.contact_id,
            saved=True,
            synced_at=row.updated_at,
        )
    )
    await db.flush()
    return _draft(row, dict(draft.content), draft.seq, draft.contact_id, True)


async def save_document(
    db: AsyncSession, session: EditorSession, draft: Draft, document: Document
) -> Draft:
    """The user's "save": the parsed draft becomes the document's content."""
    found = await _editable(db, session, draft)
    if found is None:
        row, stored = await _create(db, session, draft, document)
    else:
        row, existing = found
        if document.kind.value != row.kind:
            raise ActionRefused("kind_changed", f"this draft is a {row.kind}")
        ensure_scope_kept(row, load_content(row), document)
        stored = existing or EditorDraft(
            partner_id=row.partner_id, company_id=row.company_id, document_id=row.id
        )
        if existing is None:
            db.add(stored)
    now = utcnow()
    store_content(row, document)
    row.contact_id = draft.contact_id
    row.updated_at = now
    stored.content = dict(draft.content)
    stored.seq = draft.seq
    stored.contact_id = draft.contact_id
    stored.saved = True
    stored.synced_at = now
    stored.updated_at = now
    await db.flush()
    await document_event(db, row, "document.saved")
    made = _draft(row, dict(draft.content), draft.seq, draft.contact_id, True)
    return await _with_deposits(db, row, made, document)


async def finalized_draft(db: AsyncSession, session: EditorSession, document_id: int) -> Draft:
    """The editor's view of a document just finalized (server.documents.finalize)."""
    return await current_draft(db, await document_of(db, session, document_id))


async def mark_paid(
    db: AsyncSession, session: EditorSession, document_id: int, paid_on: dt.date
) -> Draft:
    """The whole balance paid on `paid_on` (server/documents/payments.py)."""
    row = await document_of(db, session, document_id, lock=True)
    document = load_content(row)
    means = document.payment_means[0].code if document.payment_means else "58"
    await record_payment(
        db, row, amount=None, paid_on=paid_on, means_code=means, reference=None, now=utcnow()
    )
    await document_event(db, row, "document.payment_recorded")
    if row.status == Status.PAID:
        await document_event(db, row, "document.paid")
    return await current_draft(db, row)


async def _opened(db: AsyncSession, row: DocumentRow) -> Draft:
    """The editor's working copy of `row`, a draft just made from another document."""
    now = row.updated_at
    content = content_json(load_content(row))
    db.add(
        EditorDraft(
            partner_id=row.partner_id,
            company_id=row.company_id,
            document_id=row.id,
            content=content,
            seq=0,
            contact_id=row.contact_id,
            saved=False,
            synced_at=now,
            updated_at=now,
        )
    )
    await db.flush()
    await document_event(db, row, "document.created")
    return _draft(row, content, 0, row.contact_id, False)


async def convert_quote(db: AsyncSession, session: EditorSession, document_id: int) -> Draft:
    source = await document_of(db, session, document_id, lock=True)
    company = await company_of(db, session)
    return await _opened(db, await derived.convert_quote(db, source, company, utcnow()))


async def create_credit_note(
    db: AsyncSession,
    session: EditorSession,
    document_id: int,
    lines: Sequence[tuple[int, Decimal]] | None = None,
) -> Draft:
    """A credit note of `lines` ((invoice line index, quantity); None: all that is left)."""
    source = await document_of(db, session, document_id, lock=True)
    body = None
    if lines is not None:
        body = CreditNoteIn.model_validate(
            {"lines": [{"index": index, "quantity": quantity} for index, quantity in lines]}
        )
    return await _opened(db, await derived.new_credit_note(db, source, body))
