"""Dialogs open where the user looks, inside the iframe the SDK sizes to its content:
on the example partner page (another origin), desktop and phone, the host page scrolled
to the top or to the bottom, the finalize confirmation's buttons are inside the host's
window; focus goes into the dialog and back to the button."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import (
    DESKTOP,
    PHONE,
    PartnerSite,
    in_view,
    open_editor,
    partner_site,
    shot,
    wait_in_view,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("dialogs"))) as site:
        yield site


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("scrolled", ["top", "bottom"])
def test_the_finalize_confirmation_opens_in_view(
    site: PartnerSite, page: Page, size: str, scrolled: str
) -> None:
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    draft = site.partner.draft(site.company_id)  # complete: finalize asks to confirm
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    expect(frame.locator("[data-fragment=findings] .bl-ok")).to_be_visible()
    finalize = frame.locator("[data-action=finalize]")
    expect(finalize).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 2 * page.viewport_size["height"]  # type: ignore[index]  # the frame is tall
    if scrolled == "top":
        page.evaluate("window.scrollTo(0, 0)")
        finalize.click()  # a pointer user: the button is in view
    else:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(100)  # let the SDK tell the frame (one animation frame)
        assert not in_view(page, finalize)
        # A keyboard user reaching the button without the page scrolling to it.
        finalize.evaluate("b => { b.focus({preventScroll: true}); b.click(); }")
    dialog = frame.locator("#bl-confirm")
    expect(dialog).to_be_visible()
    confirm = dialog.locator("[data-dialog=confirm]")
    cancel = dialog.locator("[data-dialog=cancel]")
    assert wait_in_view(page, confirm), confirm.bounding_box()
    assert in_view(page, cancel)
    expect(dialog.locator("button").first).to_be_focused()
    shot(page, f"dialog-finalize-{size}-{scrolled}")

    # The page scrolls a little while the dialog is open: it follows.
    page.mouse.wheel(0, -120 if scrolled == "bottom" else 120)
    assert wait_in_view(page, confirm), confirm.bounding_box()

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(finalize).to_be_focused()
