"""The memory backend's drafts: opened new with the company's defaults, saved by
compare-and-set on their patch number."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from editor.backend import ActionRefused, Draft, DraftConflict, EditorSession
from editor.memory_backend.store import Company, MemoryStore, StoredDocument, content_of
from invoicing.model import Document, DocumentKind, Note


class MemoryDrafts(MemoryStore):
    def _new_content(self, company: Company, kind: DocumentKind) -> dict[str, Any]:
        document = Document(
            kind=kind,
            seller=company.seller,
            notes=list(company.legal_notes) if kind is not DocumentKind.QUOTE else [],
            payment_terms=company.payment_terms,
            payment_term=company.payment_term,
            payment_means=[company.payment_means] if company.payment_means else [],
        )
        return content_of(document)

    async def legal_notes(self, session: EditorSession) -> tuple[Note, ...]:
        return self._company(session).legal_notes

    async def open_draft(self, session: EditorSession, document_id: int | None = None) -> Draft:
        document_id = document_id or session.document_id or self.session_documents.get(session.key)
        if document_id is not None:
            stored = self._document(session, document_id)
            return replace(
                stored.draft(), deposits_to_deduct=self._deposits_to_deduct(session, stored)
            )
        kind = session.new_kind or DocumentKind.INVOICE
        return Draft(
            document_id=None,
            kind=kind,
            status="draft",
            number=None,
            content=self._new_content(self._company(session), kind),
            seq=0,
            contact_id=None,
            saved=False,
        )

    def _store(
        self, session: EditorSession, draft: Draft, expected_seq: int | None
    ) -> StoredDocument:
        document_id = draft.document_id or self.session_documents.get(session.key)
        if document_id is None:
            if expected_seq not in (None, 0):
                raise DraftConflict()
            stored = StoredDocument(
                id=next(self._ids),
                company_id=session.company_id,
                kind=draft.kind,
                status="draft",
                draft_content={},
                seq=0,
            )
            self.documents[stored.id] = stored
            self.session_documents[session.key] = stored.id
        else:
            stored = self._document(session, document_id)
        if stored.status != "draft":
            raise ActionRefused("document_finalized", "this document is issued: it cannot change")
        if expected_seq is not None and stored.seq != expected_seq:
            raise DraftConflict()
        stored.draft_content = dict(draft.content)
        stored.seq = draft.seq
        stored.contact_id = draft.contact_id
        self.saves += 1
        return stored

    async def save_draft(self, session: EditorSession, draft: Draft, *, expected_seq: int) -> Draft:
        return self._store(session, draft, expected_seq).draft()

    async def save_document(
        self, session: EditorSession, draft: Draft, document: Document
    ) -> Draft:
        stored = self._store(session, draft, None)
        stored.content = document
        stored.saved = True
        return replace(stored.draft(), deposits_to_deduct=self._deposits_to_deduct(session, stored))
