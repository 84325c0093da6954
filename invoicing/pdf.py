"""Document -> PDF/A-3b; for invoices, a Factur-X PDF with the CII XML embedded.

HTML (invoicing.html) -> WeasyPrint (pdf/a-3b) -> one pikepdf pass
(invoicing.pdf_finishing: attaches factur-x.xml with AFRelationship /Data, writes
factur-x's XMP and makes the Info dictionary and the XMP say the same thing). A
quote is not an e-invoice: it is a plain PDF/A-3b without XML.

WeasyPrint fetches nothing but data: URIs (the logo), so a document can never
make the server read a file or call a URL.
"""

from __future__ import annotations

import base64
import gc
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files

import cssselect2
import lxml.html
import tinycss2
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.html import UA, UA_COUNTER_STYLE
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from invoicing.cii.writer import to_xml_bytes
from invoicing.document_view import document_view, stylesheet
from invoicing.html import render_view
from invoicing.model import Document, DocumentKind
from invoicing.pdf_finishing import FacturXAttachment, finish_pdf
from invoicing.profiles import Profile
from invoicing.totals import compute_totals

LOGO_MIME_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/svg+xml"})

# No vendor name in the file: the tool fields say what the file is.
PRODUCER = "PDF/A-3b"
INVOICE_PRODUCER = "Factur-X (EN 16931), PDF/A-3b"

# The PDF/A output intent. WeasyPrint's own "srgb" intent reopens its ICC file on
# every rendering and never closes it (a ResourceWarning each time): declaring the
# same profile once as a CSS colour profile avoids that.
OUTPUT_INTENT = "--pdfa-srgb"

_local = threading.local()


def _output_intent_css() -> str:
    icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    encoded = base64.b64encode(icc).decode("ascii")
    return (
        f"@color-profile {OUTPUT_INTENT} "
        f"{{ src: url(data:application/vnd.iccprofile;base64,{encoded}); components: r, g, b }}"
    )


def _element_tree(element: etree._Element) -> ElementTree.Element:
    """lxml's element as the xml.etree element WeasyPrint works on."""
    attributes = {str(name): str(value) for name, value in element.attrib.items()}
    converted = ElementTree.Element(str(element.tag), attributes)
    converted.text = element.text
    for child in element:
        child_tree = _element_tree(child)
        child_tree.tail = child.tail
        converted.append(child_tree)
    return converted


def parse_html(html: str) -> ElementTree.Element:
    """The document's HTML parsed by libxml2 (lxml, in C) into the same tree
    WeasyPrint's own parser builds (tinyhtml5, pure Python, which took a tenth
    of a rendering); tests/invoicing/test_pdf.py compares the two trees."""
    root = lxml.html.document_fromstring(html)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return _element_tree(root)


# The pseudo-elements of footnotes and notes (`float: footnote`, running notes): our
# pages have none, but WeasyPrint's user-agent rules for them have no element in their
# selector, so they match every element and give each five more styles to cascade and
# compute (a tenth of the CSS time, growing with the number of line cells).
_UNUSED_PSEUDO_ELEMENTS = ("::footnote-", "::note-")


@cache
def _ua_stylesheet() -> CSS:
    """WeasyPrint's own user-agent stylesheet less its footnote and note rules."""
    kept = []
    for rule in tinycss2.parse_stylesheet(UA, skip_comments=True, skip_whitespace=True):
        selector = tinycss2.serialize(getattr(rule, "prelude", [])).strip()
        if rule.type == "qualified-rule" and selector.startswith(_UNUSED_PSEUDO_ELEMENTS):
            continue
        kept.append(tinycss2.serialize([rule]))
    return CSS(string="\n".join(kept), counter_style=UA_COUNTER_STYLE)


class _ParsedHTML(HTML):  # type: ignore[misc]
    """WeasyPrint's HTML document from an already parsed tree: what
    `HTML.__init__` (weasyprint 70.0, pinned) sets once it has parsed."""

    def __init__(self, html: str, url_fetcher: URLFetcher) -> None:
        self.base_url = None  # our pages have no <base>; they fetch data: URIs only
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            parse_html(html), content_language=None
        )
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_ua_stylesheet()]


