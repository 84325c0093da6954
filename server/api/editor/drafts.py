"""The editor's latest autosaved draft of a document, through the REST API.

`GET /documents/{id}` is the stored document: what the user last saved with the
editor's "Enregistrer" button, or what the API wrote; always a valid `Document`.
While a user types in the editor, the draft is autosaved about every second (with
half-typed values the model cannot hold yet); `GET /documents/{id}/editor-draft`
gives that copy: the content as typed, the document it reads as (values the model
refuses are left out and listed in `refused`), when it was autosaved, and whether
the stored document changed since (then the editor's copy is stale).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from invoicing.model import Document
from invoicing.rules.drafts import parse_draft
from server.api.common import Output
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.db.editor_drafts import EditorDraft
from server.endpoint import ApiCall
from server.http_json import json_response
from server.problems import Refusal


class RefusedValue(Output):
    field: str
    message: str


class EditorDraftOut(Output):
    document_id: int
    document_status: str
    seq: int  # the number of the last edit applied
    autosaved_at: dt.datetime
    saved: bool  # saved with the editor's button at least once
    stale: bool  # the stored document changed after this draft was last in step with it
    content: dict[str, Any]  # as typed
    document: Document  # the content as a document, refused values left out
    refused: list[RefusedValue]


async def get_editor_draft(call: ApiCall) -> Response:
    row = await call.caller.get(call.session, DocumentRow, call.path_id(), "document")
    draft = (
        await call.session.execute(select(EditorDraft).where(EditorDraft.document_id == row.id))
    ).scalar_one_or_none()
    if draft is None:
        raise Refusal(
            404,
            "no_editor_draft",
            "No editor draft",
            "This document has not been opened in the editor: GET /documents/{id} is all there is.",
            "Ce document n'a pas été ouvert dans l'éditeur : GET /documents/{id} dit tout ce "
            "qu'il y a.",
        )
    document, findings = parse_draft(draft.content)
    french = call.language == "fr"
    out = EditorDraftOut(
        document_id=row.id,
        document_status=row.status,
        seq=draft.seq,
        autosaved_at=draft.updated_at,
        saved=draft.saved,
        stale=draft.synced_at != row.updated_at,
        content=draft.content,
        document=document,
        refused=[
            RefusedValue(
                field=finding.fields[0] if finding.fields else "",
                message=finding.message_fr if french else finding.message_en,
            )
            for finding in findings
        ],
    )
    return json_response(out.model_dump(mode="json"))


OPERATIONS = (
    Operation(
        "GET",
        "/documents/{id:int}/editor-draft",
        get_editor_draft,
        "The editor's latest autosaved draft of a document (as typed, and as a document)",
        response=EditorDraftOut,
    ),
)
