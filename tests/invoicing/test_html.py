"""The document HTML: escaping, formatting, labels, legal mentions."""

from __future__ import annotations

import base64
import datetime as dt
import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from markupsafe import escape

from invoicing import html as html_module
from invoicing.formatting import TEMPLATES, Formatter, format_iban, format_siren
from invoicing.html import SECTIONS, render_html
from invoicing.model import (
    Delivery,
    Document,
    DocumentKind,
    Line,
    Note,
    Party,
    PaymentMeans,
    PrecedingInvoice,
    VatCategory,
)
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals
from tests.strategies import documents

NASTY = "A & B < C > D \" E ' F ]]> <script>alert('x')</script>"


def one_line(price: str, *, locale: str = "fr") -> str:
    document = Document(
        number="F-1",
        issue_date=dt.date(2026, 1, 15),
        seller=Party(name="Vendeur"),
        buyer=Party(name="Client"),
        lines=[
            Line(
                name="Article",
                quantity=Decimal(1),
                net_price=Decimal(price),
                vat_category=VatCategory.ZERO,
                vat_rate=Decimal(0),
            )
        ],
    )
    return render_html(document, locale=locale)


def visible_text(html: str) -> str:
    body = html.split("<body>", 1)[1]
    return re.sub(r"<[^>]+>", " ", body)


def test_user_text_is_escaped_everywhere() -> None:
    document = demo_invoice(2)
    document.number = NASTY
    document.subject = NASTY
    document.payment_terms = NASTY
    document.buyer_reference = NASTY
    document.seller.name = NASTY
    document.seller.legal_info = NASTY
    document.buyer.name = NASTY
    document.buyer.address.line1 = NASTY
    document.lines[0].name = NASTY
    document.lines[0].description = NASTY
    document.notes.append(Note(text=NASTY))
    document.payment_means[0].account_name = NASTY
    html = render_html(document)
    assert "<script" not in html
    assert "]]>" not in html
    escaped = str(escape(NASTY))
    assert "&amp;" in escaped and "&#34;" in escaped and "&#39;" in escaped
    assert "]]&gt;" in escaped
    # title, meta author/description/keywords, footer and every field above
    assert html.count(escaped) >= 12


def test_theme_css_cannot_close_its_style_element() -> None:
    theme = ":root { --brand-primary: #0a7; } </style><script>alert(1)</script>"
    html = render_html(demo_invoice(1), theme_css=theme)
    assert html.count("<style>") == html.count("</style>") == 2
    assert "<\\/style><script>alert(1)<\\/script>" in html
    assert "--brand-primary: #0a7;" in html


def test_only_data_uri_logos_are_shown() -> None:
    png = "data:image/png;base64," + base64.b64encode(b"\x89PNG fake").decode()
    assert f'src="{png}"' in render_html(demo_invoice(1), logo_data_uri=png)
    for refused in (
        "https://tracker.example/logo.png",
        "file:///etc/passwd",
        'data:image/png;base64,AAAA" onerror="alert(1)',
        "data:text/html;base64,PHNjcmlwdD4=",
    ):
        html = render_html(demo_invoice(1), logo_data_uri=refused)
        assert "<img" not in html


def test_amounts_in_french_and_english() -> None:
    # Babel groups French digits with a narrow no-break space (U+202F) and puts a
    # no-break space (U+00A0) before the euro sign.
    assert "1\u202f234,56\xa0€" in one_line("1234.56")
    assert "€1,234.56" in one_line("1234.56", locale="en")
    assert "€1,234.56" in one_line("1234.56", locale="en_GB")


def test_formatter() -> None:
    fr = Formatter("fr", "EUR")
    assert fr.money(Decimal("-15.00")) == "-15,00\xa0€"
    assert fr.unit_price(Decimal("7.900000")) == "7,90\xa0€"
    assert fr.unit_price(Decimal("0.123456")) == "0,123456\xa0€"
    assert fr.number(Decimal("2.5000")) == "2,5"
    assert fr.number(Decimal("10.0000")) == "10"
    assert fr.percent(Decimal("5.5")) == "5,5\xa0%"
    assert fr.date(dt.date(2026, 11, 24)) == "24 novembre 2026"
    en = Formatter("en", "USD")
    assert en.money(Decimal("1234.5")) == "$1,234.50"
    assert en.percent(Decimal("20")) == "20%"
    assert en.date(dt.date(2026, 11, 24)) == "November 24, 2026"


