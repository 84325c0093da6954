"""The 18 mandatory FEC columns, in the order the law fixes, and their formats."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Final

COLUMNS: Final = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
SEPARATOR: Final = "\t"
LINE_END: Final = "\r\n"
DATE_COLUMNS: Final = ("EcritureDate", "PieceDate", "ValidDate", "DateLet")
AMOUNT_COLUMNS: Final = ("Debit", "Credit", "Montantdevise")
REQUIRED_COLUMNS: Final = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "ValidDate",
)
FILE_NAME = re.compile(r"^(?P<siren>[0-9]{9})FEC(?P<closing>[0-9]{8})\.txt$")
AMOUNT = re.compile(r"^-?[0-9]+(,[0-9]{1,2})?$")


def fec_date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def fec_amount(value: Decimal) -> str:
    """Comma as the decimal separator, two decimals, no thousands separator."""
    return f"{value.quantize(Decimal('0.01')):f}".replace(".", ",")


def fec_text(value: str, limit: int = 200) -> str:
    """One field of text: no separator, no line break, bounded."""
    return " ".join(value.replace(SEPARATOR, " ").split())[:limit]


def file_name(siren: str, closing: dt.date) -> str:
    return f"{siren}FEC{fec_date(closing)}.txt"
