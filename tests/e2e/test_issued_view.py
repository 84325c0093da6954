"""An issued document reads as a document: its printed HTML (the PDF's) where the
form was, its status, its actions and its lifecycle; no wall of locked fields. A
draft keeps its form. Desktop and phone, French and English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PHONE, PartnerSite, open_editor, partner_site, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("issued"))) as site:
        yield site


@pytest.mark.parametrize(
    ("locale", "size", "heading", "status", "notice"),
    [
        ("fr", DESKTOP, "Le document émis", "Émise", "Ce document est émis"),
        ("en", PHONE, "The issued document", "Issued", "This document is issued"),
    ],
)
def test_an_issued_invoice_reads_as_the_document(
    site: PartnerSite,
    page: Page,
    locale: str,
    size: dict[str, int],
    heading: str,
    status: str,
    notice: str,
) -> None:
    invoice = site.partner.finalized(site.company_id)
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}, locale=locale))
    expect(frame.get_by_role("heading", name=heading)).to_be_visible()
    expect(frame.locator("#bl-status")).to_have_text(status)
    expect(frame.locator("#bl-notice")).to_contain_text(notice)
    expect(frame.locator("#bl-fields")).to_be_hidden()  # no greyed-out form
    assert frame.locator("input:visible:disabled, textarea:visible:disabled").count() == 0
    document = frame.frame_locator("#bl-preview-frame")
    expect(document.locator("body")).to_contain_text(invoice["number"])
    expect(document.locator("body")).to_contain_text("Boulangerie Dupont")
    expect(document.locator("h1")).to_have_text("Facture")  # the original's language (its PDF)
    box = frame.locator("#bl-preview-frame").bounding_box()
    assert box is not None and box["height"] > 200  # fitted to its content, not collapsed
    expect(frame.get_by_role("toolbar")).to_contain_text("PDF")
    shot(page, f"issued-view-{'desktop' if size == DESKTOP else 'phone'}-{locale}")


def test_a_draft_keeps_its_form(site: PartnerSite, page: Page) -> None:
    draft = site.partner.draft(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    expect(frame.locator("#bl-fields")).to_be_visible()
    expect(frame.locator(".bl-document")).to_have_count(0)
    expect(frame.locator("#bl-fields input").first).to_be_enabled()
