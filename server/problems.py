"""Errors as RFC 9457 problem details, each with a stable machine `code`.

Endpoints raise `Problem`; nothing else reaches the client, and an unexpected
exception becomes a 500 problem without any trace (it is logged server side).
A `Refusal` knows its words in English and in French: the language is chosen as
it is answered, from the caller's `Accept-Language` (`Problem.localized`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from invoicing.field_errors import FieldError, field_errors
from invoicing.input_messages import Language
from server.accept_language import preferred_language
from server.request_messages import request_message, thing_fr

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("blanche.server")


class Problem(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = tuple(errors)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://blanche.invalid/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
        }
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = [error.as_dict() for error in self.errors]
        body.update(self.extra)
        return body

    def response(self) -> Response:
        content = json.dumps(self.body(), ensure_ascii=False).encode()
        return Response(content, self.status, self.headers, media_type=PROBLEM_JSON)

    def localized(self, language: str | None) -> Problem:
        """This problem as said in `language` (a language or an `Accept-Language`
        header): itself, its words being chosen when it was raised."""
        return self


class Refusal(Problem):
    """A `Problem` said in English that also knows its French detail and field
    messages: the language is chosen when it is answered (`localized`)."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        detail_fr: str,
        *,
        errors: Sequence[tuple[str, str, str]] = (),  # (field, English, French)
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            status,
            code,
            title,
            detail,
            errors=[FieldError(field, en) for field, en, _ in errors],
            headers=headers,
            extra=extra,
        )
        self.detail_fr = detail_fr
        self.errors_fr = tuple(FieldError(field, fr) for field, _, fr in errors)

    def localized(self, language: str | None) -> Problem:
        """This refusal in `language` ("fr", "fr-FR,fr;q=0.9", "en"...): itself unless French."""
        if preferred_language(language) != "fr":
            return self
        return Problem(
            self.status,
            self.code,
            self.title,
            self.detail_fr,
            errors=self.errors_fr,
            headers=self.headers,
            extra=self.extra,
        )


def field_refusal(
    code: str,
    field: str,
    en: str,
    fr: str,
    *,
    status: int = 422,
    extra: Mapping[str, Any] | None = None,
) -> Refusal:
    """One field's refusal, the message being the detail too."""
    title = "The request cannot be done" if status == 409 else "The request body is not valid"
    return Refusal(status, code, title, en, fr, errors=[(field, en, fr)], extra=extra)


def refused_request(
    status: int,
    code: str,
    title: str,
    key: str | None = None,
    *,
    body_field: bool = False,
    headers: Mapping[str, str] | None = None,
    limits: Mapping[str, float | int | str] | None = None,
) -> Refusal:
    """The problem `code`, its detail said by `key` (the code itself by default) and,
    with `body_field`, a `body` field error said by "<code>.body"."""
    limits = limits or {}
    fr, en = request_message(key or code, **limits)
    errors: list[tuple[str, str, str]] = []
    if body_field:
        field_fr, field_en = request_message(f"{code}.body", **limits)
        errors.append(("body", field_en, field_fr))
    return Refusal(status, code, title, en, fr, errors=errors, headers=headers)


def invalid_parameter(kind: str, name: str = "") -> Refusal:
    """400 on the query parameter `name`, said by "invalid_parameter.<kind>"."""
    key, limits = f"invalid_parameter.{kind}", {"name": name}
    return refused_request(400, "invalid_parameter", "Invalid parameter", key, limits=limits)


def not_found(what: str) -> Refusal:
    # The same answer whether the object does not exist or belongs to someone
    # else: existence is not leaked across tenants.
    limits = {"thing": what, "thing_fr": thing_fr(what)}
    return refused_request(404, "not_found", "Not found", limits=limits)


def fields_to_correct(count: int, language: Language = "en") -> str:
    """ "1 field needs a correction", "3 fields need a correction"."""
    if language == "fr":
        return "1 champ est à corriger" if count == 1 else f"{count} champs sont à corriger"
    return "1 field needs a correction" if count == 1 else f"{count} fields need a correction"


def invalid_body(error: ValidationError, prefix: str = "", language: Language = "en") -> Problem:
    """422 `validation_failed`, each field's message in `language`; the title
    stays English (it names the problem type)."""
    errors = field_errors(error, language)
    if prefix:
        errors = [
            FieldError(f"{prefix}.{e.field}" if e.field else prefix, e.message) for e in errors
        ]
    return Problem(
        422,
        "validation_failed",
        "The request body is not valid",
        f"{fields_to_correct(len(errors), language)}.",
        errors=errors,
    )


def field_problem(field: str, message: str, code: str = "validation_failed") -> Problem:
    return Problem(
        422, code, "The request body is not valid", message, errors=[FieldError(field, message)]
    )


_HTTP_CODES = {
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
}


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "HTTP error"))
    return Problem(exc.status_code, code, title, headers=exc.headers).response()


async def problem_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return exc.localized(request.headers.get("accept-language")).response()


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    logger.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return internal_error().localized(request.headers.get("accept-language")).response()


def internal_error() -> Refusal:
    return refused_request(500, "internal_error", "Internal error")
