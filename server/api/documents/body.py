"""The Document body of a create or a replace, read before the transaction opens.

Parsing, validating and totalling a document needs no database: done by
`Operation.prepare`, it is not part of the time a write transaction holds its
lock (on SQLite, every process's writers queue on it). A refusal found then is
kept, not raised, and raised by the handler where it always was: after the
checks that come first (the company, the document's state, an `Idempotency-Key`
replay), in the caller's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from invoicing.bounds import out_of_bounds
from invoicing.input_messages import Language
from invoicing.limits import line_limit_error, too_many_lines
from invoicing.model import Document
from invoicing.totals import Totals, compute_totals
from server.endpoint import ApiCall
from server.field_messages import refused_field
from server.http_json import parse_json_object
from server.problems import Problem, field_problem, invalid_body

RefusalIn = Callable[[Language], Problem]  # a refusal said once the language is known


@dataclass(frozen=True, slots=True)
class DocumentBody:
    """The body's document and its totals; or what refuses it: `refusal` (the
    JSON, the line count, the model) comes before the number check, `beyond` (the
    numbers' bounds, known from the totals) after it."""

    document: Document | None = None
    totals: Totals | None = None
    refusal: RefusalIn | None = None
    beyond: RefusalIn | None = None
    failed: Exception | None = None  # computing the totals: raised after the number check


def _as_is(problem: Problem) -> RefusalIn:
    return lambda _language: problem


def _too_many(count: int) -> RefusalIn:
    def problem(language: Language) -> Problem:
        error = line_limit_error(count, language)
        return field_problem(error.field, error.message, "too_many_lines")

    return problem


def _invalid(error: ValidationError) -> RefusalIn:
    return lambda language: invalid_body(error, language=language)


def _beyond(document: Document, totals: Totals) -> RefusalIn | None:
    found = out_of_bounds(document, totals)
    if not found:
        return None

    def problem(language: Language) -> Problem:
        return Problem(
            422,
            "out_of_bounds",
            "Numbers out of bounds",
            found[0].message(language),
            errors=[beyond.error(language) for beyond in found],
        )

    return problem


async def prepare_document(body: bytes) -> DocumentBody:
    """`Operation.prepare` of a create or a replace."""
    try:
        data = parse_json_object(body)
    except Problem as problem:  # not in a language of its own: localized when answered
        return DocumentBody(refusal=_as_is(problem))
    lines = data.get("lines")
    if isinstance(lines, list) and too_many_lines(len(lines)):  # before validating them all
        return DocumentBody(refusal=_too_many(len(lines)))
    try:
        document = Document.model_validate(data)
    except ValidationError as error:
        return DocumentBody(refusal=_invalid(error))
    try:
        totals = compute_totals(document)
        beyond = _beyond(document, totals)
    except Exception as error:
        return DocumentBody(document, failed=error)
    return DocumentBody(document, totals, beyond=beyond)


def document_body(call: ApiCall, current_number: str | None = None) -> tuple[Document, Totals]:
    """The prepared document and its totals, or its refusal raised. Its number must
    be empty, or (an imported draft) the number it already has."""
    prepared = call.prepared
    assert isinstance(prepared, DocumentBody)
    if prepared.refusal is not None:
        raise prepared.refusal(call.language)
    assert prepared.document is not None
    if prepared.document.number is not None and prepared.document.number != current_number:
        raise refused_field("number", "number_at_finalization")
    if prepared.failed is not None:
        raise prepared.failed
    assert prepared.totals is not None
    if prepared.beyond is not None:
        raise prepared.beyond(call.language)
    return prepared.document, prepared.totals
