"""Document -> PDF/A-3b; for invoices, a Factur-X PDF with the CII XML embedded.

The document's view (invoicing.document_view, the one the HTML preview shows) ->
Typst (invoicing.pdf.pages: templates/document.typ, PDF/A-3b) -> one pikepdf pass
(invoicing.pdf.finishing: attaches factur-x.xml with AFRelationship /Data, writes
factur-x's XMP and makes the Info dictionary and the XMP say the same thing). A
quote is not an e-invoice: it is a plain PDF/A-3b without XML.

Typst reads no file but the template, the given fonts and the logo it is handed,
so a document can never make the server read a file or call a URL.
"""

from __future__ import annotations

from invoicing.cii.writer import to_xml_bytes
from invoicing.document_view import document_view
from invoicing.model import Document, DocumentKind
from invoicing.pdf.finishing import FacturXAttachment, finish_pdf
from invoicing.pdf.pages import render_view_pdf
from invoicing.profiles import Profile
from invoicing.totals import compute_totals

# No vendor name in the file: the tool fields say what the file is.
PRODUCER = "PDF/A-3b"
INVOICE_PRODUCER = "Factur-X (EN 16931), PDF/A-3b"


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
    a plain PDF/A-3b for quotes. `logo` is shown if `logo_mime` is PNG, JPEG, WebP
    or SVG; `theme_css` is the partner's document colours (server.themes.pdf)."""
    totals = compute_totals(document)
    # The logo and the stylesheet are the HTML's: the pages take them from the arguments.
    view = document_view(document, locale=locale, totals=totals, inline_css=False)
    visual = render_view_pdf(view, theme_css=theme_css, logo=logo, mime=logo_mime)
    if document.kind is DocumentKind.QUOTE:
        return finish_pdf(visual, view, PRODUCER)
    # The XML is validated (XSD + schematron) by invoicing.official before a
    # document is finalized; checking here would only forbid drafts' PDFs.
    attachment = FacturXAttachment(to_xml_bytes(document, profile, totals), profile.value)
    return finish_pdf(
        visual, view, INVOICE_PRODUCER, attachment=attachment, lang=_pdf_language(locale)
    )
