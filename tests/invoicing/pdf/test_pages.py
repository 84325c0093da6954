"""The Typst pages print what the HTML preview shows, word for word and in the same
order, for every shape of document; user text is data, never Typst markup."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import lxml.html
import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from invoicing.document_view import DocumentView, document_view
from invoicing.html import render_view
from invoicing.model import (
    Address,
    Delivery,
    Document,
    DocumentKind,
    Line,
    Note,
    PrecedingInvoice,
    SupportingDocument,
)
from invoicing.pdf.pages import WORKSPACE_PREFIX, render_view_pdf
from invoicing.samples import demo_invoice
from tests.poppler import pdf_images, pdf_pages_png

# Bidirectional controls pdftotext adds around right-to-left runs, and the narrow
# no-break space that groups digits ("1 359,18"): too narrow a gap for pdftotext to
# see a space in it.
_IGNORED = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u202f"))
_PAGE_NUMBER = re.compile(r"\d+ / \d+")

MARKUP = r"#set page(width: 1cm) $x^2$ \ *bold* _em_ <label> @ref `raw` [a] {b} // c /* d */ ~ '"


def words(text: str) -> list[str]:
    return text.translate(_IGNORED).casefold().split()


def html_words(view: DocumentView) -> list[str]:
    """The preview's words in reading order: its footer comes last on screen and
    prints on every page of the PDF, so it is compared apart."""
    root = lxml.html.document_fromstring(render_view(view))
    for element in root.xpath("//head | //footer"):
        element.getparent().remove(element)
    return words(" ".join(root.itertext()))


def pdf_pages(pdf: bytes) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return [page for page in done.stdout.decode().split("\f") if page.strip()]


def pdf_body_words(view: DocumentView, pdf: bytes) -> list[str]:
    """The PDF's words, each page's footer and number checked and taken off, and the
    lines table's head taken off the pages it is repeated on."""
    footer = words(" · ".join(view.footer))
    head = words(" ".join(_column_heads(view)))
    body: list[str] = []
    pages = pdf_pages(pdf)
    for number, page in enumerate(pages, start=1):
        page_words = words(page)
        ending = [*footer, *words(f"{number} / {len(pages)}")]  # every page's foot
        assert page_words[-len(ending) :] == ending, (number, page_words[-len(ending) :])
        page_words = page_words[: -len(ending)]
        if number > 1 and page_words[: len(head)] == head:
            page_words = page_words[len(head) :]
        body.extend(page_words)
    return body


def _column_heads(view: DocumentView) -> list[str]:
    keys = ["col_description", "col_quantity", "col_unit", "col_unit_price"]
    keys += ["col_discount"] if view.show_discount else []
    return [view.label[key] for key in (*keys, "col_vat", "col_amount")]


def assert_same_words(view: DocumentView, pdf: bytes) -> None:
    """The same characters in the same order, spaces aside: a word may wrap inside
    ("contact@boulangerie-" / "dupont.example") and pdftotext sees a space where the
    font changes ("0 中")."""
    assert "".join(pdf_body_words(view, pdf)) == "".join(html_words(view))


def private_customer() -> Document:
    document = demo_invoice(3)
    document.buyer.siren = None
    document.buyer.siret = None
    document.buyer.vat_id = None
    document.buyer.name = "Camille Durand"
    return document


def with_kind(document: Document, kind: DocumentKind, number: str | None = None) -> Document:
    document.kind = kind
    if number:
        document.number = number
    return document


def final_after_deposit() -> Document:
    final = demo_invoice(2)
    final.business_process = "S4"
    final.preceding_invoices = [PrecedingInvoice(number="F-7", issue_date=dt.date(2026, 1, 2))]
    final.prepaid_amount = Decimal("10.00")
    return final


def delivered_elsewhere() -> Document:
    document = demo_invoice(4)
    document.delivery = Delivery(
        name="Chantier Nord",
        date=dt.date(2026, 11, 20),
        address=Address(line1="1 quai du Port", postcode="13002", city="Marseille", country="FR"),
    )
    document.supporting_documents = [SupportingDocument(id="BL-17", description="Bon de livraison")]
    return document


def without_discount() -> Document:
    document = demo_invoice(4)
    for line in document.lines:
        line.allowances_charges = []
    return document


SHAPES = {
    "b2b": lambda: demo_invoice(20),
    "one line": lambda: demo_invoice(1),
    "forty lines": lambda: demo_invoice(40),
    "private customer": private_customer,
    "credit note": lambda: with_kind(demo_invoice(3), DocumentKind.CREDIT_NOTE),
    "deposit": lambda: with_kind(demo_invoice(2), DocumentKind.DEPOSIT_INVOICE),
    "final after deposit": final_after_deposit,
    "quote": lambda: with_kind(demo_invoice(3), DocumentKind.QUOTE, "D-2026-007"),
    "delivery and supporting documents": delivered_elsewhere,
    "no discount column": without_discount,
    "empty draft": lambda: Document(kind=DocumentKind.INVOICE, lines=[Line()]),
}


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_pdf_prints_the_previews_words_in_its_order(shape: str, locale: str) -> None:
    view = document_view(SHAPES[shape](), locale=locale)
    assert_same_words(view, render_view_pdf(view))


def test_five_hundred_lines_print_every_word() -> None:
    view = document_view(demo_invoice(500), locale="fr")
    pdf = render_view_pdf(view)
    assert_same_words(view, pdf)
    assert len(pdf_pages(pdf)) > 10


