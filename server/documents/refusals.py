"""Refusals of the document flows (credit notes, payments, quotes, deposits), said
in English and in French: the API answers in the language of `Accept-Language`,
the editor in its session's locale (`Refusal.localized`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from invoicing.field_errors import FieldError
from server.accept_language import preferred_language
from server.problems import Problem


class Refusal(Problem):
    """A `Problem` (English) that also knows its French detail and field messages."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        detail_fr: str,
        *,
        errors: Sequence[tuple[str, str, str]] = (),  # (field, English, French)
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            status,
            code,
            title,
            detail,
            errors=[FieldError(field, en) for field, en, _ in errors],
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


def fr_number(value: Decimal | str) -> str:
    """1089.56 -> "1089,56" (the French decimal comma)."""
    return str(value).replace(".", ",")


_STATUS_FR = {
    "draft": "un brouillon",
    "finalized": "émis",
    "sent": "envoyé",
    "partially_paid": "partiellement payé",
    "paid": "payé",
    "cancelled": "annulé",
    "accepted": "accepté",
    "refused": "refusé",
    "expired": "expiré",
    "converted": "converti en facture",
}
# "une facture émise", "un avoir émis": the kinds whose French name is feminine.
_FEMININE_KINDS = frozenset({"invoice", "deposit_invoice"})


def status_fr(status: str, *, feminine: bool = False) -> str:
    """The status as French says it of a document: "émis", or "émise" of a facture."""
    word = _STATUS_FR.get(status, status)
    if feminine and status in _STATUS_FR and status != "draft":
        head, _, tail = word.partition(" en ")  # "converti en facture" -> "convertie en …"
        return f"{head}e en {tail}" if tail else f"{word}e"
    return word


def kind_is_fr(kind: str, status: str) -> str:
    """ "Cette facture est payée", "Cet avoir est émis": the sentence's start."""
    feminine = kind in _FEMININE_KINDS
    return f"{kind_fr(kind).capitalize()} est {status_fr(status, feminine=feminine)}"


def kind_fr(kind: str) -> str:
    return {
        "invoice": "cette facture",
        "deposit_invoice": "cette facture d'acompte",
        "credit_note": "cet avoir",
        "quote": "ce devis",
    }.get(kind, kind)
