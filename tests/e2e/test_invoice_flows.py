"""Issue 12's flows in the editor, on the example partner page: a payment recorded in
its dialog (the balance proposed, a refusal said at its field), a credit note of
chosen lines and quantities, a duplicate, a draft deleted; each event the host page
receives matches its schema (embed/events/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema_rs
import pytest
from playwright.sync_api import Page, expect

from embed.contract import schemas
from tests.e2e.partner_site import (
    PHONE,
    PartnerSite,
    open_editor,
    partner_site,
    shot,
    wait_in_view,
)
from tests.e2e.test_host_contract import RECORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("flows"))) as site:
        yield site


def _events(page: Page) -> list[dict[str, object]]:
    messages = page.evaluate("window.__posted")
    validators = {name: jsonschema_rs.Draft202012Validator(s) for name, s in schemas().items()}
    for message in messages:
        data = message["data"]
        errors = [str(e) for e in validators[data["type"]].iter_errors(data)]
        assert not errors, (data, errors)
    return [m["data"] for m in messages]


def test_payment_and_partial_credit_note_in_their_dialogs(site: PartnerSite, page: Page) -> None:
    partner = site.partner
    invoice = partner.finalized(site.company_id)
    page.set_viewport_size(PHONE)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))

    pay = frame.get_by_role("button", name="Enregistrer un paiement")
    pay.click()
    dialog = frame.locator("#bl-payment")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#bl-payment-balance")).to_contain_text("Reste à payer")
    amount = dialog.get_by_label("Montant reçu")
    expect(amount).to_be_focused()
    assert wait_in_view(page, dialog.get_by_role("button", name="Enregistrer un paiement"))
    amount.fill("999999")
    dialog.get_by_role("button", name="Enregistrer un paiement").click()
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator("#bl-pay-amount-msg")).to_contain_text("dépasse le reste à payer")
    shot(page, "payment-refused-phone-fr")
    amount.fill("10,00")
    dialog.get_by_label("Référence (facultatif)").fill("VIR 42")
    dialog.get_by_role("button", name="Enregistrer un paiement").click()
    expect(dialog).to_be_hidden()
    expect(frame.locator("#bl-status")).to_have_text("Partiellement payée")
    expect(frame.locator("#bl-status")).to_be_focused()
    stored = partner.ok(partner.get(f"/documents/{invoice['id']}"))
    assert stored["status"] == "partially_paid"

    frame.get_by_role("button", name="Créer un avoir").click()
    credit = frame.locator("#bl-credit")
    expect(credit).to_be_visible()
    quantities = credit.locator("input[data-index]")
    assert quantities.count() >= 1
    for index in range(quantities.count()):
        quantities.nth(index).fill("")
    quantities.nth(0).fill("1")
    credit.get_by_role("button", name="Créer un avoir").click()
    expect(frame.locator(".bl-title")).to_contain_text("Avoir")
    events = _events(page)
    paid = [e["payload"] for e in events if e["type"] == "payment.recorded"]
    assert paid and paid[0]["amount"] == "10.00"  # type: ignore[index]
    created = [e["payload"] for e in events if e["type"] == "document.created"][-1]
    assert (created["kind"], created["source_id"]) == ("credit_note", invoice["id"])  # type: ignore[index]
    note = partner.ok(partner.get(f"/documents/{created['id']}"))  # type: ignore[index]
    assert len(note["document"]["lines"]) == 1
    assert note["document"]["lines"][0]["quantity"] == "1"


def test_duplicate_then_delete_the_copy(site: PartnerSite, page: Page) -> None:
    partner = site.partner
    draft = partner.draft(site.company_id)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    frame.get_by_role("button", name="Dupliquer").click()
    expect(frame.locator("#bl-notice")).to_contain_text("Copie créée")
    created = [e["payload"] for e in _events(page) if e["type"] == "document.created"][-1]
    copy_id = created["document_id"]  # type: ignore[index]
    assert copy_id != draft["id"] and created["source_id"] == draft["id"]  # type: ignore[index]

    delete = frame.get_by_role("button", name="Supprimer ce document")
    delete.click()
    confirm = frame.locator("#bl-delete")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Supprimer", exact=True).click()
    expect(frame.locator(".bl-fatal")).to_contain_text("Document supprimé")
    deleted = [e["payload"] for e in _events(page) if e["type"] == "document.deleted"]
    assert deleted == [{"document_id": copy_id, "kind": "invoice"}]
    assert partner.get(f"/documents/{copy_id}").status_code == 404
    assert partner.get(f"/documents/{draft['id']}").status_code == 200
    assert re.search("Supprimer ce document", frame.locator("body").inner_text()) is None
