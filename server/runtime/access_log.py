"""No token or signed link in the access log.

uvicorn logs each request's path with its query string. Editor PDF links carry a
signed token in the path (`/editor/pdf/<signed>`), studio sign-in links a token in
the query (`?t=`), editor pages a signed parent origin (`?p=`): the log shows
`[redacted]` in their place. Fragments (`#t=`) never reach the server.
"""

from __future__ import annotations

import copy
import http
import logging
import re
import sys
from typing import Any
from urllib.parse import unquote_plus

import uvicorn.config

REDACTED = "[redacted]"
SECRET_PARAMETERS = frozenset(
    {"t", "p", "token", "access_token", "api_key", "key", "sig", "signature", "secret", "code"}
)
# itsdangerous tokens ([.]payload.timestamp.signature; a leading dot when compressed)
# and other long opaque segments
_SIGNED_SEGMENT = re.compile(r"^\.?[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-.]{8,}$|^[A-Za-z0-9_\-]{40,}$")


def redact_target(target: str) -> str:
    """`target` (a path with its query string) without secrets."""
    path, question, query = target.partition("?")
    path, _, _ = path.partition("#")
    segments = [REDACTED if _SIGNED_SEGMENT.match(s) else s for s in path.split("/")]
    redacted = "/".join(segments)
    if not question:
        return redacted
    shown = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        secret_name = unquote_plus(name).strip().lower() in SECRET_PARAMETERS
        shown.append(
            f"{name}={REDACTED}"
            if secret_name or _SIGNED_SEGMENT.match(unquote_plus(value))
            else pair
        )
    return f"{redacted}?{'&'.join(shown)}"


class RedactSecrets(logging.Filter):
    """A filter for uvicorn's access records (and any record whose arguments
    hold request targets)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_target(a) if isinstance(a, str) and a.startswith("/") else a
                for a in record.args
            )
        return True


_PHRASES = {status.value: status.phrase for status in http.HTTPStatus}


class AccessLine(logging.Formatter):
    """uvicorn's access line without its colours, `INFO:     127.0.0.1:51234 -
    "GET /api/v1/companies HTTP/1.1" 200 OK`, written straight from the record's
    arguments: uvicorn's formatter copies each record and looks its status up in an
    enum, a measurable share of a small request's CPU under load."""

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if not isinstance(args, tuple) or len(args) != 5 or record.exc_info:
            return super().format(record)
        client, method, target, version, status = args
        level = record.levelname
        phrase = _PHRASES.get(status, "") if isinstance(status, int) else ""
        return (
            f'{level}:{" " * (8 - len(level))} {client} - "{method} {target} HTTP/{version}" '
            f"{status} {phrase}"
        )


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the filter on both of its handlers
    (the WebSocket lines go through the error logger); on a terminal, uvicorn's
    coloured access lines, otherwise AccessLine."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    if not sys.stdout.isatty():
        config["formatters"]["access"] = {"()": f"{__name__}.AccessLine"}
    config.setdefault("filters", {})["redact_secrets"] = {"()": f"{__name__}.RedactSecrets"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact_secrets")
    # The service's own loggers (an unexpected error names the request's path) go
    # through the same filtered handler instead of Python's unfiltered last resort.
    config["root"] = {"handlers": ["default"], "level": "INFO"}
    return config
