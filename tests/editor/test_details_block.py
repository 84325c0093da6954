"""The details block: an invoice's due date has one place to be set, its payment
term, and shows beside it as a read-only value; a quote's validity date and a credit
note's due date, which have no term, stay typed."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import html

from editor.analysis import analyse
from editor.backend import Branding, Draft, EditorLocale, EditorOptions, EditorSession
from editor.render import block_html, fragments
from editor.shown_findings import shown_findings
from editor.view import FormView
from invoicing.model import DocumentKind, PaymentTerm
from invoicing.samples import demo_invoice

TERM = PaymentTerm(kind="days", days=30)


def _details(kind: DocumentKind, locale: EditorLocale, **update: object) -> html.HtmlElement:
    document = demo_invoice(1).model_copy(update={"kind": kind, **update})
    content = document.model_dump(mode="json", exclude_none=True)
    draft = Draft(1, kind, "draft", None, content, 0, None, True)
    session = EditorSession(
        "t", 0, 0, 0, 1, kind, "", EditorOptions(locale=locale), dt.datetime.now(dt.UTC)
    )
    form = FormView(
        session=session,
        draft=draft,
        content=content,
        analysis=analyse(content, locale),
        branding=Branding("Blanche", None, None),
    )
    return html.fragment_fromstring(block_html("details", form))


@pytest.mark.parametrize(
    ("locale", "label", "shown"),
    [("fr", "Date d'échéance", "24 décembre 2026"), ("en", "Due date", "December 24, 2026")],
)
def test_an_invoice_shows_the_due_date_its_term_gives_read_only(
    locale: EditorLocale, label: str, shown: str
) -> None:
    block = _details(
        DocumentKind.INVOICE,
        locale,
        issue_date=dt.date(2026, 11, 24),
        due_date=None,
        payment_term=TERM,
    )
    due = block.xpath('.//*[@data-path="due_date"]')
    assert len(due) == 1  # one due date, not a second input beside the term
    (field,) = due
    assert field.tag == "textarea" and field.get("readonly") is not None  # a long term wraps
    assert field.text_content() == shown
    assert field.get("tabindex") != "-1"  # reached with Tab, read with its label
    (labelled,) = block.xpath(f'.//label[@for="{field.get("id")}"]')
    assert labelled.text_content() == label
    hint = block.get_element_by_id(field.get("aria-describedby"))
    assert hint.text_content()
    # the one place to set it: the term, which offers a fixed date
    kinds = block.xpath('.//select[@data-path="payment_term.kind"]/option/@value')
    assert "fixed_date" in kinds
    assert block.xpath('.//input[@data-path="payment_term.date"]')


@pytest.mark.parametrize("kind", [DocumentKind.QUOTE, DocumentKind.CREDIT_NOTE])
def test_a_quote_or_credit_note_types_its_date(kind: DocumentKind) -> None:
    block = _details(kind, "fr")
    (field,) = block.xpath('.//*[@data-path="due_date"]')
    assert field.get("readonly") is None
    assert not block.xpath('.//*[@data-path="payment_term.kind"]')


def test_the_due_fragment_follows_the_term() -> None:
    content = demo_invoice(1).model_dump(mode="json", exclude_none=True)
    content.update(issue_date="2026-11-24", payment_term={"kind": "days", "days": 45})
    content.pop("due_date", None)
    draft = Draft(1, DocumentKind.INVOICE, "draft", None, content, 0, None, True)
    analysis = analyse(content, "fr")
    told = fragments(analysis, shown_findings(analysis.findings, draft, "fr"), "fr")
    assert told["due"] == "8 janvier 2027"
