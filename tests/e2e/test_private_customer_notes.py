"""A new invoice's preview prints the company's legal notes; choosing a private person
as the customer drops the B2B-only ones (the 40 € recovery indemnity, the late-payment
penalties) from the preview at once, as issuing drops them from the invoice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PHONE, PartnerSite, open_editor, partner_site, shot

pytestmark = pytest.mark.browser

WORDS = {
    "fr": ("Nouveau client", "Particulier", "Nom", "Adresse", "Code postal", "Ville", "Créer"),
    "en": ("New customer", "Individual", "Name", "Address", "Postcode", "City", "Create"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("private-notes"))) as site:
        yield site


@pytest.mark.parametrize(
    ("locale", "size"), [("fr", DESKTOP), ("en", PHONE), ("fr", PHONE), ("en", DESKTOP)]
)
def test_a_private_customer_drops_the_b2b_notes_from_the_preview(
    site: PartnerSite, page: Page, locale: str, size: dict[str, int]
) -> None:
    new, person, name, address, postcode, city, create = WORDS[locale]
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url(locale=locale))
    preview = frame.frame_locator("#bl-preview-frame").locator("body")
    expect(preview).to_contain_text("40 €", timeout=15_000)  # a business customer's, by default
    expect(preview).to_contain_text("Pénalités de retard")

    frame.get_by_role("button", name=new).click()
    form = frame.locator("#bl-new-contact")
    form.get_by_label(person).check()
    form.get_by_label(name, exact=True).fill("Camille Martin")
    form.get_by_label(address).fill("12 rue des Lilas")
    form.get_by_label(postcode).fill("75011")
    form.get_by_label(city).fill("Paris")
    form.get_by_role("button", name=create).click()
    expect(frame.locator("#bl-customer-card")).to_contain_text("Camille Martin")

    expect(preview).to_contain_text("Camille Martin", timeout=15_000)
    expect(preview).not_to_contain_text("40 €")
    expect(preview).not_to_contain_text("Pénalités de retard")
    expect(preview).to_contain_text("Pas d'escompte")  # not a B2B-only mention
    frame.locator("#bl-preview-frame").scroll_into_view_if_needed()
    shot(page, f"private-notes-{'desktop' if size == DESKTOP else 'phone'}-{locale}")
