"""The wrapper every partner API handler runs in.

In this order: it authenticates the API key (a short read-only transaction),
applies the partner's limits (server/request_limits.py), reads the whole body
(size limit, deadline) with no transaction open, then runs the handler in one
transaction (rolled back on any problem): read-only for operations that only
read, a write transaction otherwise. It replays `Idempotency-Key` POSTs and
turns every failure into a problem response.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from invoicing.input_messages import Language
from server.accept_language import preferred_language
from server.api.operation import Operation
from server.api_keys import digest
from server.caller import Caller, authenticate, bearer_secret, client_ip, is_row_id
from server.db.housekeeping import IdempotencyRecord
from server.db.writer_priority import after_due_writers
from server.http_json import parse_json_object, read_body
from server.problems import Problem, internal_error, invalid_body, not_found, refused_request
from server.services import Services

M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger("blanche.server")

IDEMPOTENCY_HEADER = "idempotency-key"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(slots=True)
class ApiCall:
    request: Request
    session: AsyncSession
    caller: Caller
    services: Services
    _body: bytes = field(default=b"", repr=False)  # read before the transaction opened
    # What `Operation.prepare` made of the body, also before the transaction opened.
    prepared: Any = field(default=None, repr=False)

    @property
    def language(self) -> Language:
        """French or English, from `Accept-Language`."""
        return preferred_language(self.request.headers.get("accept-language"))

    async def body(self) -> bytes:
        return self._body

    async def json(self) -> dict[str, Any]:
        return parse_json_object(await self.body())

    async def model(self, model: type[M]) -> M:
        data = await self.json()
        try:
            return model.model_validate(data)
        except ValidationError as error:
            raise invalid_body(error, language=self.language) from None

    def path_id(self, name: str = "id") -> int:
        """An id from the path. One no id column can hold is looked up as 0, which no
        row has: the handler then says which object is missing, as for any other."""
        value = self.request.path_params[name]
        if not isinstance(value, int):
            raise not_found(name)
        return value if is_row_id(value) else 0


Handler = Callable[[ApiCall], Awaitable[Response]]


async def read_request_body(request: Request, services: Services, limit: int | None) -> bytes:
    """The whole body of a method that has one, before any transaction opens."""
    if request.method not in BODY_METHODS:
        return b""
    settings = services.settings
    return await read_body(request, limit or settings.max_body_bytes, settings.body_seconds)


async def _authenticate(request: Request, services: Services) -> Caller:
    """The caller, from a key verified lately (server/verified_keys.py) or else
    in a short read transaction."""
    secret = bearer_secret(request)
    key_sha256 = digest(secret)
    verified = services.verified_keys.find(key_sha256)
    if verified is not None:
        return Caller(verified.partner, verified.key_company_id, client_ip(request))
    async with services.read_sessions() as session, session.begin():
        caller = await authenticate(request, session)
    services.verified_keys.keep(key_sha256, caller.partner, caller.key_company_id)
    return caller


def api_endpoint(operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    handler: Handler = operation.handler
    writes = operation.is_write

    async def endpoint(request: Request) -> Response:
        services: Services = request.app.state.services
        language = request.headers.get("accept-language")  # of any problem answered
        try:
            caller = await _authenticate(request, services)
            limits = services.limits
            async with limits.admitted(caller.partner_id):
                body = await read_request_body(request, services, operation.max_body_bytes)
                # The work before a transaction waits for this loop's due writers
                # (server/db/writer_priority.py): they hold what every process needs.
                await after_due_writers()
                prepared = await operation.prepare(body) if operation.prepare else None
                if not operation.transaction:
                    return await _in_own_transactions(
                        request, services, caller, (body, prepared), handler
                    )
                sessions = services.sessions if writes else services.read_sessions
                async with (
                    limits.working(caller.partner_id),
                    sessions() as session,
                    session.begin(),
                ):
                    if writes:
                        caller = await caller.attached_to(session)
                    await after_due_writers()  # the handler's work before its first statement
                    call = ApiCall(request, session, caller, services, body, prepared)
                    if request.method == "POST" and IDEMPOTENCY_HEADER in request.headers:
                        return await _idempotent(call, handler)
                    return await handler(call)
        except Problem as problem:
            return problem.localized(language).response()
        except IntegrityError:
            return refused_request(409, "conflict", "Conflict").localized(language).response()
        except OperationalError:
            logger.exception("database error on %s %s", request.method, request.url.path)
            return refused_request(503, "database_busy", "Try again").localized(language).response()
        except Exception:
            logger.exception("unexpected error on %s %s", request.method, request.url.path)
            return internal_error().localized(language).response()

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


async def _in_own_transactions(
    request: Request,
    services: Services,
    caller: Caller,
    call_args: tuple[Any, ...],
    handler: Handler,
) -> Response:
    """An operation whose handler opens its own short write transactions (with
    `call.session.begin()`): an idempotency replay and its record each get one too."""
    key = request.headers.get(IDEMPOTENCY_HEADER) if request.method == "POST" else None
    async with services.limits.working(caller.partner_id), services.sessions() as session:
        async with session.begin():
            caller = await caller.attached_to(session)
            call = ApiCall(request, session, caller, services, *call_args)
            if key is not None and (replayed := await _replay(call, key)) is not None:
                return replayed
        response = await handler(call)
        if key is not None:
            async with session.begin():
                await _remember(call, key, response)
        return response


async def _fingerprint(call: ApiCall) -> str:
    return hashlib.sha256(call.request.url.path.encode() + b"\n" + await call.body()).hexdigest()


async def _replay(call: ApiCall, key: str) -> Response | None:
    """The stored response of the same request under the same key, if any."""
    if not 1 <= len(key) <= 200:
        raise refused_request(422, "idempotency_key_invalid", "Invalid Idempotency-Key")
    stored = await call.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.partner_id == call.caller.partner_id, IdempotencyRecord.key == key
        )
    )
    if stored is None:
        return None
    if stored.request_sha256 != await _fingerprint(call):
        raise refused_request(422, "idempotency_key_reused", "Idempotency-Key reused")
    return Response(
        stored.response_body.encode(),
        stored.status_code,
        {"Idempotent-Replayed": "true"},
        media_type="application/json",
    )


async def _remember(call: ApiCall, key: str, response: Response) -> None:
    """Only successful responses are stored."""
    if response.status_code >= 400:
        return
    call.session.add(
        IdempotencyRecord(
            partner_id=call.caller.partner_id,
            key=key,
            request_sha256=await _fingerprint(call),
            status_code=response.status_code,
            response_body=bytes(response.body).decode(),
        )
    )
    await call.session.flush()


async def _idempotent(call: ApiCall, handler: Handler) -> Response:
    """Same key and same request: the stored response, replayed. Same key and
    another request: refused. Only successful responses are stored."""
    key = call.request.headers[IDEMPOTENCY_HEADER]
    replayed = await _replay(call, key)
    if replayed is not None:
        return replayed
    response = await handler(call)
    await _remember(call, key, response)
    return response
