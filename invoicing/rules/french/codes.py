"""Code lists and helpers of the French reform's rules (BR-FR Flux 2), as
the BR-FR stylesheet defines them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from invoicing.cii.names import format_number
from invoicing.model import Party
from invoicing.rules.engine import Context
from invoicing.rules.xpath import normalize_space

ID_FORMAT = re.compile(r"[A-Za-z0-9+\-_/]+")
SCHEME_ID_FORMAT = re.compile(r"[A-Za-z0-9+\-_.]+")
NINE_DIGITS = re.compile(r"\d{9}")
FOURTEEN_DIGITS = re.compile(r"\d{14}")

FR_TYPE_CODES = frozenset(
    (
        "380",
        "389",
        "393",
        "501",
        "386",
        "500",
        "384",
        "471",
        "472",
        "473",
        "261",
        "262",
        "381",
        "396",
        "502",
        "503",
    )
)
BILLING_MODES = frozenset(
    (
        "B1",
        "S1",
        "M1",
        "B2",
        "S2",
        "M2",
        "S3",
        "B4",
        "S4",
        "M4",
        "S5",
        "S6",
        "B7",
        "S7",
        "B8",
        "S8",
        "M8",
        "B9",
        "S9",
        "M9",
    )
)
FR_VAT_CATEGORIES = frozenset({"S", "E", "AE", "K", "G", "O", "Z"})
FR_VAT_RATES = frozenset(
    (
        "0",
        "0.0",
        "0.00",
        "10",
        "10.0",
        "10.00",
        "13",
        "13.0",
        "13.00",
        "20",
        "20.0",
        "20.00",
        "8.5",
        "8.50",
        "19.6",
        "19.60",
        "2.1",
        "2.10",
        "5.5",
        "5.50",
        "7",
        "7.0",
        "7.00",
        "20.6",
        "20.60",
        "1.05",
        "0.9",
        "0.90",
        "1.75",
        "9.2",
        "9.20",
        "9.6",
        "9.60",
    )
)
ATTACHMENT_CODES = frozenset(
    {
        "RIB",
        "LISIBLE",
        "FEUILLE_DE_STYLE",
        "PJA",
        "BORDEREAU_SUIVI",
        "DOCUMENT_ANNEXE",
        "BON_LIVRAISON",
        "BON_COMMANDE",
        "BORDEREAU_SUIVI_VALIDATION",
        "ETAT_ACOMPTE",
        "FACTURE_PAIEMENT_DIRECT",
        "RECAPITULATIF_COTRAITANCE",
    }
)
BAR_VALUES = frozenset({"B2B", "B2BINT", "B2C", "B2CINT", "OUTOFSCOPE", "ARCHIVEONLY"})
SELF_BILLED = frozenset({"389", "501", "500", "471", "473", "261", "502"})
CREDIT_TYPES = frozenset({"261", "381", "396", "502", "503"})
CORRECTIVE_TYPES = frozenset({"384", "471", "472", "473"})
DEPOSIT_TYPES = frozenset({"386", "500", "503"})
PAID_MODES = frozenset({"B2", "S2", "M2"})
FINAL_AFTER_DEPOSIT_MODES = frozenset({"B4", "S4", "M4"})
MULTI_VENDOR_MODES = frozenset({"B8", "S8", "M8"})
SELF_BILLED_MULTI_MODES = frozenset({"B9", "S9", "M9"})


def valid_id(value: str) -> bool:
    return ID_FORMAT.fullmatch(normalize_space(value)) is not None and " " not in value


class Written(NamedTuple):
    """An identifier as the writer writes it (value and scheme)."""

    value: str
    scheme: str | None


def global_ids(party: Party) -> list[Written]:
    """The GlobalIDs the writer writes for a party, in order."""
    found = [Written(i.value, i.scheme) for i in party.identifiers if i.scheme]
    if party.siret:
        found.append(Written(party.siret, "0009"))
    return found


def legal_id(party: Party) -> Written | None:
    """The party's SpecifiedLegalOrganization/ID as written: the SIREN (0002)
    when there is one, else the other legal registration."""
    if party.siren:
        return Written(party.siren, "0002")
    registration = party.legal_registration
    return Written(registration.value, registration.scheme) if registration else None


def bar_contents(ctx: Context) -> list[str]:
    return [note.text for note in ctx.doc.notes if note.subject == "BAR"]


_RATE_TEXTS: dict[tuple[int, tuple[int, ...], int | str], str] = {}


def rate_text(rate: Decimal | None) -> str:
    """A rate as the writer writes it (memoized: a document has few rates)."""
    if rate is None:
        return ""
    key = rate.as_tuple()
    text = _RATE_TEXTS.get(key)
    if text is None:
        text = format_number(rate)
        if len(_RATE_TEXTS) < 4096:
            _RATE_TEXTS[key] = text
    return text