def test_identifiers_are_grouped() -> None:
    assert format_iban("fr76 3000 6000 0112 3456 7890 189") == "FR76 3000 6000 0112 3456 7890 189"
    assert format_siren("732829320") == "732 829 320"
    assert format_siren("73282932000074") == "732 829 320 00074"
    assert format_siren("ABC") == "ABC"


def test_french_invoice_carries_the_legal_mentions() -> None:
    html = render_html(demo_invoice(6))
    text = visible_text(html)
    for expected in (
        "Facture",
        "F-2026-00042",
        "24 novembre 2026",
        "Date d&#39;échéance",
        "24 décembre 2026",
        "Atelier Blanc SARL",
        "SARL au capital de 10\xa0000\xa0€, RCS Lyon 732\xa0829\xa0320",  # footer: kept whole
        "732 829 320 00074",
        "FR44732829320",
        "Boulangerie Dupont &amp; Fils",
        "552 100 554",
        "BC-2026-118",
        "heure",
        "unité",
        "mois",
        "−10\xa0%",
        "Total HT",
        "Total TVA",
        "Total TTC",
        "Net à payer",
        "opération mixte (biens et services)",
        "TVA acquittée sur les débits",
        "Indemnité forfaitaire pour frais de recouvrement",
        "Pénalités de retard",
        "Pas d&#39;escompte",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPPXXX",
        "Virement SEPA",
    ):
        assert expected in text, expected
    assert 'lang="fr"' in html


def test_english_labels() -> None:
    html = render_html(demo_invoice(3), locale="en")
    text = visible_text(html)
    for expected in ("Invoice", "Due date", "Amount due", "VAT breakdown", "hour", "unit"):
        assert expected in text, expected
    for french in ("Facture", "Net à payer", "Échéance", "Désignation", "heure"):
        assert french not in text, french
    assert "November 24, 2026" in text
    assert 'lang="en"' in html


def test_titles_by_kind() -> None:
    credit = demo_invoice(1)
    credit.kind = DocumentKind.CREDIT_NOTE
    credit.preceding_invoices = [PrecedingInvoice(number="F-9", issue_date=dt.date(2026, 1, 2))]
    text = visible_text(render_html(credit))
    assert "Avoir" in text
    assert f"Avoir n° {credit.number} sur la facture n° F-9 du 2 janvier 2026" in text
    assert "Montant de l&#39;avoir" in text

    deposit = demo_invoice(1)
    deposit.kind = DocumentKind.DEPOSIT_INVOICE
    assert "Facture d&#39;acompte" in visible_text(render_html(deposit))

    quote = demo_invoice(1)
    quote.kind = DocumentKind.QUOTE
    text = visible_text(render_html(quote))
    assert "Devis" in text
    assert "Valable jusqu&#39;au" in text
    assert "Bon pour accord" in text
    assert "Net à payer" not in text


def test_vat_exemptions_and_delivery_address() -> None:
    document = demo_invoice(1)
    document.lines.append(
        Line(
            name="Prestation UE",
            quantity=Decimal(1),
            net_price=Decimal(100),
            vat_category=VatCategory.REVERSE_CHARGE,
            vat_rate=Decimal(0),
        )
    )
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
    document.delivery = Delivery(
        date=dt.date(2026, 11, 20),
        address=document.buyer.address.model_copy(update={"line1": "Chantier rue Neuve"}),
    )
    text = visible_text(render_html(document))
    assert "Autoliquidation" in text
    assert "TVA non applicable, art. 293 B du CGI" in text
    assert "Adresse de livraison" in text
    assert "Chantier rue Neuve" in text
    assert "20 novembre 2026" in text
    same = demo_invoice(1)
    same.delivery = Delivery(address=same.buyer.address)
    assert "Adresse de livraison" not in render_html(same)


def test_unknown_unit_and_payment_code_are_shown_as_codes() -> None:
    document = demo_invoice(1)
    document.lines[0].unit = "ZZZQ"
    document.payment_means = [PaymentMeans(code="XQ1")]
    text = visible_text(render_html(document))
    assert "ZZZQ" in text
    assert "XQ1" in text


