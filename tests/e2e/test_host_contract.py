"""The host-page contract, as the editor really keeps it: every message the framed
editor posts through a whole journey on the example partner page (customer created
inline, lines typed, saved, finalized, paid, credited) is recorded in the host window
and validated against the JSON Schema of its type (embed/events/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from playwright.sync_api import Page, expect

from embed.contract import schemas
from tests.e2e.partner_site import PartnerSite, open_editor, partner_site
from tests.e2e.test_editor_in_partner_page import _type_the_invoice

pytestmark = pytest.mark.browser

RECORD = """
window.__posted = [];
window.addEventListener("message", function (event) {
  if (event.data && event.data.source === "blanche")
    window.__posted.push({origin: event.origin, data: event.data});
});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("contract"))) as site:
        yield site


def _posted(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("window.__posted")  # type: ignore[no-any-return]


def test_every_event_of_a_journey_matches_its_schema(site: PartnerSite, page: Page) -> None:
    page.set_viewport_size({"width": 1400, "height": 2600})  # a frame paints near the viewport
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url())
    _type_the_invoice(frame)
    expect(frame.locator("[data-fragment=official]")).to_contain_text("Conforme", timeout=30_000)
    frame.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(frame.locator("#bl-connection")).to_have_text("Enregistré")
    frame.get_by_role("button", name="Finaliser", exact=True).click()
    frame.locator("#bl-confirm").get_by_role("button", name="Finaliser").click()
    expect(frame.locator(".bl-number")).to_have_text(re.compile(r"^F-\d{4}-00001$"))
    expect(frame.locator("#bl-status")).to_be_focused()  # the keyboard user hears the new state
    frame.get_by_role("button", name="Enregistrer un paiement").click()  # the balance
    frame.locator("#bl-payment").get_by_role("button", name="Enregistrer un paiement").click()
    expect(frame.locator(".bl-status")).to_have_text("Payée")
    frame.get_by_role("button", name="Créer un avoir").click()  # all that is left
    frame.locator("#bl-credit").get_by_role("button", name="Créer un avoir").click()
    expect(frame.locator(".bl-title")).to_contain_text("Avoir")

    messages = _posted(page)
    assert {m["origin"] for m in messages} == {site.service}
    validators = {name: jsonschema_rs.Draft202012Validator(s) for name, s in schemas().items()}
    seen: list[str] = []
    for message in messages:
        data = message["data"]
        assert data["type"] in validators, data
        errors = [str(error) for error in validators[data["type"]].iter_errors(data)]
        assert not errors, (data, errors)
        seen.append(data["type"])
    assert {
        "ready",
        "resize",
        "contact.created",
        "document.created",
        "validation.changed",
        "document.saved",
        "document.finalized",
        "payment.recorded",
    } <= set(seen), seen
    by_type = {m["data"]["type"]: m["data"]["payload"] for m in messages}
    finalized = by_type["document.finalized"]
    paid = by_type["payment.recorded"]
    assert (paid["document_id"], paid["amount"], paid["balance"], paid["status"]) == (
        finalized["document_id"],
        finalized["totals"]["amount_due"],
        "0.00",
        "paid",
    )
    credit = [m["data"]["payload"] for m in messages if m["data"]["type"] == "document.created"][-1]
    assert (credit["kind"], credit["source_id"]) == ("credit_note", finalized["document_id"])
