"""What credit notes, deposit and final invoices say (invoicing.document_view)."""

from __future__ import annotations

import datetime as dt

from markupsafe import escape

from invoicing.html import render_html
from invoicing.model import DocumentKind, PaymentTerm, PaymentTermKind, PrecedingInvoice
from invoicing.samples import demo_invoice


def _credit_note() -> str:
    invoice = demo_invoice()
    credit = invoice.model_copy(
        update={
            "kind": DocumentKind.CREDIT_NOTE,
            "number": "A-2026-00001",
            "preceding_invoices": [
                PrecedingInvoice(number="F-2026-00007", issue_date=dt.date(2026, 2, 1))
            ],
        }
    )
    return render_html(credit)


def test_a_credit_note_names_itself_and_its_invoice() -> None:
    html = _credit_note()
    assert "Avoir n° A-2026-00001 sur la facture n° F-2026-00007" in html


def test_a_credit_note_prints_no_payment_terms_nor_penalties() -> None:
    invoice = demo_invoice()
    printed_invoice = render_html(invoice)
    assert invoice.payment_terms and invoice.payment_terms in printed_invoice
    penalties = [str(escape(n.text)) for n in invoice.notes if n.subject in {"PMD", "PMT"}]
    assert penalties and all(text in printed_invoice for text in penalties)
    html = _credit_note()
    assert invoice.payment_terms not in html
    assert not any(text in html for text in penalties)
    assert "chéance" not in html  # no due date either


def test_deposit_and_final_invoices_say_what_they_are() -> None:
    deposit = demo_invoice().model_copy(update={"kind": DocumentKind.DEPOSIT_INVOICE})
    assert str(escape("Facture d'acompte")) in render_html(deposit)
    final = demo_invoice().model_copy(update={"business_process": "S4"})
    assert "Facture finale après acompte" in render_html(final)


def test_payment_terms_as_data_are_printed_as_text() -> None:
    term = PaymentTerm(kind=PaymentTermKind.DAYS_END_OF_MONTH, days=45)
    document = demo_invoice().model_copy(
        update={"payment_terms": None, "payment_term": term, "due_date": None}
    )
    html = render_html(document)
    assert "Paiement à 45 jours fin de mois" in html
    assert render_html(document, locale="en").count("Payment 45 days end of month") == 1
