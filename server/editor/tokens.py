"""Editor session tokens: signed (itsdangerous), expiring, scoped.

A token carries the partner, company, user, the document (or the kind of a
new one), the parent origin and the editor options. The signing keys rotate:
the newest key signs, every listed key verifies. The token never appears in a
URL the server sees (it travels in the fragment) and is never logged.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Literal

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from editor.buttons import HIDEABLE_BUTTONS as HIDEABLE_BUTTONS
from editor.buttons import REQUIRED_BUTTONS as REQUIRED_BUTTONS
from server.settings import MAX_EDITOR_TOKEN_SECONDS

SALT = "blanche.editor-session.v1"

# One list of the editor's buttons (editor/buttons.py): what can be hidden is exactly
# what exists, never the legally required ones.


class EditorOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hide_preview_after_save: bool = False
    contacts: Literal["editor", "app"] = "editor"
    hidden_buttons: tuple[str, ...] = Field(default=(), max_length=20)
    locale: Literal["fr", "en"] = "fr"
    logo_upload: bool = True  # the user may set or remove the company's logo


class EditorScope(BaseModel):
    """What a token lets its holder do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner_id: int
    company_id: int
    user_id: int
    document_id: int | None
    new_kind: str | None
    parent_origin: str
    options: EditorOptions
    expires_at: dt.datetime
    # Two sessions minted in the same second for the same new document are two
    # drafts: the token (whose digest keys a new document's draft) must differ.
    nonce: str = Field(default_factory=lambda: secrets.token_urlsafe(9), max_length=32)


class TokenError(Exception):
    """The token is expired, tampered with, or not an editor token."""


class TokenExpired(TokenError):
    """A genuine token past its expiry; `locale` is its editor language (to say so)."""

    def __init__(self, locale: str | None) -> None:
        super().__init__("expired")
        self.locale = locale


class EditorTokens:
    def __init__(self, signing_keys: tuple[str, ...]) -> None:
        self._serializer = URLSafeTimedSerializer(list(signing_keys), salt=SALT)

    def mint(self, scope: EditorScope) -> str:
        payload: dict[str, Any] = scope.model_dump(mode="json")
        return self._serializer.dumps(payload)

    def read(self, token: str, now: dt.datetime) -> EditorScope:
        if len(token) > 4096:
            raise TokenError("token too long")
        try:
            payload = self._serializer.loads(token, max_age=MAX_EDITOR_TOKEN_SECONDS)
            scope = EditorScope.model_validate(payload)
        except SignatureExpired as expired:
            raise TokenExpired(self._locale_of(expired)) from None
        except (BadData, ValidationError) as error:
            raise TokenError(type(error).__name__) from None
        if scope.expires_at <= now:
            raise TokenExpired(scope.options.locale)
        return scope

    def _locale_of(self, expired: SignatureExpired) -> str | None:
        """The locale of a token whose signature verified but is too old."""
        try:
            payload = self._serializer.load_payload(expired.payload or b"")
            return EditorScope.model_validate(payload).options.locale
        except (BadData, ValidationError):
            return None
