"""The route table of `/api/v1`: every operation, in one list."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from server.api import (
    companies,
    company_logos,
    contacts,
    deposits,
    e_reporting,
    exports,
    journal,
    pa,
    partner,
    partner_editor_options,
    payments,
    products,
    studio_links,
    themes,
    users,
    webhook_log,
    webhooks,
)
from server.api.documents import actions as document_actions
from server.api.documents import crud as documents
from server.api.documents import emails as document_emails
from server.api.documents import files as document_files
from server.api.documents import imports as document_imports
from server.api.editor import context as editor_context
from server.api.editor import drafts as editor_drafts
from server.api.editor import lifecycle as editor_lifecycle
from server.api.editor import sessions as editor_sessions
from server.api.openapi import openapi_endpoint
from server.api.operation import Operation
from server.api.work_orders import orders as work_orders
from server.api.work_orders import settings as work_order_settings
from server.editor.auth import editor_endpoint
from server.endpoint import api_endpoint

OPERATIONS: tuple[Operation, ...] = (
    *partner.OPERATIONS,
    *partner_editor_options.OPERATIONS,
    *themes.OPERATIONS,
    *studio_links.OPERATIONS,
    *companies.OPERATIONS,
    *company_logos.OPERATIONS,
    *users.OPERATIONS,
    *contacts.OPERATIONS,
    *products.OPERATIONS,
    *documents.OPERATIONS,
    *document_imports.OPERATIONS,
    *document_actions.OPERATIONS,
    *payments.OPERATIONS,
    *deposits.OPERATIONS,
    *document_files.OPERATIONS,
    *document_emails.OPERATIONS,
    *journal.OPERATIONS,
    *pa.OPERATIONS,
    *e_reporting.OPERATIONS,
    *exports.OPERATIONS,
    *editor_sessions.OPERATIONS,
    *editor_context.OPERATIONS,
    *editor_lifecycle.OPERATIONS,
    *editor_drafts.OPERATIONS,
    *webhook_log.OPERATIONS,
    *webhooks.OPERATIONS,
    *work_order_settings.OPERATIONS,
    *work_orders.OPERATIONS,
)


def api_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route("/openapi.json", openapi_endpoint(OPERATIONS), methods=["GET"])
    ]
    for operation in OPERATIONS:
        wrap = editor_endpoint if operation.auth == "editor_token" else api_endpoint
        routes.append(Route(operation.path, wrap(operation), methods=[operation.method]))
    return routes
