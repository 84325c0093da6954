"""Editor sessions: a partner backend mints a short-lived token for its user."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, StringConstraints, ValidationError
from starlette.responses import Response

from editor.buttons import RENAMED_BUTTONS
from editor.parent_origin import ParentOrigins, is_origin
from invoicing.input_messages import Language
from server.api.common import Input, Output, respond
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.db.tenants import User
from server.editor.tokens import (
    HIDEABLE_BUTTONS,
    REQUIRED_BUTTONS,
    EditorOptions,
    EditorScope,
)
from server.endpoint import ApiCall
from server.field_messages import field_message, refused_field
from server.problems import Refusal, invalid_body
from server.settings import MAX_EDITOR_TOKEN_SECONDS

Origin = Annotated[str, StringConstraints(max_length=300)]


class ExistingDocument(Input):
    id: int


class NewDocument(Input):
    new: Literal["invoice", "quote", "credit_note", "deposit_invoice"]


class OptionsIn(Input):
    hide_preview_after_save: bool | None = Field(
        None, description="Hide the preview panel once the document is saved"
    )
    contacts: Literal["editor", "app"] | None = Field(
        None, description='"editor": contacts are created in the editor; "app": by your app'
    )
    hidden_buttons: list[str] | None = Field(
        None,
        max_length=20,
        description="Buttons to hide (editor.buttons; never save, finalize, credit_note)",
    )
    locale: Literal["fr", "en"] | None = None
    logo_upload: bool | None = Field(None, description="The user may set the company's logo")


class EditorSessionIn(Input):
    company_id: int
    user_id: int
    document: ExistingDocument | NewDocument
    parent_origin: Origin
    options: OptionsIn = Field(default_factory=OptionsIn)
    ttl_seconds: int | None = Field(
        None, ge=60, le=MAX_EDITOR_TOKEN_SECONDS, description="Default from the settings"
    )


class EditorSessionOut(Output):
    url: str
    token: str
    expires_at: dt.datetime
    options: EditorOptions


def normalized_origin(text: str) -> str | None:
    """`scheme://host[:port]` in lower case, or None when `text` is not an origin."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return None
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        return None
    return f"{parts.scheme}://{parts.hostname.lower()}" + (f":{port}" if port else "")


def checked_hidden_buttons(buttons: object, field: str) -> tuple[str, ...]:
    """`buttons` as editor.buttons names them (earlier names renamed, once each);
    a legally required or unknown one is refused on `field[index]`."""
    hidden = [str(b) for b in buttons or []] if isinstance(buttons, list | tuple) else []
    hidden = [RENAMED_BUTTONS.get(button, button) for button in hidden]
    for index, button in enumerate(hidden):
        if button in REQUIRED_BUTTONS:
            raise refused_field(f"{field}[{index}]", "button_required")
        if button not in HIDEABLE_BUTTONS:
            raise refused_field(
                f"{field}[{index}]",
                "button_unknown",
                hideable=", ".join(sorted(HIDEABLE_BUTTONS)),
            )
    return tuple(dict.fromkeys(hidden))


def _options(
    partner_defaults: dict[str, object], given: OptionsIn, language: Language
) -> EditorOptions:
    merged = {**partner_defaults, **given.model_dump(exclude_none=True)}
    merged["hidden_buttons"] = checked_hidden_buttons(
        merged.get("hidden_buttons"), "options.hidden_buttons"
    )
    try:
        return EditorOptions.model_validate(merged)
    except ValidationError as error:
        raise invalid_body(error, prefix="options", language=language) from None


async def create_editor_session(call: ApiCall) -> Response:
    body = await call.model(EditorSessionIn)
    caller = call.caller
    company = await caller.company(call.session, body.company_id)
    user = await caller.get(call.session, User, body.user_id, "user")
    if user.company_id != company.id:
        raise refused_field("user_id", "user_of_another_company")
    document_id = new_kind = None
    if isinstance(body.document, ExistingDocument):
        row = await caller.get(call.session, DocumentRow, body.document.id, "document")
        if row.company_id != company.id:
            raise refused_field("document.id", "document_of_another_company")
        document_id = row.id
    else:
        new_kind = body.document.new
    minted = mint_editor_session(
        call,
        company_id=company.id,
        user_id=user.id,
        document_id=document_id,
        new_kind=new_kind,
        parent_origin=body.parent_origin,
        options=body.options,
        ttl_seconds=body.ttl_seconds,
    )
    return respond(EditorSessionOut, minted, 201)


def mint_editor_session(
    call: ApiCall,
    *,
    company_id: int,
    user_id: int,
    document_id: int | None,
    new_kind: str | None,
    parent_origin: str,
    options: OptionsIn,
    ttl_seconds: int | None = None,
) -> EditorSessionOut:
    """A signed editor token and URL for a company, user and document the
    caller was already checked to own; the origin must be the partner's."""
    caller = call.caller
    origin = normalized_origin(parent_origin)
    allowed = {normalized_origin(o) for o in caller.partner.origins}
    # is_origin: what a CSP frame-ancestors header can carry (ASCII host names).
    if origin is None or origin not in allowed or not is_origin(origin):
        fr, en = field_message("origin_not_registered")
        raise Refusal(
            422,
            "origin_not_allowed",
            "Parent origin not registered",
            en,
            fr,
            errors=[("parent_origin", en, fr)],
        )
    merged_options = _options(caller.partner.default_editor_options, options, call.language)
    settings = call.services.settings
    seconds = ttl_seconds or settings.editor_token_seconds
    expires_at = (call.services.clock() + dt.timedelta(seconds=seconds)).replace(microsecond=0)
    scope = EditorScope(
        partner_id=caller.partner_id,
        company_id=company_id,
        user_id=user_id,
        document_id=document_id,
        new_kind=new_kind,
        parent_origin=origin,
        options=merged_options,
        expires_at=expires_at,
    )
    token = call.services.editor_tokens.mint(scope)
    url = ParentOrigins(settings.signing_keys).editor_url(settings.public_url, origin, token)
    return EditorSessionOut(url=url, token=token, expires_at=expires_at, options=merged_options)


OPERATIONS = (
    Operation(
        "POST",
        "/editor-sessions",
        create_editor_session,
        "Mint an editor token (at most 24 h) for one user and document",
        EditorSessionIn,
        EditorSessionOut,
        201,
    ),
)
