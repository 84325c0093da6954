"""The payment terms a text (BT-20) states in words, however they are put: "Règlement
sous 30 jours", "45 j fin de mois", "Net 30", "payable dès réception"...

invoicing.payment_terms makes the words it recognises ("Paiement à 30 jours") say the
document's term; the user's own ways of saying one are printed as typed, and may
say another term than the one chosen. `contradiction` finds such words, so that the
editor says so (invoicing.rules.due_dates) rather than printing a text that
contradicts the due date.

    contradiction("Règlement sous 30 jours", PaymentTerm(kind="days_end_of_month", days=45))
    -> StatedTerm(words="30 jours", kind=DAYS, days=30)

Only day counts, "end of month" and "on receipt" are read (a date in a text may be
anything). A clause about an early-payment discount or late-payment penalties states
other delays on purpose ("escompte de 2 % pour paiement sous 8 jours"): it is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from invoicing.model import PaymentTerm, PaymentTermKind

# Sentences and clauses: a term is stated within one.
_CLAUSES = re.compile(r"[.;\n]+(?!\d)")
_OTHER_DELAYS = re.compile(
    r"escompte|pénalit|penalit|retard|indemnit|intérêt|interet|"
    r"discount|penalt|late\b|interest|compensation",
    re.IGNORECASE,
)
_END_OF_MONTH = r"(?:fin\s+de\s+mois|fdm|end\s+of\s+(?:the\s+)?month|eom)"
_DAY_COUNT = re.compile(
    r"(?<![\d,.])(?P<days>\d{1,3})\s*(?:jours?|j|days?|d)(?!\w)"
    rf"(?P<eom>(?:[\s,]+[\w'’]+){{0,3}}?[\s,]+{_END_OF_MONTH}(?!\w))?",
    re.IGNORECASE,
)
_NET_DAYS = re.compile(r"\bnet\s*(?P<days>\d{1,3})(?![\d\w])", re.IGNORECASE)
_ON_RECEIPT = re.compile(
    r"\b(?:(?:à|a|dès|des)\s+(?:la\s+)?r[ée]ception|comptant|imm[ée]diat\w*"
    r"|(?:on|upon|at)\s+receipt|immediate(?:ly)?)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StatedTerm:
    words: str  # as the text says them
    kind: PaymentTermKind
    days: int | None = None

    def agrees_with(self, term: PaymentTerm) -> bool:
        if self.kind is PaymentTermKind.ON_RECEIPT or term.kind is PaymentTermKind.ON_RECEIPT:
            # "On receipt" and "0 days" say the same day.
            return _same_day_as_issue(self) == _same_day_as_issue(term)
        return (self.kind, self.days) == (term.kind, term.days)


def _same_day_as_issue(term: StatedTerm | PaymentTerm) -> bool:
    return term.kind is PaymentTermKind.ON_RECEIPT or (
        term.kind is PaymentTermKind.DAYS and term.days == 0
    )


def stated_terms(text: str) -> list[StatedTerm]:
    """The terms `text` states, in the order it states them."""
    found: list[tuple[int, StatedTerm]] = []
    offset = 0
    for clause in _CLAUSES.split(text):
        start, offset = offset + text[offset:].find(clause), offset + len(clause)
        if not clause.strip() or _OTHER_DELAYS.search(clause):
            continue
        for match in _DAY_COUNT.finditer(clause):
            kind = PaymentTermKind.DAYS_END_OF_MONTH if match["eom"] else PaymentTermKind.DAYS
            found.append((start + match.start(), StatedTerm(match[0], kind, int(match["days"]))))
        for match in _NET_DAYS.finditer(clause):
            found.append(
                (start + match.start(), StatedTerm(match[0], PaymentTermKind.DAYS, int(match[1])))
            )
        for match in _ON_RECEIPT.finditer(clause):
            found.append((start + match.start(), StatedTerm(match[0], PaymentTermKind.ON_RECEIPT)))
    return [stated for _, stated in sorted(found, key=lambda item: item[0])]


def contradiction(text: str, term: PaymentTerm) -> StatedTerm | None:
    """The first words of `text` stating another term than `term`; None when it
    states none or the same. A fixed date is not compared: days counted from an
    issue date to come may well reach it."""
    if term.kind is PaymentTermKind.FIXED_DATE:
        return None
    for stated in stated_terms(text):
        if not stated.agrees_with(term):
            return stated
    return None
