"""An issued invoice as users see it, in French and English, on a desktop and a phone:
the document view, the "send by email" dialog and the credit note dialog, saved under
var/screenshots/ to be looked at. Asserted: nothing overflows sideways, the toolbar
fits, each dialog's buttons are in the host's view, the words are the session's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from server.extra_settings import SmtpSettings
from tests.e2e.partner_site import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    PartnerSite,
    open_editor,
    partner_site,
    wait_in_view,
)
from tests.server.smtp_server import smtp_server

pytestmark = pytest.mark.browser

WORDS = {
    "fr": ("Envoyer par e-mail", "Envoyer", "Créer un avoir", "Annuler", "Le document émis"),
    "en": ("Send by email", "Send", "Create a credit note", "Cancel", "The issued document"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with smtp_server() as box:
        smtp = SmtpSettings(host=box.host, port=box.port, starttls=False, from_address="a@b.fr")
        with partner_site(Path(tmp_path_factory.mktemp("issued-screens")), smtp) as site:
            yield site


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_issued_states(site: PartnerSite, page: Page, locale: str, size: str) -> None:
    send, submit, credit, cancel, heading = WORDS[locale]
    viewport = DESKTOP if size == "desktop" else PHONE
    page.set_viewport_size(viewport)
    invoice = site.partner.finalized(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}, locale=locale))
    expect(frame.get_by_role("heading", name=heading)).to_be_visible()
    expect(frame.frame_locator("#bl-preview-frame").locator("body")).to_contain_text(
        invoice["number"]
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width
    for button in frame.locator(".bl-toolbar button").all():
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= viewport["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"issued-{size}-{locale}.png"), full_page=True)

    frame.get_by_role("button", name=send).click()
    dialog = frame.locator("#bl-email")
    expect(dialog).to_be_visible()
    assert wait_in_view(page, dialog.get_by_role("button", name=submit, exact=True))
    page.screenshot(path=str(SCREENSHOTS / f"issued-email-{size}-{locale}.png"))
    dialog.get_by_role("button", name=cancel).click()
    expect(dialog).to_be_hidden()

    frame.get_by_role("button", name=credit).click()
    dialog = frame.locator("#bl-credit")
    expect(dialog.locator(".bl-credit-total")).not_to_be_empty()
    assert wait_in_view(page, dialog.get_by_role("button", name=credit))
    assert wait_in_view(page, dialog.locator(".bl-credit-total"))
    page.screenshot(path=str(SCREENSHOTS / f"issued-credit-{size}-{locale}.png"))