def test_long_descriptions_and_rtl_text_are_marked_wrappable() -> None:
    document = demo_invoice(1)
    document.lines[0].description = "x" * 10_000
    document.lines[0].name = "עברית: שירות"
    html = render_html(document)
    assert "x" * 10_000 in html
    assert "overflow-wrap: anywhere" in html
    assert "unicode-bidi: plaintext" in html
    assert re.search(r'<td class="item text">עברית: שירות<', html)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_html_shows_what_compute_totals_computed(document: Document) -> None:
    html = render_html(document)
    totals = compute_totals(document)
    money = Formatter("fr", document.currency).money
    shown = [
        totals.tax_exclusive_total,
        totals.vat_total,
        totals.tax_inclusive_total,
        totals.amount_due,
        *(line.net_amount for line in totals.lines),
        *(row.taxable_amount for row in totals.vat_breakdown),
    ]
    for amount in shown:
        assert str(escape(money(amount))) in html
    for line in document.lines:
        assert str(escape(line.name or "")) in html
        if line.description:
            assert str(escape(line.description)) in html
    assert "<script" not in html


def _cleared() -> None:
    html_module._section.cache_clear()
    html_module._line_row.cache_clear()
    html_module._party.cache_clear()
    html_module._pairs.cache_clear()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(max_lines=6), documents(max_lines=6))
def test_sections_kept_from_other_documents_render_the_same_page(
    first: Document, second: Document
) -> None:
    # `second` borrows `first`'s seller, lines and notes: sections and rows kept from
    # `first` are reused where their values are the same, and only there.
    second = second.model_copy(
        update={"seller": first.seller, "lines": first.lines[:2] + second.lines}
    )
    for locale in ("fr", "en"):
        _cleared()
        cold = render_html(second, locale=locale)
        render_html(first, locale=locale)
        assert render_html(second, locale=locale) == cold


def test_each_section_reads_the_fields_it_declares_only() -> None:
    # A section is kept by the values of its declared fields: reading another would
    # show a stale value.
    for section in SECTIONS:
        source = (TEMPLATES / section.template).read_text(encoding="utf-8")
        read = set(re.findall(r"\bdoc\.(\w+)", source))
        assert read <= {*section.fields, "label"}, (section.template, read - {*section.fields})
        assert "lang" in section.fields  # `label` follows it


def test_a_draft_says_brouillon_not_a_number_and_the_description_is_neutral() -> None:
    issued = demo_invoice(1)
    html = render_html(issued)
    assert f'<p class="doc-number text">N° {issued.number}</p>' in html
    assert "émis par" not in html  # "Facture … émis par": the title's gender varies
    assert f", émetteur : {escape(issued.seller.name)}" in html
    draft = issued.model_copy(update={"number": None})
    assert '<p class="doc-number text">Brouillon</p>' in render_html(draft)
    assert '<p class="doc-number text">Draft</p>' in render_html(draft, locale="en")


def test_a_final_invoice_names_the_deposit_invoices_it_deducts() -> None:
    final = demo_invoice(1)
    final.business_process = "S4"  # a final invoice after deposits
    final.preceding_invoices = [PrecedingInvoice(number="F-7", issue_date=dt.date(2026, 1, 2))]
    text = visible_text(render_html(final))
    assert "Facture finale après acompte" in text
    assert "Acompte déduit : facture d&#39;acompte n° F-7 du 2 janvier 2026" in text
    english = visible_text(render_html(final, locale="en"))
    assert "Deposit deducted: deposit invoice F-7 dated January 2, 2026" in english
    final.business_process = "S1"  # any other invoice just names its preceding invoice
    assert "Facture précédente n° F-7 du 2 janvier 2026" in visible_text(render_html(final))


def test_deducted_deposits_are_not_said_paid_and_a_paid_invoice_is() -> None:
    """BT-113 on a final invoice is the deposits deducted, paid or not yet: it does not
    say "already paid"; an invoice paid before issue (billing mode S2) does."""
    final = demo_invoice(1)
    final.business_process = "S4"
    final.prepaid_amount = Decimal("10.00")
    text = visible_text(render_html(final))
    assert "Acomptes déduits" in text and "Déjà réglé" not in text
    english = visible_text(render_html(final, locale="en"))
    assert "Deposits deducted" in english and "Paid in advance" not in english
    final.business_process = "S2"
    text = visible_text(render_html(final))
    assert "Déjà réglé" in text and "Acomptes déduits" not in text
    assert "Paid in advance" in visible_text(render_html(final, locale="en"))
