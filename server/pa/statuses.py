"""The invoice lifecycle statuses (CDAR messages) a PA exchanges.

Codes and their meaning follow the French e-invoicing external specifications
(DGFiP, "spécifications externes", lifecycle chapter) and AFNOR XP Z12-012/013.
Four are mandatory in the reform: 200 and 213 come from the platform, 210 from
the buyer (with a reason), 212 from the seller (with date and amount paid).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class LifecycleStatus:
    code: str
    label_fr: str
    label_en: str
    final: bool = False  # nothing normally follows it for the seller
    problem: bool = False  # the user has something to do


STATUSES: Final[tuple[LifecycleStatus, ...]] = (
    LifecycleStatus("200", "Déposée", "Submitted"),
    LifecycleStatus("201", "Émise par la plateforme", "Issued by the platform"),
    LifecycleStatus("202", "Reçue par la plateforme", "Received by the platform"),
    LifecycleStatus("203", "Mise à disposition", "Made available"),
    LifecycleStatus("204", "Prise en charge", "In hand"),
    LifecycleStatus("205", "Approuvée", "Approved"),
    LifecycleStatus("206", "Approuvée partiellement", "Partly approved"),
    LifecycleStatus("207", "En litige", "Disputed", problem=True),
    LifecycleStatus("208", "Suspendue", "Suspended", problem=True),
    LifecycleStatus("209", "Complétée", "Completed"),
    LifecycleStatus("210", "Refusée", "Refused", final=True, problem=True),
    LifecycleStatus("211", "Paiement transmis", "Payment sent"),
    LifecycleStatus("212", "Encaissée", "Paid", final=True),
    LifecycleStatus("213", "Rejetée", "Rejected", final=True, problem=True),
    LifecycleStatus("214", "Visée", "Endorsed"),
)
BY_CODE: Final = {status.code: status for status in STATUSES}

DEPOSITED: Final = "200"
REFUSED: Final = "210"
PAID: Final = "212"
REJECTED: Final = "213"
APPROVED: Final = "205"
MANDATORY: Final = frozenset({DEPOSITED, REFUSED, PAID, REJECTED})

# What the user must do once the number is spent on an invoice the network
# does not accept: it stays issued (anti-fraud law), so it is cancelled by a
# credit note and a corrected invoice is issued under a new number.
NEXT_STEP_FR: Final = {
    REJECTED: "Le numéro est utilisé : émettez un avoir sur cette facture, "
    "puis une nouvelle facture corrigée.",
    REFUSED: "Le client a refusé la facture : émettez un avoir, puis une nouvelle facture "
    "si besoin.",
}
NEXT_STEP_EN: Final = {
    REJECTED: "The number is spent: issue a credit note on this invoice, "
    "then a new, corrected invoice.",
    REFUSED: "The customer refused the invoice: issue a credit note, then a new invoice if needed.",
}


def label(code: str, locale: str = "fr") -> str:
    status = BY_CODE.get(code)
    if status is None:
        return code
    return status.label_fr if locale.startswith("fr") else status.label_en
