"""The PA channel in the partner API: a company's connection to its plateforme
agréée, the transmission log, each document's lifecycle, the directory."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, StringConstraints
from sqlalchemy import select
from starlette.responses import Response

from server.api.common import Input, Output, respond
from server.api.documents.crud import load_document
from server.api.operation import Operation, QueryParam
from server.db.base import utcnow
from server.db.pa import PaAttempt, PaConnection, PaTransmission
from server.endpoint import ApiCall
from server.field_messages import refused_field
from server.pa import lifecycle
from server.pa.adapter import PlatformError
from server.pa.connect import open_platform
from server.pa.e_reporting import Cadence
from server.pa.secrets import SecretUnreadable, encrypt
from server.pa.settings import PaSettings
from server.problems import Problem, Refusal, field_refusal, not_found
from server.settings import WebhookSettings
from server.webhooks.ssrf import UrlRefused, check_endpoint_url

Secret = Annotated[str, StringConstraints(min_length=1, max_length=500)]
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ConnectionIn(Input):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    client_id: ClientId
    client_secret: Secret
    e_reporting_cadence: Cadence = Field(
        "monthly", description="monthly, decade (every ten days) or bimonthly: by VAT regime"
    )


class ConnectionOut(Output):
    company_id: int
    url: str
    client_id: str
    e_reporting_cadence: str
    last_error: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class AttemptOut(Output):
    at: dt.datetime
    step: str
    outcome: str
    http_status: int | None
    error: str | None
    action: str | None


class TransmissionOut(Output):
    id: int
    document_id: int | None
    kind: str
    tracking_id: str
    state: str
    attempts: int
    flow_id: str | None
    next_attempt_at: dt.datetime | None
    last_error: str | None
    action: str | None
    created_at: dt.datetime
    log: list[AttemptOut] = Field(default_factory=list)


class TransmissionList(Output):
    items: list[TransmissionOut]


class LifecycleItem(Output):
    code: str
    label: str
    label_en: str
    at: str
    issuer: str
    reason: str | None
    amount: str | None
    next_step: str | None


class LifecycleOut(Output):
    document_id: int
    items: list[LifecycleItem]


class RoutingOut(Output):
    siren: str
    registered: bool
    platform: str | None
    address: str | None


def pa_settings(app: Any) -> PaSettings:
    state = app.state
    found = getattr(state, "pa_settings", None)
    if not isinstance(found, PaSettings):
        found = PaSettings.from_env()
        state.pa_settings = found
    return found


def _checked_url(url: str, settings: PaSettings) -> str:
    rules = WebhookSettings(
        allow_http=settings.allow_private_targets,
        allow_private_targets=settings.allow_private_targets,
    )
    try:
        return check_endpoint_url(url.strip(), rules)
    except UrlRefused as refused:
        raise field_refusal(
            "validation_failed", "url", refused.message_en, refused.message_fr
        ) from None


async def _connection(call: ApiCall, company_id: int) -> PaConnection:
    connection = await call.session.get(PaConnection, company_id)
    if connection is None:
        raise Refusal(
            404,
            "pa_not_connected",
            "No PA connection",
            "This company is not connected to a plateforme agréée: PUT /companies/{id}/pa.",
            "Cette entreprise n'est pas reliée à une plateforme agréée : PUT /companies/{id}/pa.",
        )
    return connection


async def put_connection(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    body = await call.model(ConnectionIn)
    settings = pa_settings(call.request.app)
    url = _checked_url(body.url, settings)
    ciphertext = encrypt(call.services.settings.var_dir, body.client_secret)
    connection = await call.session.get(PaConnection, company.id)
    now = call.services.clock()
    if connection is None:
        connection = PaConnection(
            company_id=company.id, partner_id=company.partner_id, created_at=now
        )
        call.session.add(connection)
    connection.url, connection.client_id = url, body.client_id
    connection.e_reporting_cadence = body.e_reporting_cadence
    connection.secret_ciphertext = ciphertext
    connection.status_cursor = None
    connection.last_error = None
    connection.updated_at = now
    await call.session.flush()
    return respond(ConnectionOut, connection)


async def get_connection(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    return respond(ConnectionOut, await _connection(call, company.id))


async def delete_connection(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    connection = await _connection(call, company.id)
    await call.session.delete(connection)
    await call.session.flush()
    return Response(status_code=204)


async def list_transmissions(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    rows = list(
        await call.session.scalars(
            select(PaTransmission)
            .where(PaTransmission.company_id == company.id)
            .order_by(PaTransmission.id.desc())
            .limit(100)
        )
    )
    attempts: dict[int, list[PaAttempt]] = {row.id: [] for row in rows}
    if rows:
        for attempt in await call.session.scalars(
            select(PaAttempt)
            .where(PaAttempt.transmission_id.in_(list(attempts)))
            .order_by(PaAttempt.id)
        ):
            attempts[attempt.transmission_id].append(attempt)
    items: list[dict[str, Any]] = [
        {
            **TransmissionOut.model_validate(row).model_dump(exclude={"log"}),
            "log": [AttemptOut.model_validate(a) for a in attempts[row.id]],
        }
        for row in rows
    ]
    return respond(TransmissionList, {"items": items})


async def retry_transmission(call: ApiCall) -> Response:
    row = await call.session.get(PaTransmission, call.path_id())
    if row is None or row.partner_id != call.caller.partner_id:
        raise not_found("transmission")
    await call.caller.company(call.session, row.company_id)  # scoped keys see their company only
    if row.state != "failed":
        raise Refusal(
            409,
            "not_failed",
            "Nothing to retry",
            f"The transmission is {row.state}.",
            f"La transmission n'a pas échoué (état : {row.state}) : rien à relancer.",
        )
    row.state = "pending" if row.flow_id is None else "submitted"
    row.attempts, row.next_attempt_at = 0, utcnow()
    row.last_error = row.action = None
    await call.session.flush()
    return respond(TransmissionOut, {**TransmissionOut.model_validate(row).model_dump()})


async def document_lifecycle(call: ApiCall) -> Response:
    row = await load_document(call)
    entries = await lifecycle.history(call.session, row.id)
    items = [lifecycle.entry_out(entry) for entry in entries]
    return respond(LifecycleOut, {"document_id": row.id, "items": items})


async def directory(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    siren = (call.request.query_params.get("siren") or "").strip()
    if len(siren) != 9 or not siren.isdigit():
        raise refused_field("siren", "siren")
    connection = await _connection(call, company.id)
    try:
        platform = open_platform(
            connection, pa_settings(call.request.app), call.services.settings.var_dir
        )
    except SecretUnreadable as error:
        raise Problem(409, "pa_secret_unreadable", "PA connection unusable", str(error)) from None
    try:
        routing = await platform.routing(siren)
    except PlatformError as error:
        raise Problem(
            502, "pa_unavailable", "The PA directory did not answer", f"{error} {error.action}"
        ) from None
    finally:
        await platform.aclose()
    return respond(
        RoutingOut,
        {
            "siren": siren,
            "registered": routing.registered,
            "platform": routing.platform,
            "address": routing.address,
        },
    )


OPERATIONS = (
    Operation(
        "PUT",
        "/companies/{id:int}/pa",
        put_connection,
        "Connect the company to its plateforme agréée (the secret is never shown again)",
        ConnectionIn,
        ConnectionOut,
    ),
    Operation(
        "GET", "/companies/{id:int}/pa", get_connection, "The PA connection", response=ConnectionOut
    ),
    Operation("DELETE", "/companies/{id:int}/pa", delete_connection, "Disconnect", status=204),
    Operation(
        "GET",
        "/companies/{id:int}/pa/transmissions",
        list_transmissions,
        "The transmission log: the newest 100 flows with their attempts",
        response=TransmissionList,
    ),
    Operation(
        "GET",
        "/companies/{id:int}/pa/directory",
        directory,
        "Where a SIREN receives its invoices (the PA's directory)",
        response=RoutingOut,
        query=(QueryParam("siren", "9 digits"),),
    ),
    Operation(
        "POST",
        "/pa-transmissions/{id:int}/retry",
        retry_transmission,
        "Send a failed transmission again",
        response=TransmissionOut,
    ),
    Operation(
        "GET",
        "/documents/{id:int}/lifecycle",
        document_lifecycle,
        "The document's lifecycle statuses from the PA network",
        response=LifecycleOut,
    ),
)
