"""JSON in and out: bounded body reading, exact decimals, JSON responses."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from server.problems import Problem, refused_request


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


async def read_body(request: Request, limit: int, seconds: float | None = None) -> bytes:
    """The whole body, at most `limit` bytes (413), arrived within `seconds` (408).

    The API reads every body this way before it opens a transaction: a client
    that sends slowly holds nothing but its own socket."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                chunks.append(chunk)
    except TimeoutError:
        raise too_slow(seconds or 0.0) from None
    except ClientDisconnect:
        raise refused_request(400, "body_incomplete", "Incomplete body") from None
    return b"".join(chunks)


def too_large(limit: int) -> Problem:
    return refused_request(
        413,
        "body_too_large",
        "Request body too large",
        body_field=True,
        headers={"Connection": "close"},
        limits={"limit": limit},
    )


def too_slow(seconds: float) -> Problem:
    return refused_request(
        408,
        "body_timeout",
        "Request body too slow",
        body_field=True,
        headers={"Connection": "close"},
        limits={"seconds": float(seconds)},
    )


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object; numbers with a fraction become `Decimal`."""
    if not body:
        raise refused_request(400, "empty_body", "Empty body")
    try:
        value = json.loads(
            body.decode("utf-8"), parse_float=Decimal, parse_constant=_refuse_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refused_request(400, "malformed_json", "Malformed JSON") from None
    if not isinstance(value, dict):
        raise refused_request(422, "not_an_object", "Not a JSON object")
    return value


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=_default, separators=(",", ":")).encode()


def model_response(value: BaseModel, status: int = 200) -> Response:
    """A pydantic model as JSON, serialized by pydantic in one step (the same text as
    `json_response(value.model_dump(mode="json"))`, without the dict in between)."""
    return Response(value.model_dump_json().encode(), status, media_type="application/json")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(data), status, headers, media_type="application/json")
