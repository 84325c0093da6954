"""The findings the editor shows: each piece of advice once, while every rule is
still evaluated."""

from __future__ import annotations

from typing import Any

import pytest

from editor.analysis import analyse
from editor.backend import Draft
from editor.shown_findings import shown_findings
from invoicing.model import DocumentKind
from invoicing.rules import official_ids_of
from invoicing.samples import demo_invoice

NEW_INVOICE: dict[str, Any] = {"kind": "invoice"}


def _draft(content: dict[str, Any]) -> Draft:
    return Draft(None, DocumentKind.INVOICE, "draft", None, content, 0, None, False)


@pytest.mark.parametrize(
    ("locale", "advice"), [("fr", "Ajoutez au moins une ligne."), ("en", "Add at least one line.")]
)
def test_an_invoice_without_lines_is_told_once_to_add_one(locale: str, advice: str) -> None:
    analysis = analyse(NEW_INVOICE, locale)
    assert {"BR-16", "BR-CO-18"} <= {f.rule_id for f in analysis.findings}  # both evaluated
    shown = shown_findings(analysis.findings, _draft(NEW_INVOICE), locale)
    assert [f.message for f in shown if "lines" in f.fields] == [advice]
    assert "BR-CO-18" not in {f.rule_id for f in shown}


def test_the_official_check_still_counts_both_as_said() -> None:
    covered = official_ids_of(analyse(NEW_INVOICE, "fr").findings)
    assert {"BR-16", "BR-CO-18"} <= set(covered)


def test_a_rule_said_by_another_is_shown_when_the_other_does_not_fire() -> None:
    findings = [f for f in analyse(NEW_INVOICE, "en").findings if f.rule_id != "BR-16"]
    shown = shown_findings(findings, _draft(NEW_INVOICE), "en")
    assert [f.message for f in shown if "lines" in f.fields] == [
        "The invoice needs at least one line to compute VAT."
    ]


def test_an_invoice_with_lines_shows_every_finding_it_has() -> None:
    content = demo_invoice(1).model_dump(mode="json", exclude_none=True)
    content.pop("issue_date")
    analysis = analyse(content, "fr")
    shown = shown_findings(analysis.findings, _draft(content), "fr")
    assert [f.rule_id for f in shown] == [f.rule_id for f in analysis.findings]
    assert shown


@pytest.mark.parametrize(
    ("locale", "advice"),
    [
        ("fr", "Choisissez l'échéance de paiement : elle donne la date d'échéance."),
        ("en", "Choose when payment is due: it gives the due date."),
    ],
)
def test_an_invoice_without_a_due_date_is_sent_to_its_payment_term(
    locale: str, advice: str
) -> None:
    shown = shown_findings(analyse(NEW_INVOICE, locale).findings, _draft(NEW_INVOICE), locale)
    (due,) = [f for f in shown if f.rule_id == "BL-DUE-DATE"]
    assert due.message == advice
