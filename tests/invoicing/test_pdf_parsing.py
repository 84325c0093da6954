"""The PDF's HTML is parsed by lxml instead of WeasyPrint's own parser (tinyhtml5):
the tree must be the same, and so must every rendered page, pixel for pixel."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import tinyhtml5
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from weasyprint import HTML

from invoicing.document_view import document_view
from invoicing.html import render_view
from invoicing.model import Document, DocumentKind, Line, Note
from invoicing.pdf import OUTPUT_INTENT, _renderer, parse_html
from invoicing.samples import demo_invoice

Node = tuple[int, str, tuple[tuple[str, str], ...], str | None, str | None]


def _nodes(element: ElementTree.Element, depth: int = 0) -> Iterator[Node]:
    attributes = tuple(sorted(element.attrib.items()))
    yield depth, str(element.tag), attributes, element.text, element.tail
    for child in element:
        yield from _nodes(child, depth + 1)


def _html(document: Document, locale: str = "fr") -> str:
    view = document_view(document, locale=locale, logo_data_uri=None, inline_css=False)
    return render_view(view)


def _weasyprint_tree(html: str) -> list[Node]:
    return list(_nodes(tinyhtml5.parse(html, namespace_html_elements=False)))


def _tricky() -> Document:
    document = demo_invoice(3)
    document.lines[0].name = 'A & B <b>gras</b> "cité" l\'atelier\ttab'
    document.lines[0].description = "ligne 1\r\nligne 2\rligne 3\n\n  espaces  \u00a0insécables"
    document.lines[1].name = "مرحبا עברית Ελληνικά 中文 🧾 " + "x" * 300
    document.notes = [Note(text="<!-- pas un commentaire --> ]]> <?pi?> &amp;")]
    return document


def _quote() -> Document:
    document = demo_invoice(2)
    document.kind = DocumentKind.QUOTE
    return document


DOCUMENTS = {
    "empty": lambda: demo_invoice(0),
    "one line": lambda: demo_invoice(1),
    "twenty lines": lambda: demo_invoice(20),
    "tricky text": _tricky,
    "quote": _quote,
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_tree_is_the_one_weasyprint_parses(name: str) -> None:
    html = _html(DOCUMENTS[name]())
    assert list(_nodes(parse_html(html))) == _weasyprint_tree(html)


def test_the_tree_is_the_same_in_english() -> None:
    html = _html(_tricky(), locale="en")
    assert list(_nodes(parse_html(html))) == _weasyprint_tree(html)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(min_size=1, max_size=60),
    description=st.text(max_size=120),
)
def test_any_typed_text_gives_the_same_tree(name: str, description: str) -> None:
    document = demo_invoice(1)
    try:
        document.lines.append(
            Line(name=name, description=description, quantity=Decimal(1), net_price=Decimal(1))
        )
        document = Document.model_validate(document.model_dump())
    except ValidationError:
        return  # refused at the model boundary (control characters...): never rendered
    html = _html(document)
    assert list(_nodes(parse_html(html))) == _weasyprint_tree(html)


def _pages(pdf: bytes, folder: Path, prefix: str) -> list[bytes]:
    source = folder / f"{prefix}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(source), str(folder / prefix)], check=True)
    return [png.read_bytes() for png in sorted(folder.glob(f"{prefix}-*.png"))]


@pytest.mark.parametrize("name", ["twenty lines", "tricky text"])
def test_pages_are_pixel_identical_to_weasyprints_own_parsing(name: str, tmp_path: Path) -> None:
    html = _html(DOCUMENTS[name]())
    renderer = _renderer()
    ours = renderer.pdf(html)
    theirs = HTML(string=html).write_pdf(
        pdf_variant="pdf/a-3b",
        output_intent=OUTPUT_INTENT,
        font_config=renderer.font_config,
        color_profiles=renderer.color_profiles,
        stylesheets=[renderer.stylesheet],
    )
    our_pages = _pages(ours, tmp_path, "ours")
    assert len(our_pages) >= 1
    assert our_pages == _pages(theirs, tmp_path, "theirs")
