"""What the editor loads first: its session's scope and the document, if any."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from server.api.common import Output
from server.api.documents.views import DocumentOut, document_out
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.editor.auth import EditorCall
from server.editor.tokens import EditorScope
from server.http_json import json_response


class EditorContext(Output):
    scope: EditorScope
    document: DocumentOut | None


async def editor_context(call: EditorCall) -> Response:
    document: Any = None
    if call.scope.document_id is not None:
        row = await call.session.get(DocumentRow, call.scope.document_id)
        document = document_out(row) if row is not None else None
    context = EditorContext(scope=call.scope, document=document)
    return json_response(context.model_dump(mode="json"))


OPERATIONS = (
    Operation(
        "GET",
        "/editor/context",
        editor_context,
        "The editor session's scope and document (Authorization: Editor <token>)",
        response=EditorContext,
        auth="editor_token",
    ),
)
