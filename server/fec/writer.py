"""The FEC text: the header, then one row per entry line."""

from __future__ import annotations

from collections.abc import Iterable

from server.fec.columns import COLUMNS, LINE_END, SEPARATOR, fec_amount, fec_date, fec_text
from server.fec.entries import JOURNAL_CODE, JOURNAL_LABEL, FecLine


def row(line: FecLine) -> list[str]:
    return [
        JOURNAL_CODE,
        JOURNAL_LABEL,
        str(line.entry_number),
        fec_date(line.entry_date),
        line.account,
        fec_text(line.account_label),
        line.aux_account,
        line.aux_label,
        line.piece_ref,
        fec_date(line.piece_date),
        line.label,
        fec_amount(line.debit),
        fec_amount(line.credit),
        "",
        "",
        fec_date(line.valid_date),
        "",
        "",
    ]


def fec_text_of(lines: Iterable[FecLine]) -> str:
    rows = [list(COLUMNS), *(row(line) for line in lines)]
    return "".join(SEPARATOR.join(fields) + LINE_END for fields in rows)
