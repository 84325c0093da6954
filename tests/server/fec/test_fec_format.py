"""FEC entries balance for any document, and the validator catches each broken rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.model import Document, DocumentKind
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals
from server.fec.columns import COLUMNS, fec_amount, file_name
from server.fec.entries import Finalized, entry_lines, journal_lines
from server.fec.validator import validate_fec, validate_file_name
from server.fec.writer import fec_text_of
from tests.strategies import documents

FINALIZED_AT = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # 3 March in Paris


def _finalized(document: Document, number: str, day: dt.date, kind: str | None = None) -> Finalized:
    return Finalized(document, number, kind or document.kind.value, day, FINALIZED_AT, 7)


def _sample_file() -> str:
    invoice = demo_invoice(6)
    credit = invoice.model_copy(update={"kind": DocumentKind.CREDIT_NOTE})
    lines = entry_lines(_finalized(invoice, "F-2026-00001", dt.date(2026, 3, 2)), 1)
    lines += entry_lines(_finalized(credit, "A-2026-00001", dt.date(2026, 3, 5)), 2)
    return fec_text_of(lines)


def test_an_invoice_and_its_credit_note() -> None:
    invoice = demo_invoice(6)
    totals = compute_totals(invoice)
    text = _sample_file()
    assert validate_fec(text) == []
    rows = [record.split("\t") for record in text.split("\r\n")[:-1]]
    assert rows[0] == list(COLUMNS)
    first = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:] if row[2] == "1"]
    second = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:] if row[2] == "2"]
    customer = first[0]
    assert (customer["CompteNum"], customer["CompAuxNum"]) == ("411", "C000007")
    assert customer["Debit"] == fec_amount(totals.tax_inclusive_total)
    assert customer["Credit"] == "0,00"
    assert customer["EcritureDate"] == "20260302" and customer["ValidDate"] == "20260303"
    assert customer["PieceRef"] == "F-2026-00001"
    vat = [row for row in first if row["CompteNum"] == "44571"]
    rates = {vb.rate for vb in totals.vat_breakdown if vb.tax_amount}
    assert len(vat) == len(rates) >= 2  # one line per rate
    assert all(row["Debit"] == "0,00" for row in first[1:])
    assert {row["CompteNum"] for row in first[1:]} == {"706", "44571"}
    assert second[0]["Credit"] == customer["Debit"] and second[0]["Debit"] == "0,00"
    assert [row["Debit"] for row in second[1:]] == [row["Credit"] for row in first[1:]]
    assert "Avoir A-2026-00001" in second[0]["EcritureLib"]


def test_goods_go_to_707_and_deposits_to_4191() -> None:
    goods = demo_invoice(2).model_copy(update={"business_process": "B1"})
    accounts = {
        line.account for line in entry_lines(_finalized(goods, "F-1", dt.date(2026, 1, 5)), 1)
    }
    assert accounts == {"411", "707", "44571"}
    deposit = demo_invoice(2).model_copy(update={"kind": DocumentKind.DEPOSIT_INVOICE})
    lines = entry_lines(_finalized(deposit, "F-2", dt.date(2026, 1, 5)), 2)
    assert {line.account for line in lines} == {"411", "4191", "44571"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(max_lines=8), min_size=1, max_size=4))
def test_every_document_gives_a_balanced_valid_entry(batch: list[Document]) -> None:
    items = [
        _finalized(document, f"N-{number}", dt.date(2026, 1, number))
        for number, document in enumerate(batch, start=1)
    ]
    lines = journal_lines(items)
    text = fec_text_of(lines)
    assert validate_fec(text) == []
    assert all(line.debit >= 0 and line.credit >= 0 for line in lines)
    assert all((line.debit == 0) != (line.credit == 0) for line in lines)


def _mutate(text: str, line: int, column: str, value: str) -> str:
    records = text.split("\r\n")
    fields = records[line].split("\t")
    fields[COLUMNS.index(column)] = value
    records[line] = "\t".join(fields)
    return "\r\n".join(records)


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (lambda t: t.replace("\t", "|", 1), "first line"),
        (lambda t: _mutate(t, 1, "EcritureDate", "2026-03-02"), "not a date"),
        (lambda t: _mutate(t, 1, "PieceDate", "20260230"), "not a date"),
        (lambda t: _mutate(t, 1, "Debit", "12.50"), "decimal comma"),
        (lambda t: _mutate(t, 1, "Debit", "1 250,00"), "decimal comma"),
        (lambda t: _mutate(t, 2, "Credit", "0,01"), "differ from credits"),
        (lambda t: _mutate(t, 1, "CompteNum", ""), "CompteNum is empty"),
        (lambda t: _mutate(t, 1, "Idevise", "USD"), "go together"),
        (lambda t: t.replace("\t2\t", "\t3\t"), "continuous sequence"),
        (lambda t: t.replace("\t2\t20260305", "\t2\t20260301"), "dated before"),
        (lambda t: t.rstrip("\r\n"), "line break"),
        (lambda t: t.replace("VE\tVentes", "VE\t\tVentes", 1), "19 columns"),
    ],
)
def test_the_validator_catches_each_broken_rule(mutation: object, expected: str) -> None:
    text = _sample_file()
    assert validate_fec(text) == []
    broken = mutation(text)  # type: ignore[operator]
    problems = validate_fec(broken)
    assert any(expected in problem for problem in problems), problems


def test_a_split_entry_is_reported() -> None:
    records = _sample_file().split("\r\n")
    moved = [records[0], records[1], *[r for r in records[2:] if "\t2\t" in r], records[2]]
    rest = [r for r in records[3:] if "\t1\t" in r]
    text = "\r\n".join([*moved, *rest, ""])
    assert any("split" in problem for problem in validate_fec(text))


def test_file_names() -> None:
    assert file_name("732829320", dt.date(2026, 12, 31)) == "732829320FEC20261231.txt"
    assert validate_file_name("732829320FEC20261231.txt") == []
    for bad in ("73282932FEC20261231.txt", "732829320FEC20261332.txt", "732829320fec20261231.txt"):
        assert validate_file_name(bad), bad


def test_amounts_are_written_with_a_comma() -> None:
    assert fec_amount(Decimal("1234.5")) == "1234,50"
    assert fec_amount(Decimal("0")) == "0,00"
    assert fec_amount(Decimal("1E+3")) == "1000,00"


def test_a_document_of_zero_books_nothing_and_takes_no_number() -> None:
    paid = demo_invoice(1)
    free = paid.model_copy(
        update={
            "lines": [line.model_copy(update={"net_price": Decimal(0)}) for line in paid.lines],
            "allowances_charges": [],
        }
    )
    assert compute_totals(free).tax_inclusive_total == 0
    days = [dt.date(2026, 1, day) for day in (1, 2, 3)]
    items = [
        _finalized(doc, f"N-{n}", day)
        for n, (doc, day) in enumerate(zip([paid, free, paid], days, strict=True))
    ]
    lines = journal_lines(items)
    assert sorted({line.entry_number for line in lines}) == [1, 2]
    assert {line.piece_ref for line in lines} == {"N-0", "N-2"}
    assert validate_fec(fec_text_of(lines)) == []
