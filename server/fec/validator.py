"""Check a FEC file against the format rules (LPF art. A47 A-1 and the
administration's commentary): what a partner's accountant would be told."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from server.fec.columns import (
    AMOUNT,
    AMOUNT_COLUMNS,
    COLUMNS,
    DATE_COLUMNS,
    FILE_NAME,
    LINE_END,
    REQUIRED_COLUMNS,
    SEPARATOR,
)

_SEQUENCE = re.compile(r"[0-9]+$")


def _date_ok(text: str) -> bool:
    if len(text) != 8 or not text.isdigit():
        return False
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def validate_file_name(name: str) -> list[str]:
    match = FILE_NAME.match(name)
    if match is None:
        return [f"file name {name!r} is not <SIREN>FEC<YYYYMMDD>.txt"]
    if not _date_ok(match["closing"]):
        return [f"file name {name!r}: the closing date is not a date"]
    return []


def validate_fec(text: str) -> list[str]:
    """Every rule the text breaks, as readable problems (empty: valid)."""
    problems: list[str] = []
    if not text.endswith(LINE_END):
        problems.append("the last record does not end with a line break")
    records = text.split(LINE_END)
    if records and records[-1] == "":
        records.pop()
    if not records or records[0].split(SEPARATOR) != list(COLUMNS):
        return [*problems, "the first line must name the 18 columns, in order, tab-separated"]
    entries: dict[str, dict[str, Decimal]] = {}
    order: list[str] = []
    previous_date = ""
    for number, record in enumerate(records[1:], start=2):
        fields = record.split(SEPARATOR)
        if len(fields) != len(COLUMNS):
            problems.append(f"line {number}: {len(fields)} columns instead of {len(COLUMNS)}")
            continue
        values = dict(zip(COLUMNS, fields, strict=True))
        for name in REQUIRED_COLUMNS:
            if not values[name].strip():
                problems.append(f"line {number}: {name} is empty")
        for name in DATE_COLUMNS:
            if values[name] and not _date_ok(values[name]):
                problems.append(f"line {number}: {name} {values[name]!r} is not a date YYYYMMDD")
        for name in AMOUNT_COLUMNS:
            if values[name] and not AMOUNT.match(values[name]):
                problems.append(
                    f"line {number}: {name} {values[name]!r} is not an amount with a decimal comma"
                )
        if bool(values["Montantdevise"]) != bool(values["Idevise"]):
            problems.append(f"line {number}: Montantdevise and Idevise go together")
        if bool(values["EcritureLet"]) != bool(values["DateLet"]):
            problems.append(f"line {number}: EcritureLet and DateLet go together")
        if not (AMOUNT.match(values["Debit"]) and AMOUNT.match(values["Credit"])):
            continue
        key = values["EcritureNum"]
        if key not in entries:
            order.append(key)
            entries[key] = {"debit": Decimal(0), "credit": Decimal(0)}
            if _date_ok(values["EcritureDate"]) and values["EcritureDate"] < previous_date:
                problems.append(f"line {number}: entry {key} is dated before the previous one")
            previous_date = max(previous_date, values["EcritureDate"])
        elif order[-1] != key:
            problems.append(f"line {number}: entry {key} is split by another entry")
        entries[key]["debit"] += _amount(values["Debit"])
        entries[key]["credit"] += _amount(values["Credit"])
    for key in order:
        if entries[key]["debit"] != entries[key]["credit"]:
            problems.append(
                f"entry {key}: debits {entries[key]['debit']} differ from credits "
                f"{entries[key]['credit']}"
            )
    sequence = [_SEQUENCE.search(key) for key in order]
    if any(found is None for found in sequence):
        problems.append("EcritureNum must end with a sequence number")
    elif sequence:
        numbers = [int(found.group()) for found in sequence if found is not None]
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            problems.append("EcritureNum is not a continuous sequence in file order")
    return problems
