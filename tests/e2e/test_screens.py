"""The editor as users see it on the example partner page, in French and English, on
a desktop and a phone: a complete draft and an issued invoice, whole pages saved under
var/screenshots/ to be looked at. What is asserted: nothing overflows sideways, the
toolbar's buttons are inside the phone's width, the words are in the session's
language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    PartnerSite,
    open_editor,
    partner_site,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("screens"))) as site:
        yield site


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_main_states(site: PartnerSite, page: Page, locale: str, size: str) -> None:
    viewport = DESKTOP if size == "desktop" else PHONE
    page.set_viewport_size(viewport)
    draft = site.partner.draft(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, locale=locale))
    expect(frame.locator("[data-fragment=findings] .bl-ok")).to_be_visible()
    save = "Enregistrer" if locale == "fr" else "Save"
    expect(frame.get_by_role("button", name=save, exact=True)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width  # nothing overflows sideways
    for button in frame.locator(".bl-toolbar button").all():
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= viewport["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"screen-draft-{size}-{locale}.png"), full_page=True)

    issued = site.partner.finalized(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": issued["id"]}, locale=locale))
    pay = "Enregistrer un paiement" if locale == "fr" else "Record a payment"
    frame.get_by_role("button", name=pay).click()
    expect(frame.locator("#bl-payment")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"screen-payment-{size}-{locale}.png"))
