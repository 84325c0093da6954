"""OpenAPI 3.1 for `/api/v1`, generated from the route table and the pydantic models."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.requests import Request
from starlette.responses import Response

from server.api.operation import Operation
from server.http_json import json_response

_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Stable machine-readable code"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def _operation_id(operation: Operation) -> str:
    return operation.handler.__name__


def build_openapi(operations: Sequence[Operation]) -> dict[str, Any]:
    models: list[type[BaseModel]] = []
    for operation in operations:
        for model in (operation.body, operation.response):
            if model is not None and model not in models:
                models.append(model)
    keys, schemas = models_json_schema(
        [(model, "validation") for model in models],
        ref_template="#/components/schemas/{model}",
    )
    refs = {model: keys[(model, "validation")]["$ref"] for model in models}
    components = dict(schemas.get("$defs", {}))
    components["Problem"] = PROBLEM_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for operation in operations:
        path = "/api/v1" + _PARAM.sub(r"{\1}", operation.path)
        item: dict[str, Any] = {
            "operationId": _operation_id(operation),
            "summary": operation.summary,
            "security": [{"editorToken": []}]
            if operation.auth == "editor_token"
            else [{"apiKey": []}],
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
                for name in _PARAM.findall(operation.path)
            ]
            + [
                {
                    "name": q.name,
                    "in": "query",
                    "description": q.description,
                    "schema": {"type": q.type},
                }
                for q in operation.query
            ],
            "responses": _responses(operation, refs),
        }
        if operation.method == "POST":
            item["parameters"].append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 200},
                }
            )
        if operation.body is not None:
            item["requestBody"] = {
                "required": operation.body_required,
                "content": {"application/json": {"schema": {"$ref": refs[operation.body]}}},
            }
        paths.setdefault(path, {})[operation.method.lower()] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": "Blanche partner API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer", "description": "Partner API key"},
                "editorToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`Editor <token>` from POST /api/v1/editor-sessions",
                },
            },
        },
    }


def _responses(operation: Operation, refs: dict[type[BaseModel], str]) -> dict[str, Any]:
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    if operation.response is not None:
        content: dict[str, Any] = {
            "application/json": {"schema": {"$ref": refs[operation.response]}}
        }
    else:
        content = {operation.media_type: {"schema": {"type": "string", "format": "binary"}}}
    responses: dict[str, Any] = {str(operation.status): {"description": "OK", "content": content}}
    for status, meaning in (
        ("400", "Malformed request"),
        ("401", "Missing or invalid credentials"),
        ("404", "Not found (or not yours)"),
        ("409", "Conflicts with the document's status"),
        ("413", "Body too large"),
        ("422", "Invalid body, with field errors"),
        ("429", "Rate limited (see Retry-After)"),
    ):
        responses[status] = {"description": meaning, "content": problem}
    return responses


def openapi_endpoint(operations: Sequence[Operation]) -> Callable[[Request], Awaitable[Response]]:
    document = build_openapi(operations)

    async def openapi(request: Request) -> Response:
        return json_response(document)

    return openapi
