"""Chorus Pro pre-checks: each fires on its own problem, only for public buyers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from invoicing.model import (
    Address,
    Document,
    DocumentKind,
    PrecedingInvoice,
    SupportingDocument,
)
from invoicing.rules import all_rules, validate
from invoicing.rules.chorus import ATTACHMENT_MAX_BYTES, ATTACHMENTS_MAX
from invoicing.samples import demo_invoice


def _public_invoice() -> Document:
    document = demo_invoice(3)
    document.buyer.public_sector = True
    document.buyer.siret = "55210055400013"
    document.buyer_reference = "SERVICE-42"
    document.order_reference = "EJ-2026-001"
    document.number = "F-2026-42"
    return document


def _attachment(name: str, size: int = 8) -> SupportingDocument:
    return SupportingDocument(
        id=name,
        content_base64="A" * size,
        mime_code="application/pdf",
        filename=name,
    )


CASES: dict[str, Callable[[Document], object]] = {
    "CPP-01": lambda d: setattr(d.buyer, "siret", None),
    "CPP-02": lambda d: setattr(d.buyer, "siret", "55210055400014"),
    "CPP-03": lambda d: setattr(d.buyer, "siret", "73282932000074"),
    "CPP-04": lambda d: setattr(d, "buyer_reference", None),
    "CPP-05": lambda d: setattr(d, "buyer_reference", "S" * 101),
    "CPP-06": lambda d: setattr(d, "order_reference", None),
    "CPP-07": lambda d: setattr(d, "order_reference", "E" * 51),
    "CPP-08": lambda d: setattr(d, "number", "F-2026-000000000000042"),
    "CPP-09": lambda d: setattr(
        d, "supporting_documents", [_attachment(f"{i}.pdf") for i in range(ATTACHMENTS_MAX + 1)]
    ),
    "CPP-10": lambda d: setattr(d, "supporting_documents", [_attachment("virus.exe")]),
    "CPP-11": lambda d: setattr(d.lines[0], "quantity", Decimal(-1000)),
    "CPP-12": lambda d: setattr(d, "kind", DocumentKind.CREDIT_NOTE),
    "CPP-13": lambda d: setattr(d.seller, "siret", None),
    "CPP-14": lambda d: setattr(d.buyer, "address", Address(country="BE")),
}


def test_a_complete_public_invoice_passes() -> None:
    findings = validate(_public_invoice())
    assert not any(f.rule_id.startswith("CPP") for f in findings), findings.as_dicts()


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_check_fires_on_its_problem(rule_id: str) -> None:
    document = _public_invoice()
    CASES[rule_id](document)
    chorus = {f.rule_id for f in validate(document) if f.rule_id.startswith("CPP")}
    assert chorus == {rule_id}
    document.buyer.public_sector = False
    assert not any(f.rule_id.startswith("CPP") for f in validate(document))


def test_every_chorus_rule_is_exercised() -> None:
    assert {r.rule_id for r in all_rules() if r.chorus} == set(CASES)


def test_large_attachments_are_refused() -> None:
    document = _public_invoice()
    document.supporting_documents = [_attachment("big.pdf", ATTACHMENT_MAX_BYTES * 4 // 3 + 8)]
    assert "CPP-09" in validate(document).rule_ids()


def test_credit_note_with_its_invoice_passes() -> None:
    document = _public_invoice()
    document.kind = DocumentKind.CREDIT_NOTE
    document.preceding_invoices = [PrecedingInvoice(number="F-1", issue_date=dt.date(2026, 1, 1))]
    assert "CPP-12" not in validate(document).rule_ids()
