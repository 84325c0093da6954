"""'Déduire des acomptes' follows the customer as typed in the form, before any
save: typing the name of a customer who has an issued deposit invoice brings the
button (a moment later: after the autosave), its dialog lists that deposit, and
typing another customer takes the button away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PHONE, PartnerSite, open_editor, partner_site, shot
from tests.server.documents.flows import invoice_body

pytestmark = pytest.mark.browser

LINES = (("4", "250.00", "20"),)
WORDS = {
    "fr": ("Déduire des acomptes", "Annuler"),
    "en": ("Deduct deposits", "Cancel"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("deduct-customer"))) as site:
        yield site


def _issued_deposit(site: PartnerSite) -> dict[str, Any]:
    """A deposit invoice issued on a quote to the demo customer."""
    partner, company = site.partner, site.company_id
    quote = partner.ok(
        partner.post(f"/companies/{company}/documents", invoice_body(*LINES, kind="quote")), 201
    )
    partner.ok(partner.post(f"/documents/{quote['id']}/finalize"))
    deposit = partner.ok(
        partner.post(
            f"/companies/{company}/deposit-invoices", {"quote_id": quote["id"], "percent": "30"}
        ),
        201,
    )
    return partner.ok(partner.post(f"/documents/{deposit['id']}/finalize"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("locale", "size"), [("fr", DESKTOP), ("en", PHONE), ("fr", PHONE), ("en", DESKTOP)]
)
def test_the_button_comes_with_the_customer_typed(
    site: PartnerSite, page: Page, locale: str, size: dict[str, int]
) -> None:
    deposit = _issued_deposit(site)
    customer = deposit["document"]["buyer"]["name"]
    elsewhere = invoice_body(*LINES)
    elsewhere["buyer"] = {
        "name": "Garage Lenoir",
        "private_person": True,
        "address": {"line1": "1 place du Marché", "city": "Tours", "postcode": "37000"},
    }
    partner = site.partner
    draft = partner.ok(partner.post(f"/companies/{site.company_id}/documents", elsewhere), 201)
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, locale=locale))
    deduct_words, cancel = WORDS[locale]
    button = frame.get_by_role("button", name=deduct_words)
    frame.locator(".bl-buyer-details summary").click()  # the customer's details, folded
    name = frame.locator("[data-path='buyer.name']")
    expect(name).to_have_value("Garage Lenoir")
    expect(button).to_have_count(0)

    name.fill(customer)
    name.blur()
    expect(button).to_have_count(1, timeout=15_000)  # after the autosave
    button.scroll_into_view_if_needed()
    shot(page, f"deduct-follows-customer-{'desktop' if size == DESKTOP else 'phone'}-{locale}")
    button.click()
    dialog = frame.locator("#bl-deduct")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label(re.compile(re.escape(deposit["number"])))).to_have_count(1)
    dialog.get_by_role("button", name=cancel).click()
    expect(dialog).to_be_hidden()

    name.fill("Garage Lenoir")
    name.blur()
    expect(button).to_have_count(0, timeout=15_000)
    # Nothing was saved with "save": the stored document still names Garage Lenoir.
    stored = partner.ok(partner.get(f"/documents/{draft['id']}"))["document"]
    assert stored["buyer"]["name"] == "Garage Lenoir"
