"""The French words of the document flows' refusals (credit notes, payments,
quotes, deposits): numbers, statuses and kinds as a French sentence says them. The
refusals themselves are `server.problems.Refusal`s, said in the language of
`Accept-Language` by the API and in the session's locale by the editor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def fr_date(day: dt.date) -> str:
    """2026-03-02 -> "02/03/2026" (the day first, as French writes it)."""
    return day.strftime("%d/%m/%Y")


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
