"""Requests made by the editor with its session token (`Authorization: Editor <token>`).

The signature proves what the partner backend granted; the database is asked
again that the company, user and document still belong to that partner.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.db.tenants import Company, Partner, User
from server.editor.tokens import EditorScope, TokenError
from server.endpoint import read_request_body
from server.problems import Problem, internal_error, refused_request
from server.services import Services

logger = logging.getLogger("blanche.server")


def invalid_token() -> Problem:
    return refused_request(
        401,
        "invalid_editor_token",
        "Invalid editor session",
        headers={"WWW-Authenticate": 'Editor realm="blanche"'},
    )


@dataclass(frozen=True, slots=True)
class EditorCall:
    request: Request
    session: AsyncSession
    scope: EditorScope
    services: Services
    body: bytes = b""  # read before the transaction opened


async def _still_valid(session: AsyncSession, scope: EditorScope) -> bool:
    company = await session.scalar(
        select(Company).where(
            Company.id == scope.company_id, Company.partner_id == scope.partner_id
        )
    )
    user = await session.scalar(
        select(User).where(User.id == scope.user_id, User.company_id == scope.company_id)
    )
    if company is None or user is None or await session.get(Partner, scope.partner_id) is None:
        return False
    if scope.document_id is None:
        return True
    document = await session.scalar(
        select(DocumentRow.id).where(
            DocumentRow.id == scope.document_id,
            DocumentRow.company_id == scope.company_id,
            DocumentRow.partner_id == scope.partner_id,
        )
    )
    return document is not None


def token_scope(request: Request, services: Services) -> EditorScope:
    """The scope the token's signature grants (no database involved)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "editor" or not token:
        raise invalid_token()
    try:
        return services.editor_tokens.read(token.strip(), services.clock())
    except TokenError:
        raise invalid_token() from None


EditorHandler = Callable[[EditorCall], Awaitable[Response]]


def editor_endpoint(operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    """As `server.endpoint.api_endpoint`: limits of the token's partner, the body
    read first, then one transaction (read-only for a GET) checking the scope."""
    handler: EditorHandler = operation.handler
    writes = operation.is_write

    async def endpoint(request: Request) -> Response:
        services: Services = request.app.state.services
        try:
            scope = token_scope(request, services)
            limits = services.limits
            async with limits.admitted(scope.partner_id):
                body = await read_request_body(request, services, operation.max_body_bytes)
                sessions = services.sessions if writes else services.read_sessions
                async with (
                    limits.working(scope.partner_id),
                    sessions() as session,
                    session.begin(),
                ):
                    if not await _still_valid(session, scope):
                        raise invalid_token()
                    return await handler(EditorCall(request, session, scope, services, body))
        except Problem as problem:
            return problem.localized(request.headers.get("accept-language")).response()
        except Exception:
            logger.exception("unexpected error on %s %s", request.method, request.url.path)
            language = request.headers.get("accept-language")
            return internal_error().localized(language).response()

    endpoint.__name__ = handler.__name__
    return endpoint
