"""The memory backend's sessions: tokens signed with itsdangerous, expiring, and
scoped to a company's user (as the service's `POST /editor-sessions` makes them)."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property

from itsdangerous import BadData, URLSafeTimedSerializer

from editor.backend import EditorOptions, EditorSession, SessionExpired, SessionInvalid
from editor.memory_backend.store import Company, MemoryStore
from invoicing.model import DocumentKind

SESSION_SALT = "blanche.editor-session.memory.v1"
MAX_TOKEN_SECONDS = 24 * 3600


class MemorySessions(MemoryStore):
    @cached_property
    def _sessions(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.signing_keys, salt=SESSION_SALT)

    def mint(
        self,
        *,
        company: Company,
        user_id: int,
        parent_origin: str,
        document_id: int | None = None,
        new_kind: DocumentKind | None = None,
        options: EditorOptions | None = None,
        seconds: int = 3600,
    ) -> str:
        """A session token, as the service's `POST /editor-sessions` makes one."""
        if (document_id is None) == (new_kind is None):
            raise ValueError("give a document id or the kind of a new document")
        options = options or EditorOptions()
        expires_at = self.clock() + dt.timedelta(seconds=min(seconds, MAX_TOKEN_SECONDS))
        return self._sessions.dumps(
            {
                "company_id": company.id,
                "user_id": user_id,
                "document_id": document_id,
                "new_kind": new_kind.value if new_kind else None,
                "parent_origin": parent_origin,
                "options": {
                    "hide_preview_after_save": options.hide_preview_after_save,
                    "contacts": options.contacts,
                    "hidden_buttons": sorted(options.hidden_buttons),
                    "locale": options.locale,
                    "logo_upload": options.logo_upload,
                },
                "expires_at": expires_at.isoformat(),
            }
        )

    async def resolve_session(self, token: str) -> EditorSession:
        if len(token) > 4096:
            raise SessionInvalid()
        try:
            payload = self._sessions.loads(token, max_age=MAX_TOKEN_SECONDS)
            options = payload["options"]
            session = EditorSession(
                key=hashlib.sha256(token.encode()).hexdigest()[:32],
                partner_id=0,
                company_id=int(payload["company_id"]),
                user_id=int(payload["user_id"]),
                document_id=payload["document_id"],
                new_kind=DocumentKind(payload["new_kind"]) if payload["new_kind"] else None,
                parent_origin=str(payload["parent_origin"]),
                options=EditorOptions(
                    hide_preview_after_save=bool(options["hide_preview_after_save"]),
                    contacts="app" if options["contacts"] == "app" else "editor",
                    hidden_buttons=frozenset(options["hidden_buttons"]),
                    locale="en" if options["locale"] == "en" else "fr",
                    logo_upload=bool(options.get("logo_upload", True)),
                ),
                expires_at=dt.datetime.fromisoformat(payload["expires_at"]),
            )
        except (BadData, KeyError, TypeError, ValueError):
            raise SessionInvalid() from None
        company = self.companies.get(session.company_id)
        if company is None or session.user_id not in company.users:
            raise SessionInvalid()
        if session.document_id is not None:
            self._document(session, session.document_id)
        if session.expires_at <= self.clock():
            raise SessionExpired(session.options.locale)
        return session
