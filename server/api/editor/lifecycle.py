"""The editor's view of the PA channel: a document's lifecycle, a customer's routing."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from starlette.responses import Response

from server.api.common import Output
from server.api.operation import Operation, QueryParam
from server.api.pa import pa_settings
from server.caller import is_row_id
from server.db.documents import DocumentRow
from server.db.pa import PaConnection, PaTransmission
from server.editor.auth import EditorCall
from server.field_messages import field_message
from server.http_json import json_response
from server.pa import lifecycle
from server.pa.adapter import PlatformError
from server.pa.connect import open_platform
from server.pa.routing_cache import RoutingCache
from server.pa.secrets import SecretUnreadable
from server.pa.statuses import BY_CODE, NEXT_STEP_EN, NEXT_STEP_FR, label
from server.problems import Refusal, not_found


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
    if not is_row_id(document_id):
        raise not_found("document")
    row = await call.session.scalar(
        select(DocumentRow).where(
            DocumentRow.id == document_id, DocumentRow.company_id == call.scope.company_id
        )
    )
    if row is None:
        raise not_found("document")
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
                label_fr=label(entry.code, "fr"),
                label_en=label(entry.code, "en"),
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


class EditorRouting(Output):
    known: bool  # the company is connected and its PA's directory answered
    registered: bool
    text_fr: str
    text_en: str


ROUTING_TIMEOUT_SECONDS = 5.0


def _routing_cache(call: EditorCall) -> RoutingCache:
    state = call.request.app.state
    found = getattr(state, "pa_routing_cache", None)
    if not isinstance(found, RoutingCache):
        found = RoutingCache()
        state.pa_routing_cache = found
    return found


async def editor_routing(call: EditorCall) -> Response:
    """Where a SIREN receives its invoices, for the customer block."""
    siren = (call.request.query_params.get("siren") or "").strip()
    if len(siren) != 9 or not siren.isdigit():
        fr, en = field_message("siren")
        raise Refusal(422, "invalid_siren", "Invalid SIREN", en, fr)
    unknown = EditorRouting(known=False, registered=False, text_fr="", text_en="")
    connection = await call.session.get(PaConnection, call.scope.company_id)
    if connection is None:
        return json_response(unknown.model_dump(mode="json"))
    cache = _routing_cache(call)
    routing = cache.get(connection.company_id, siren)
    if routing is None:
        settings = dataclasses.replace(
            pa_settings(call.request.app), timeout_seconds=ROUTING_TIMEOUT_SECONDS
        )
        try:
            platform = open_platform(connection, settings, call.services.settings.var_dir)
        except SecretUnreadable:
            return json_response(unknown.model_dump(mode="json"))
        try:
            routing = await platform.routing(siren)
        except PlatformError:
            return json_response(unknown.model_dump(mode="json"))
        finally:
            await platform.aclose()
        cache.put(connection.company_id, siren, routing)
    if routing.registered:
        via = routing.platform or routing.address or "?"
        body = EditorRouting(
            known=True,
            registered=True,
            text_fr=f"Reçoit ses factures via {via}",
            text_en=f"Receives its invoices via {via}",
        )
    else:
        body = EditorRouting(
            known=True,
            registered=False,
            text_fr="Non inscrit à l'annuaire de la facturation électronique",
            text_en="Not in the e-invoicing directory",
        )
    return json_response(body.model_dump(mode="json"))


OPERATIONS = (
    Operation(
        "GET",
        "/editor/routing",
        editor_routing,
        "Where a SIREN receives its invoices (the company's PA directory; Authorization: Editor)",
        response=EditorRouting,
        query=(QueryParam("siren", "9 digits"),),
        auth="editor_token",
    ),
    Operation(
        "GET",
        "/editor/documents/{id:int}/lifecycle",
        editor_lifecycle,
        "The lifecycle of a document of the editor session's company (Authorization: Editor)",
        response=EditorLifecycle,
        auth="editor_token",
    ),
)
