"""The customer card at the top of the customer block follows the details typed below
it, before any save: a new name, a new city show on the card as they are typed, and a
customer typed from nothing gets a card, with the reform's scope its country gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PHONE, PartnerSite, open_editor, partner_site, shot
from tests.server.documents.flows import invoice_body

pytestmark = pytest.mark.browser

DETAILS = {"fr": ("Nom", "Ville"), "en": ("Name", "City")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("customer-card"))) as site:
        yield site


@pytest.mark.parametrize(
    ("locale", "size"), [("fr", DESKTOP), ("en", PHONE), ("fr", PHONE), ("en", DESKTOP)]
)
def test_the_card_follows_the_details_typed(
    site: PartnerSite, page: Page, locale: str, size: dict[str, int]
) -> None:
    body = invoice_body(("4", "250.00", "20"))
    body["buyer"] = {
        "name": "Garage Lenoir",
        "private_person": True,
        "address": {"line1": "1 place du Marché", "city": "Tours", "postcode": "37000"},
    }
    partner = site.partner
    draft = partner.ok(partner.post(f"/companies/{site.company_id}/documents", body), 201)
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, locale=locale))
    card = frame.locator("#bl-customer-card")
    expect(card).to_contain_text("Garage Lenoir")
    frame.locator(".bl-buyer-details summary").click()  # the customer's details, folded
    name_label, city_label = DETAILS[locale]
    details = frame.locator(".bl-buyer-details")
    name = details.get_by_label(name_label, exact=True)
    name.fill("Carrosserie Lenoir & Fils")
    expect(card).to_contain_text("Carrosserie Lenoir & Fils")
    expect(card).not_to_contain_text("Garage")
    details.get_by_label(city_label, exact=True).fill("Amboise")
    expect(card).to_contain_text("37000 Amboise")
    expect(name).to_have_value("Carrosserie Lenoir & Fils")  # the typing was not disturbed
    expect(details).to_have_attribute("open", "")  # the details stay open
    card.scroll_into_view_if_needed()
    shot(page, f"customer-card-follows-{'desktop' if size == DESKTOP else 'phone'}-{locale}")


def test_a_customer_typed_from_nothing_gets_a_card(site: PartnerSite, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    frame = open_editor(page, site, site.editor_url())
    card, scope = frame.locator("#bl-customer-card"), frame.locator("#bl-scope")
    expect(card).to_have_count(0)  # no customer yet: no empty card
    details = frame.locator(".bl-buyer-details")
    details.get_by_label("Nom", exact=True).fill("Atelier Morel")
    expect(card).to_have_text("Atelier Morel")
    expect(scope).to_have_attribute("data-scope", "e_invoicing")
    details.get_by_label("Pays (code ISO, ex. FR)", exact=True).fill("BE")
    expect(scope).to_have_attribute("data-scope", "e_reporting")  # outside France
    expect(scope).to_contain_text("hors de France")
    card.scroll_into_view_if_needed()
    shot(page, "customer-card-typed-desktop-fr")
    details.get_by_label("Nom", exact=True).fill("")
    expect(card).to_have_count(0)
