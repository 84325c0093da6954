"""What the API says of a request it will not take as sent — its key, its body, its
pace, an object it cannot find, a failure of ours — in French and in English: one
(French, English) pair per problem code, the limit filled in. The problem's
`title` stays English (it names the problem type); these are its `detail` and the
`body` field's message. They never quote what was sent."""

from __future__ import annotations

from typing import Final

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
    "unauthorized": (
        "Envoyez `Authorization: Bearer <clé d'API>` avec une clé active.",
        "Send `Authorization: Bearer <api key>` with an active key.",
    ),
    "key_scope": (
        "Cette clé d'API est limitée à une entreprise : utilisez une clé du partenaire.",
        "This API key is restricted to one company; use a partner-wide key.",
    ),
    "invalid_editor_token": (
        "La session de l'éditeur a expiré ou n'est pas valide : "
        "demandez-en une nouvelle à la page hôte.",
        "The editor session is expired or invalid; ask the host page for a new one.",
    ),
    "idempotency_key_invalid": (
        "Une Idempotency-Key compte de 1 à 200 caractères.",
        "Use 1 to 200 characters.",
    ),
    "idempotency_key_reused": (
        "Cette clé a servi pour une autre requête : utilisez une nouvelle clé par requête.",
        "This key was used for another request; use a new key per request.",
    ),
    "invalid_limit": ("Indiquez une limite de 1 à {max}.", "Use 1 to {max}."),
    "invalid_cursor": (
        "Renvoyez `next_cursor` tel qu'il a été donné.",
        "Use `next_cursor` as given.",
    ),
    "invalid_parameter.id": ("`{name}` doit être un identifiant.", "`{name}` must be an id."),
    "invalid_parameter.date": (
        "`{name}` doit être une date AAAA-MM-JJ.",
        "`{name}` must be a date YYYY-MM-DD.",
    ),
    "invalid_parameter.time": (
        "`{name}` doit être une date et heure ISO 8601 avec son fuseau, "
        "par exemple 2026-03-02T00:00:00Z.",
        "`{name}` must be an ISO 8601 time with a zone, e.g. 2026-03-02T00:00:00Z.",
    ),
    "invalid_parameter.month": (
        "`{name}` doit être un mois AAAA-MM, par exemple 2026-11.",
        "`{name}` must be YYYY-MM, e.g. 2026-11.",
    ),
    "invalid_parameter.severity": (
        "`{name}` vaut info, warning ou error (séparés par des virgules pour plusieurs).",
        "`{name}` must be info, warning or error (comma-separated for several).",
    ),
    "invalid_parameter.fec_date": (
        "`{name}` doit être une date AAAA-MM-JJ (l'export couvre les dates d'émission "
        "de from à to).",
        "`{name}` must be a date YYYY-MM-DD (the export covers issue dates from..to).",
    ),
    "invalid_parameter.fec_period": (
        "`to` doit suivre `from` (2 ans au plus).",
        "`to` must follow `from` (2 years max).",
    ),
    "invalid_parameter.fec_encoding": (
        "`encoding` vaut utf-8 ou iso-8859-15.",
        "`encoding`: utf-8 or iso-8859-15.",
    ),
    "not_found": ("{thing_fr} est introuvable.", "No such {thing}."),
    "conflict": (
        "Cette modification entre en conflit avec les données actuelles : réessayez.",
        "The change conflicts with the current data; retry.",
    ),
    "database_busy": (
        "La base de données est occupée : réessayez dans un instant.",
        "The database is busy; retry shortly.",
    ),
    "internal_error": (
        "Un problème est survenu de notre côté.",
        "Something went wrong on our side.",
    ),
    "pdf_busy": (
        "Trop de PDF sont en cours de rendu pour vous : réessayez dans un instant.",
        "Too many PDFs are being rendered for you; retry shortly.",
    ),
    "pdf_timeout": (
        "Le PDF n'a pas été rendu à temps : réessayez dans un instant.",
        "The PDF was not rendered in time; retry shortly.",
    ),
    "pdf_failed": (
        "Le PDF n'a pas pu être rendu : réessayez.",
        "The PDF could not be rendered; retry.",
    ),
    "busy": (
        "Le service est occupé (aucune place libérée en {seconds} s) : réessayez dans un instant.",
        "The service is busy (no capacity freed within {seconds} s): retry shortly.",
    ),
}


def request_message(key: str, **limits: float | int | str) -> tuple[str, str]:
    """(French, English) of `key`, the limits filled in (French with a decimal comma)."""
    fr, en = REQUEST_MESSAGES[key]
    return (
        fr.format_map({name: _number(value, ",") for name, value in limits.items()}),
        en.format_map({name: _number(value, ".") for name, value in limits.items()}),
    )


def _number(value: float | int | str, point: str) -> str:
    return f"{value:g}".replace(".", point) if isinstance(value, float) else str(value)


# The French for what `not_found` names, with its article ("ce document").
_THINGS_FR: Final[dict[str, str]] = {
    "document": "ce document",
    "quote": "ce devis",
    "contact": "ce contact",
    "user": "cet utilisateur",
    "company": "cette entreprise",
    "product": "ce produit",
    "webhook": "ce webhook",
    "transmission": "cette transmission",
}


def thing_fr(thing: str) -> str:
    """ "document" -> "Ce document": what `not_found` names, as French says it."""
    return _THINGS_FR.get(thing, "cet objet").capitalize()
