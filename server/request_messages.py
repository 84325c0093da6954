"""What the API says of a request it will not take as sent — its body, its pace —
in French and in English: one (French, English) pair per problem code, the limit
filled in. The problem's `title` stays English (it names the problem type); these
are its `detail` and the `body` field's message. They never quote the body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from server.problems import Refusal

# (French, English) by problem code; "….body" is the message of the `body` field.
REQUEST_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "empty_body": (
        "Le corps est vide : envoyez un objet JSON.",
        "The body is empty: send a JSON object.",
    ),
    "malformed_json": (
        "Le corps n'est pas du JSON valide (UTF-8) : vérifiez sa syntaxe.",
        "The body is not valid JSON (UTF-8): check its syntax.",
    ),
    "not_an_object": (
        "Le corps doit être un objet JSON, pas une liste ni une valeur seule.",
        "The body must be a JSON object, not a list or a single value.",
    ),
    "body_incomplete": (
        "La connexion s'est fermée avant la fin du corps : envoyez-le en entier.",
        "The connection closed before the end of the body: send all of it.",
    ),
    "body_too_large": (
        "Le corps est trop grand : {limit} octets au plus.",
        "The body is too large: {limit} bytes at most.",
    ),
    "body_too_large.body": ("Envoyez {limit} octets au plus.", "Send {limit} bytes at most."),
    "body_timeout": (
        "Le corps entier doit arriver au plus {seconds} s après la requête.",
        "The whole body must arrive within {seconds} s of the request.",
    ),
    "body_timeout.body": (
        "Le corps n'est pas arrivé en entier en {seconds} s : envoyez-le plus vite.",
        "The body did not arrive in full within {seconds} s: send it faster.",
    ),
    "rate_limited.rate": (
        "Au plus {rate} requêtes par seconde par partenaire (rafales de {burst}) : "
        "réessayez dans {wait} s.",
        "At most {rate} requests per second per partner (bursts of {burst}): retry in {wait} s.",
    ),
    "rate_limited.in_flight": (
        "Au plus {count} requêtes à la fois par partenaire : réessayez dans {wait} s.",
        "At most {count} requests at once per partner: retry in {wait} s.",
    ),
    "rate_limited.accounts_minute": (
        "Au plus {limit} création(s) de compte par minute : réessayez dans {wait} s.",
        "At most {limit} account creation(s) per minute: retry in {wait} s.",
    ),
    "rate_limited.accounts_hour": (
        "Au plus {limit} création(s) de compte par heure : réessayez dans {wait} s.",
        "At most {limit} account creation(s) per hour: retry in {wait} s.",
    ),
    "busy": (
        "Le service est occupé (aucune place libérée en {seconds} s) : réessayez dans un instant.",
        "The service is busy (no capacity freed within {seconds} s): retry shortly.",
    ),
}


def refused_request(
    status: int,
    code: str,
    title: str,
    key: str | None = None,
    *,
    body_field: bool = False,
    headers: Mapping[str, str] | None = None,
    limits: Mapping[str, float | int] | None = None,
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


def request_message(key: str, **limits: float | int) -> tuple[str, str]:
    """(French, English) of `key`, the limits filled in (French with a decimal comma)."""
    fr, en = REQUEST_MESSAGES[key]
    return (
        fr.format_map({name: _number(value).replace(".", ",") for name, value in limits.items()}),
        en.format_map({name: _number(value) for name, value in limits.items()}),
    )


def _number(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
