"""Creating a customer inline, on the example partner page: a wrong SIREN said in
plain words at its field, the focus on the new customer once created, a second
customer with the same SIREN proposes the existing one, a person's form has no SIREN;
with the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PartnerSite, open_editor, partner_site, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("customers"))) as site:
        yield site


def test_customers_are_checked_found_again_and_focused(site: PartnerSite, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    frame = open_editor(page, site, site.editor_url())
    frame.get_by_role("button", name="Nouveau client").click()
    form = frame.locator("#bl-new-contact")
    expect(form.get_by_label("Nom", exact=True)).to_be_focused()
    page.keyboard.type("Boulangerie Dupont")
    siren = form.get_by_label("SIREN")
    siren.fill("552100555")
    form.get_by_label("Code postal").fill("69100")
    form.get_by_role("button", name="Créer le client").click()
    expect(siren).to_have_attribute("aria-invalid", "true")
    expect(siren).to_be_focused()
    message = form.locator("#" + (siren.get_attribute("id") or "") + "-msg")
    expect(message).to_contain_text("clé de contrôle")
    expect(form.locator(".bl-form-error")).not_to_contain_text("pattern")
    shot(page, "customer-bad-siren-fr")

    siren.fill("552100554")
    form.get_by_label("N° de TVA intracommunautaire").fill("FR96552100554")
    form.get_by_role("button", name="Créer le client").click()
    card = frame.locator("#bl-customer-card")
    expect(card).to_contain_text("Boulangerie Dupont")
    expect(card).to_be_focused()

    # The same SIREN again: the existing customer is proposed, Enter takes it.
    frame.get_by_role("button", name="Nouveau client").click()
    form.get_by_label("Nom", exact=True).fill("Dupont boulangerie (doublon)")
    form.get_by_label("SIREN").fill("552 100 554")
    form.get_by_role("button", name="Créer le client").click()
    use = form.get_by_role("button", name="Utiliser ce client")
    expect(use).to_be_focused()
    expect(form.locator(".bl-duplicate")).to_contain_text("existe déjà")
    shot(page, "customer-duplicate-fr")
    page.keyboard.press("Enter")
    expect(card).to_be_focused()
    expect(card).to_contain_text("Boulangerie Dupont")
    expect(card).not_to_contain_text("doublon")
    contacts = site.partner.ok(site.partner.get(f"/companies/{site.company_id}/contacts"))
    assert [c["name"] for c in contacts["items"]] == ["Boulangerie Dupont"]

    # A person: no SIREN asked.
    frame.get_by_role("button", name="Nouveau client").click()
    form.get_by_label("Particulier").check()
    expect(form.get_by_label("SIREN")).to_be_hidden()
    expect(form.get_by_label("N° de TVA intracommunautaire")).to_be_hidden()
    form.get_by_label("Nom", exact=True).fill("Claire Martin")
    form.get_by_role("button", name="Créer le client").click()
    expect(card).to_contain_text("Claire Martin")
    expect(card).to_be_focused()


def test_enter_in_the_product_search_takes_the_first_option(site: PartnerSite, page: Page) -> None:
    partner = site.partner
    body = {"name": "Câble RJ45 (5 m)", "unit_price": "7.90"}
    partner.ok(partner.post(f"/companies/{site.company_id}/products", body), 201)
    page.set_viewport_size(DESKTOP)
    frame = open_editor(page, site, site.editor_url())
    search = frame.locator("#bl-product-search")
    search.focus()
    page.keyboard.type("câble")
    page.keyboard.press("Enter")  # at once: the search runs and its first result is taken
    expect(frame.locator('[data-path="lines[0].name"]')).to_have_value("Câble RJ45 (5 m)")
    expect(frame.locator('[data-path="lines[0].quantity"]')).to_be_focused()