class _Renderer:
    """WeasyPrint's font configuration, the parsed stylesheet and the colour
    profile: built once per thread (WeasyPrint does not document them as
    thread-safe), since parsing the stylesheet costs more than building and
    embedding the XML."""

    def __init__(self) -> None:
        self.font_config = FontConfiguration()
        self.color_profiles: dict[str, object] = {}
        self.stylesheet = CSS(
            string=_output_intent_css() + stylesheet(),
            font_config=self.font_config,
            color_profiles=self.color_profiles,
            url_fetcher=_url_fetcher(),
        )

    def pdf(self, html: str) -> bytes:
        """`html` without its own copy of the document stylesheet (see `inline_css`)."""
        pdf: bytes = _ParsedHTML(html, _url_fetcher()).write_pdf(
            pdf_variant="pdf/a-3b",
            output_intent=OUTPUT_INTENT,
            font_config=self.font_config,
            color_profiles=self.color_profiles,
            stylesheets=[self.stylesheet],
        )
        return pdf


class _CollectorPause:
    """Python's cyclic garbage collector off while PDFs render.

    WeasyPrint allocates hundreds of thousands of objects that live until the
    rendering ends, and every collection scans them all again: collections took a
    third of a 500-line rendering. The rendering's objects are freed by reference
    counting; the collector is on again once the last rendering thread is done,
    if it was on before the first one started.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._renderings = 0
        self._was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._renderings == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._renderings += 1
        try:
            yield
        finally:
            with self._lock:
                self._renderings -= 1
                if self._renderings == 0 and self._was_enabled:
                    gc.enable()


_collector_paused = _CollectorPause()


def _renderer() -> _Renderer:
    renderer: _Renderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _Renderer()
        _local.renderer = renderer
    return renderer


def _url_fetcher() -> URLFetcher:
    # A fetcher holds per-request state: one per rendering.
    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


def logo_data_uri(logo: bytes | None, mime: str | None) -> str | None:
    """The logo as a base64 data: URI, or None without a logo or with another type."""
    if not logo or mime not in LOGO_MIME_TYPES:
        return None
    return f"data:{mime};base64,{base64.b64encode(logo).decode('ascii')}"


def _pdf_language(locale: str) -> str:
    return locale.replace("_", "-")


def render_pdf(
    document: Document,
    profile: Profile = Profile.EN16931,
    *,
    locale: str = "fr",
    logo: bytes | None = None,
    logo_mime: str | None = None,
    theme_css: str = "",
) -> bytes:
    """The document as PDF/A-3b: a Factur-X invoice (the CII XML for `profile`
    embedded as factur-x.xml) for invoices, credit notes and deposit invoices;
    a plain PDF/A-3b for quotes."""
    with _collector_paused():
        return _render_pdf(document, profile, locale, logo, logo_mime, theme_css)


def _render_pdf(
    document: Document,
    profile: Profile,
    locale: str,
    logo: bytes | None,
    logo_mime: str | None,
    theme_css: str,
) -> bytes:
    totals = compute_totals(document)
    view = document_view(
        document,
        locale=locale,
        logo_data_uri=logo_data_uri(logo, logo_mime),
        theme_css=theme_css,
        totals=totals,
        inline_css=False,
    )
    visual = _renderer().pdf(render_view(view))
    if document.kind is DocumentKind.QUOTE:
        return finish_pdf(visual, view, PRODUCER)
    # The XML is validated (XSD + schematron) by invoicing.official before a
    # document is finalized; checking here would only forbid drafts' PDFs.
    attachment = FacturXAttachment(to_xml_bytes(document, profile, totals), profile.value)
    return finish_pdf(
        visual, view, INVOICE_PRODUCER, attachment=attachment, lang=_pdf_language(locale)
    )
