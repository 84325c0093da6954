"""Words of the editor's form that depend on the document: the status agrees with
the kind in French ("Facture émise", "Avoir émis", "Devis envoyé"), and the counts of
the findings say one or many without "(s)"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from editor.amount_rows import total_rows
from editor.analysis import analyse
from editor.backend import (
    Branding,
    DocumentStatus,
    Draft,
    EditorLocale,
    EditorOptions,
    EditorSession,
)
from editor.i18n import words
from editor.render import fragments
from editor.shown_findings import shown_findings
from editor.view import FormView
from invoicing.formatting import Formatter
from invoicing.model import DocumentKind
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals


def _form(kind: DocumentKind, status: DocumentStatus, locale: EditorLocale) -> FormView:
    document = demo_invoice(2).model_copy(update={"kind": kind})
    content = document.model_dump(mode="json", exclude_none=True)
    draft = Draft(1, kind, status, "X-1", content, 0, None, True)
    session = EditorSession(
        "t", 0, 0, 0, 1, kind, "", EditorOptions(locale=locale), dt.datetime.now(dt.UTC)
    )
    return FormView(
        session=session,
        draft=draft,
        content=content,
        analysis=analyse(content, locale),
        branding=Branding("Blanche", None, None),
    )


@pytest.mark.parametrize(
    ("kind", "status", "french"),
    [
        (DocumentKind.INVOICE, "finalized", "Émise"),
        (DocumentKind.INVOICE, "sent", "Envoyée"),
        (DocumentKind.DEPOSIT_INVOICE, "paid", "Payée"),
        (DocumentKind.CREDIT_NOTE, "finalized", "Émis"),
        (DocumentKind.CREDIT_NOTE, "sent", "Envoyé"),
        (DocumentKind.QUOTE, "finalized", "Émis"),
        (DocumentKind.QUOTE, "sent", "Envoyé"),
        (DocumentKind.QUOTE, "accepted", "Accepté"),
    ],
)
def test_the_status_agrees_with_the_kind(
    kind: DocumentKind, status: DocumentStatus, french: str
) -> None:
    assert _form(kind, status, "fr").status_label == french
    english = _form(kind, status, "en").status_label
    assert english == {"finalized": "Issued", "sent": "Sent", "paid": "Paid"}.get(
        status, "Accepted"
    )


def _findings_html(content: dict[str, Any], locale: str) -> str:
    analysis = analyse(content, locale)
    draft = Draft(None, DocumentKind.INVOICE, "draft", None, content, 0, None, False)
    return fragments(analysis, shown_findings(analysis.findings, draft, locale), locale)["findings"]


def test_one_warning_is_said_without_a_plural() -> None:
    content = demo_invoice(1).model_dump(mode="json", exclude_none=True)
    content.pop("issue_date")  # one warning: today's date will be used
    french, english = _findings_html(content, "fr"), _findings_html(content, "en")
    assert "1 avertissement<" in french and "(s)" not in french
    assert "1 warning<" in english and "(s)" not in english


def test_a_duplicate_is_called_a_copy_not_a_version() -> None:
    french, english = words("fr")["duplicated"], words("en")["duplicated"]
    assert "copie" in french and "version" not in french
    assert "copy" in english


@pytest.mark.parametrize(
    ("mode", "locale", "label"),
    [
        ("S4", "fr", "Acomptes déduits"),
        ("S4", "en", "Deposits deducted"),
        ("S2", "fr", "Déjà réglé"),
        ("S2", "en", "Paid in advance"),
    ],
)
def test_the_prepaid_row_says_deposits_deducted_unless_already_paid(
    mode: str, locale: EditorLocale, label: str
) -> None:
    document = demo_invoice(1).model_copy(
        update={"business_process": mode, "prepaid_amount": Decimal("10.00")}
    )
    fmt = Formatter(locale, document.currency)
    rows = total_rows(compute_totals(document), fmt, locale, already_paid=document.already_paid)
    assert label in [row.label for row in rows]
