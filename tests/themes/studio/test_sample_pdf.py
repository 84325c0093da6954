"""The studio's sample invoice wears the partner's colours, never its logo: a document
prints the logo of the company issuing it (pdfimages: no image drawn)."""

from __future__ import annotations

from server.emails.branding import InlineLogo
from server.themes.pdf import pdf_theme_css
from tests.poppler import pdf_images, pdf_text
from tests.server.test_printed_logo import png
from themes import build_theme
from themes.model import DEFAULT_THEME
from themes.studio.backend import Previews, first_page_png, sample_invoice_pdf


def test_the_sample_invoice_prints_no_partner_logo() -> None:
    partner_logo = InlineLogo(png((64, 32)), "image/png", 64, 32)
    previews = Previews({}, "", "", pdf_theme_css(build_theme(DEFAULT_THEME)), partner_logo)
    pdf = sample_invoice_pdf(previews)
    assert "F-2026-00042" in pdf_text(pdf)
    assert [image for image in pdf_images(pdf) if image.kind == "image"] == []
    assert first_page_png(pdf).startswith("data:image/png;base64,")