def nasty_document() -> Document:
    document = demo_invoice(3)
    document.lines[0].name = "中文：系统维护服务 Ελληνικά Кириллица 🧾✅ " + MARKUP
    document.lines[0].description = "x" * 400 + "\n" + MARKUP
    document.lines[1].name = "عربي עברית 123"
    document.buyer.name = '#let x = 1; $ \\ * _ < @ > "quoted"'
    document.subject = "<b>not bold</b> #text(red)[not red]"
    document.notes = [Note(text=MARKUP), Note(text="Ligne 1\nLigne 2 `raw`")]
    document.payment_reference = "#{panic()}"
    return document


def test_user_text_is_printed_as_text_never_as_markup() -> None:
    view = document_view(nasty_document())
    pdf = render_view_pdf(view)
    assert_same_words(view, pdf)
    text = "".join(words(" ".join(pdf_pages(pdf))))
    for expected in (MARKUP, "#let x = 1; $ \\ * _ < @ >", "#{panic()}", "#text(red)[not red]"):
        assert "".join(words(expected)) in text
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert float(opened.pages[0].MediaBox[2]) == pytest.approx(595.28, abs=0.5)  # still A4


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


SVG_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30">'
    b'<rect width="90" height="30" fill="#0a78c8"/></svg>'
)


def test_the_png_logo_is_the_one_image() -> None:
    view = document_view(demo_invoice(20))
    pdf = render_view_pdf(view, logo=png_logo(), mime="image/png")
    assert [(image.width, image.height) for image in pdf_images(pdf)] == [(120, 40)]
    assert_same_words(view, pdf)


def test_a_raster_logo_is_as_large_as_in_the_preview() -> None:
    # A browser shows a pixel as 1/96 inch whatever DPI the file states (here 300).
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (10, 120, 200)).save(buffer, format="PNG", dpi=(300, 300))
    pdf = render_view_pdf(document_view(demo_invoice(1)), logo=buffer.getvalue(), mime="image/png")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "logo.pdf"
        path.write_bytes(pdf)
        listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True)
    (row,) = listed.stdout.decode().splitlines()[2:]
    x_ppi, y_ppi = row.split()[12:14]
    assert (x_ppi, y_ppi) == ("96", "96")


def test_an_svg_logo_is_drawn_as_vectors() -> None:
    view = document_view(demo_invoice(2))
    pdf = render_view_pdf(view, logo=SVG_LOGO, mime="image/svg+xml")
    assert pdf_images(pdf) == []
    assert (10, 120, 200) in colours_of(pdf)


def test_no_logo_without_an_accepted_type() -> None:
    view = document_view(demo_invoice(1))
    assert pdf_images(render_view_pdf(view, logo=png_logo(), mime="text/html")) == []
    assert pdf_images(render_view_pdf(view, logo=b"\xff\xfe", mime="image/svg+xml")) == []


def colours_of(pdf: bytes) -> set[tuple[int, int, int]]:
    with tempfile.TemporaryDirectory() as folder:
        (page, *_) = pdf_pages_png(pdf, Path(folder), dpi=40)
        with Image.open(page) as image:
            counted = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert counted is not None
    return {colour for _, colour in counted}


def test_the_theme_colours_the_page() -> None:
    theme = ":root {\n  --brand-primary: #7a1f5c;\n  --brand-accent: #f0e68c;\n}\n"
    view = document_view(demo_invoice(3))
    colours = colours_of(render_view_pdf(view, theme_css=theme))
    assert (0x7A, 0x1F, 0x5C) in colours  # the table head, the rule, the amount due
    assert (0xF0, 0xE6, 0x8C) in colours  # the buyer's block, the payment block
    default = colours_of(render_view_pdf(view))
    assert (0x7A, 0x1F, 0x5C) not in default
    assert (0x1F, 0x29, 0x33) in default


def test_pages_are_pdfa3b() -> None:
    pdf = render_view_pdf(document_view(demo_invoice(2)))
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        meta = opened.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "B")
        assert opened.Root.OutputIntents[0].S == "/GTS_PDFA1"


# Text from the scripts the fonts cover, with Typst's markup characters among them.
_ALPHABET = st.sampled_from(
    list("abcdeéèçàXYZ0123456789 .,;:!?'\"-+=%&()[]{}<>#$\\*_@`~/|^") + list("αβγжщ中文日本")
)
_TEXT = st.text(_ALPHABET, min_size=1, max_size=40).filter(lambda text: text.strip() != "")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(_TEXT, min_size=1, max_size=6),
    buyer=_TEXT,
    note=_TEXT,
    locale=st.sampled_from(["fr", "en"]),
)
def test_any_document_prints_the_previews_words(
    names: list[str], buyer: str, note: str, locale: str
) -> None:
    document = demo_invoice(len(names))
    for line, name in zip(document.lines, names, strict=True):
        line.name = name
    document.buyer.name = buyer
    document.notes.append(Note(text=note))
    view = document_view(document, locale=locale)
    assert_same_words(view, render_view_pdf(view))


def test_a_dead_process_workspace_is_removed_by_the_next_one() -> None:
    # A process killed by a signal leaves its folder: the next process to start a
    # workspace removes it, never a live process's.
    child = subprocess.Popen(["true"])
    child.wait()
    orphan = Path(tempfile.mkdtemp(prefix=f"{WORKSPACE_PREFIX}{child.pid}-"))
    alive = Path(tempfile.mkdtemp(prefix=f"{WORKSPACE_PREFIX}{os.getpid()}-"))
    try:
        code = "from invoicing.pdf.pages import _workspace; _workspace()"
        subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
        assert not orphan.exists()
        assert alive.exists()
    finally:
        shutil.rmtree(orphan, ignore_errors=True)
        shutil.rmtree(alive, ignore_errors=True)
