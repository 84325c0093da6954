"""The editor's view of a document's lifecycle at the company's PA."""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response

from server.api.common import Output
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.db.pa import PaTransmission
from server.editor_auth import EditorCall
from server.http_json import json_response
from server.pa import lifecycle
from server.pa.statuses import BY_CODE, NEXT_STEP_EN, NEXT_STEP_FR
from server.problems import Problem


class EditorLifecycleItem(Output):
    code: str
    label_fr: str
    label_en: str
    at: str
    issuer: str
    reason: str | None


class EditorLifecycle(Output):
    document_id: int
    tracked: bool  # the document was sent to a PA (e-invoicing scope, company connected)
    items: list[EditorLifecycleItem]
    final: bool  # nothing more is expected: stop asking
    problem: bool  # the user has something to do
    next_step_fr: str | None
    next_step_en: str | None


async def editor_lifecycle(call: EditorCall) -> Response:
    """A document of the session's company (the editor asks while it shows one)."""
    document_id = call.request.path_params["id"]
    row = await call.session.scalar(
        select(DocumentRow).where(
            DocumentRow.id == document_id, DocumentRow.company_id == call.scope.company_id
        )
    )
    if row is None:
        raise Problem(404, "not_found", "Not found", "No such document.")
    entries = await lifecycle.history(call.session, row.id)
    tracked = await call.session.scalar(
        select(PaTransmission.id)
        .where(PaTransmission.document_id == row.id, PaTransmission.kind == "invoice")
        .limit(1)
    )
    last = BY_CODE.get(entries[-1].code) if entries else None
    body = EditorLifecycle(
        document_id=row.id,
        tracked=tracked is not None,
        items=[
            EditorLifecycleItem(
                code=entry.code,
                label_fr=lifecycle.entry_out(entry)["label"],
                label_en=lifecycle.entry_out(entry)["label_en"],
                at=entry.at.isoformat(),
                issuer=entry.issuer,
                reason=entry.reason,
            )
            for entry in entries
        ],
        final=bool(last and last.final) or tracked is None,
        problem=bool(last and last.problem),
        next_step_fr=NEXT_STEP_FR.get(last.code) if last else None,
        next_step_en=NEXT_STEP_EN.get(last.code) if last else None,
    )
    return json_response(body.model_dump(mode="json"))


OPERATIONS = (
    Operation(
        "GET",
        "/editor/documents/{id:int}/lifecycle",
        editor_lifecycle,
        "The lifecycle of a document of the editor session's company (Authorization: Editor)",
        response=EditorLifecycle,
        auth="editor_token",
    ),
)
