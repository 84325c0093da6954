"""Cursor pagination by descending id: the cursor is the last id seen."""

from __future__ import annotations

import base64
import binascii
import json

from starlette.requests import Request

from server.api.operation import QueryParam
from server.caller import is_row_id
from server.problems import refused_request

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PAGE_PARAMS = (
    QueryParam("limit", f"1-{MAX_LIMIT}, default {DEFAULT_LIMIT}", "integer"),
    QueryParam("cursor", "The next_cursor of the previous page"),
)


def page_limit(request: Request) -> int:
    text = request.query_params.get("limit")
    if text is None:
        return DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise refused_request(400, "invalid_limit", "Invalid limit", limits={"max": MAX_LIMIT})
    return int(text)


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"before": last_id}).encode()).decode().rstrip("=")


def before_id(request: Request) -> int | None:
    """The id the next page starts below, from the `cursor` query parameter."""
    cursor = request.query_params.get("cursor")
    if cursor is None:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        value = data["before"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise refused_request(400, "invalid_cursor", "Invalid cursor") from None
    if not is_row_id(value):
        raise refused_request(400, "invalid_cursor", "Invalid cursor")
    return int(value)


def next_cursor(ids: list[int], limit: int) -> str | None:
    return encode_cursor(ids[-1]) if len(ids) == limit else None
