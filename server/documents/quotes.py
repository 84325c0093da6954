"""Quotes: sent, accepted, refused, expired (past their validity date, BT-9 on a
quote), and converted into an invoice once."""

from __future__ import annotations

import datetime as dt

from server.db.documents import DocumentRow
from server.documents.content import load_content
from server.documents.refusals import kind_is_fr
from server.documents.status import Status, is_quote
from server.problems import Refusal

# A quote in one of these can still be answered (and so can expire).
AWAITING_ANSWER = frozenset({Status.FINALIZED, Status.SENT})


def _wrong_status(row: DocumentRow, detail: str, detail_fr: str) -> Refusal:
    return Refusal(
        409,
        "wrong_status",
        "Not possible in this status",
        f"This {row.kind} is {row.status}: {detail}.",
        f"{kind_is_fr(row.kind, row.status)} : {detail_fr}.",
        extra={"status": row.status},
    )


_VERBS_FR = {"accepted": "accepté", "refused": "refusé"}


def is_expired(row: DocumentRow, today: dt.date) -> bool:
    if not is_quote(row) or row.status not in AWAITING_ANSWER:
        return False
    valid_until = load_content(row).due_date
    return valid_until is not None and valid_until < today


def shown_status(row: DocumentRow, today: dt.date) -> str:
    return Status.EXPIRED.value if is_expired(row, today) else row.status


def _answerable(row: DocumentRow, today: dt.date, verb: str) -> None:
    if not is_quote(row):
        raise _wrong_status(
            row, f"only a quote can be {verb}", f"seul un devis peut être {_VERBS_FR[verb]}"
        )
    if row.status not in AWAITING_ANSWER:
        raise _wrong_status(
            row,
            f"only an issued quote awaiting an answer can be {verb}",
            f"seul un devis émis en attente de réponse peut être {_VERBS_FR[verb]}",
        )


def accept(row: DocumentRow, today: dt.date, now: dt.datetime) -> None:
    _answerable(row, today, "accepted")
    if is_expired(row, today):
        valid_until = load_content(row).due_date
        until_fr = f"{valid_until:%d/%m/%Y}" if valid_until else ""
        raise Refusal(
            409,
            "quote_expired",
            "Quote expired",
            f"This quote was valid until {valid_until}: issue a new one (duplicate it).",
            f"Ce devis était valable jusqu'au {until_fr} : émettez-en un nouveau (dupliquez-le).",
            extra={"status": Status.EXPIRED.value},
        )
    row.status = Status.ACCEPTED
    row.updated_at = now


def refuse(row: DocumentRow, today: dt.date, now: dt.datetime) -> None:
    _answerable(row, today, "refused")
    row.status = Status.REFUSED
    row.updated_at = now


def ensure_convertible(row: DocumentRow) -> None:
    if not is_quote(row):
        raise _wrong_status(
            row,
            "only a quote can be converted to an invoice",
            "seul un devis se convertit en facture",
        )
    if row.converted_into_id is not None:
        into = row.converted_into_number or f"draft invoice {row.converted_into_id}"
        into_fr = row.converted_into_number or f"la facture brouillon {row.converted_into_id}"
        raise Refusal(
            409,
            "already_converted",
            "Quote already converted",
            f"This quote was converted into {into}; a quote converts once.",
            f"Ce devis a été converti en {into_fr} ; un devis ne se convertit qu'une fois.",
            extra={
                "converted_into": {
                    "id": row.converted_into_id,
                    "number": row.converted_into_number,
                }
            },
        )
    if row.status == Status.REFUSED:
        raise _wrong_status(
            row, "a refused quote is not converted", "un devis refusé ne se convertit pas"
        )


def mark_converted(quote: DocumentRow, invoice: DocumentRow, now: dt.datetime) -> None:
    """`invoice` (flushed) was made from `quote`: an issued quote is accepted by it."""
    quote.converted_into_id = invoice.id
    if quote.status in AWAITING_ANSWER:
        quote.status = Status.ACCEPTED
    quote.updated_at = now
