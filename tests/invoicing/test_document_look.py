"""How the printed document reads: the footer keeps each label with its number, the
VAT breakdown shows its "Mention" column only when a rate has one (checked on the
HTML and on the text of the rendered PDF)."""

from __future__ import annotations

from decimal import Decimal

from invoicing.html import render_html
from invoicing.model import Line, VatCategory
from invoicing.pdf.render import render_pdf
from invoicing.samples import demo_invoice
from tests.poppler import pdf_text


def _footer(html: str) -> str:
    start = html.index('<footer class="page-footer')
    return html[start : html.index("</footer>", start)]


def test_footer_keeps_labels_with_their_numbers() -> None:
    footer = _footer(render_html(demo_invoice(1)))
    assert "N°\u00a0TVA\u00a0FR44732829320" in footer
    assert "SIRET\u00a0732\u00a0829\u00a0320\u00a000074" in footer
    assert "capital de 10\u00a0000\u00a0€" in footer  # the seller's legal text, its numbers
    assert " · " in footer  # the parts themselves may wrap between them


def test_printed_footer_line_never_splits_a_pair() -> None:
    # The demo seller's footer needs two lines in the page margin: the break used to
    # fall between "N°" and "TVA FR44…".
    lines = [line.strip() for line in pdf_text(render_pdf(demo_invoice(6))).splitlines()]
    footer = [line for line in lines if "732 829 320" in line or "FR44732829320" in line]
    assert footer, lines
    assert not any(line.endswith(("N°", "N° TVA", "SIRET", "SIREN")) for line in footer), footer
    assert any("N° TVA FR44732829320" in line for line in footer), footer


def _vat_headers(html: str) -> str:
    start = html.index('<table class="vat-table">')
    return html[start : html.index("</thead>", start)]


def test_no_mention_column_for_ordinary_rates() -> None:
    html = render_html(demo_invoice(6))  # 20 %, 10 %, 5.5 %: no exemption
    assert "Mention" not in _vat_headers(html)
    assert 'class="mention text"' not in html
    assert "Mention" not in pdf_text(render_pdf(demo_invoice(6)))


def test_mention_column_when_a_rate_is_exempt() -> None:
    document = demo_invoice(1)
    document.lines.append(
        Line(
            name="Micro-entreprise",
            quantity=Decimal(1),
            net_price=Decimal(10),
            vat_category=VatCategory.EXEMPT,
            vat_rate=Decimal(0),
            vat_exemption_reason="TVA non applicable, art. 293 B du CGI",
        )
    )
    html = render_html(document)
    assert "Mention" in _vat_headers(html)
    assert html.count('<td class="mention text">') == 2  # one cell per row, empty or not
    text = pdf_text(render_pdf(document))
    assert "Mention" in text
    assert "art. 293 B du CGI" in text


def test_legal_notes_never_fill_a_page_alone() -> None:
    # A 40-line draft: the notes did not fit under the payment and made a page of their
    # own. Whatever the length, the payment (its IBAN) comes along to the notes' page.
    for count in range(36, 44):
        draft = demo_invoice(count).model_copy(
            update={"number": None, "payment_reference": None, "issue_date": None}
        )
        text = pdf_text(render_pdf(draft))
        pages = [page.split() for page in text.split("\f") if page.strip()]
        [with_notes] = [page for page in pages if "MENTIONS" in page]
        assert "IBAN" in with_notes, (count, with_notes)


def test_a_payment_label_stays_with_its_value() -> None:
    # The holder's name used to wrap inside: "Titulaire Atelier" / "Blanc SARL".
    for count in (1, 40):
        text = pdf_text(render_pdf(demo_invoice(count)))
        lines = [" ".join(line.split()) for line in text.splitlines()]
        assert any("Titulaire Atelier Blanc SARL" in line for line in lines), lines[-30:]
        assert any("IBAN FR76 3000 6000 0112 3456 7890 189" in line for line in lines)
