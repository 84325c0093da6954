"""A payment terms text stating, in the user's own words, another term than the one
chosen is pointed out at the text, in the session's language (BL-TERMS-TEXT, a
warning: the invoice can still be issued); the words Blanche prints follow the term
by themselves and draw nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PHONE, PartnerSite, open_editor, partner_site, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("terms-text"))) as site:
        yield site


@pytest.mark.parametrize(
    ("locale", "size", "said"),
    [
        ("fr", DESKTOP, "dit « 30 jours », mais le délai choisi est « Paiement à 45 jours fin"),
        ("en", PHONE, "says “30 jours” but the chosen term is “Payment 45 days end of month”"),
        ("fr", PHONE, "dit « 30 jours »"),
        ("en", DESKTOP, "says “30 jours”"),
    ],
)
def test_a_text_saying_another_term_is_pointed_out_at_it(
    site: PartnerSite, page: Page, locale: str, size: dict[str, int], said: str
) -> None:
    draft = site.partner.draft(site.company_id)
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, locale=locale))
    frame.locator("[data-path='payment_term.kind']").select_option("days_end_of_month")
    days = frame.locator("[data-path='payment_term.days']")
    days.fill("45")
    days.blur()
    text = frame.locator("[data-path='payment_terms']")
    text.fill("Règlement sous 30 jours par virement.")
    text.blur()
    warning = frame.locator("#" + str(text.get_attribute("id")) + "-msg")
    expect(warning).to_contain_text(said)
    expect(warning).to_have_class("bl-msg bl-msg-warning")
    expect(text).not_to_have_attribute("aria-invalid", "true")  # a warning, not an error
    text.scroll_into_view_if_needed()
    shot(page, f"terms-text-warning-{'desktop' if size == DESKTOP else 'phone'}-{locale}")

    # Said as Blanche says it, the text follows the term: nothing to point out.
    text.fill("Paiement à 30 jours par virement.")
    text.blur()
    expect(warning).to_have_count(0)
    expect(text).to_have_value("Paiement à 30 jours par virement.")
