"""The credit note dialog says the amounts: per invoice line what was invoiced, what the
issued credit notes already took and what is left (quantities, amounts excl. VAT), and
the total of the credit note as the user chooses the quantities, which is the total of
the credit note then made. Desktop French, phone English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from invoicing.html import Formatter
from invoicing.model import Document
from invoicing.totals import compute_totals
from tests.e2e.partner_site import PHONE, PartnerSite, open_editor, partner_site, shot, wait_in_view

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("credit"))) as site:
        yield site


def _partly_credited(site: PartnerSite) -> tuple[dict[str, Any], Document]:
    """An issued invoice whose first line had 1 credited by an issued credit note."""
    partner = site.partner
    invoice = partner.finalized(site.company_id)
    note = partner.ok(
        partner.post(
            f"/documents/{invoice['id']}/credit-note",
            {"lines": [{"index": 0, "quantity": "1"}]},
        ),
        201,
    )
    issued = partner.ok(partner.post(f"/documents/{note['id']}/finalize"))
    return invoice, Document.model_validate(issued["document"])


def _document(site: PartnerSite, document_id: int) -> Document:
    stored = site.partner.ok(site.partner.get(f"/documents/{document_id}"))
    return Document.model_validate(stored["document"])


def test_the_credit_dialog_shows_amounts_and_the_total_as_chosen(
    site: PartnerSite, page: Page
) -> None:
    invoice, first_note = _partly_credited(site)
    document = _document(site, invoice["id"])
    fmt = Formatter("fr", document.currency)
    totals = compute_totals(document)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))
    frame.get_by_role("button", name="Créer un avoir").click()
    dialog = frame.locator("#bl-credit")
    expect(dialog).to_be_visible()
    first = dialog.locator(".bl-credit-line").nth(0)
    quantity = document.lines[0].quantity
    assert quantity is not None and quantity > 1
    credited = compute_totals(first_note).lines[0].net_amount
    invoiced = totals.lines[0].net_amount
    facts = first.locator(".bl-credit-facts")
    expect(facts).to_contain_text(
        f"Facturé{quantity.normalize():f} · {fmt.money(invoiced)}".replace(".", ",")
    )
    expect(facts).to_contain_text(f"Déjà crédité1 · {fmt.money(credited)}")
    left = f"{quantity - 1:f}".replace(".", ",")
    expect(facts).to_contain_text(f"Reste à créditer{left} · {fmt.money(invoiced - credited)}")
    expect(first.get_by_label("Quantité à créditer, ligne 1 — ")).to_have_value(left)

    total = dialog.locator(".bl-credit-total")
    everything = totals.tax_inclusive_total - compute_totals(first_note).tax_inclusive_total
    expect(total).to_contain_text(f"Total de l'avoir : {fmt.money(everything)} TTC")
    shot(page, "credit-dialog-desktop-fr")

    inputs = dialog.locator("input[data-index]")
    for index in range(inputs.count()):
        inputs.nth(index).fill("")
    expect(total).to_have_text("Aucune quantité choisie : l'avoir serait vide.")
    inputs.nth(1).fill("1")
    expect(total).to_contain_text(re.compile(r"^Total de l'avoir : [0-9\s ]+,\d\d\s€ TTC"))
    shown = total.inner_text()
    inputs.nth(1).fill("999")
    expect(total).to_have_text("Total de l'avoir : corrigez d'abord les quantités.")
    inputs.nth(1).fill("1")
    expect(total).to_have_text(shown)
    assert wait_in_view(page, dialog.get_by_role("button", name="Créer un avoir"))
    dialog.get_by_role("button", name="Créer un avoir").click()
    expect(frame.locator(".bl-title")).to_contain_text("Avoir")
    listing = site.partner.get(
        f"/companies/{site.company_id}/documents", params={"kind": "credit_note"}
    )
    newest = max(site.partner.ok(listing)["items"], key=lambda d: d["id"])
    note = _document(site, newest["id"])
    assert [line.quantity for line in note.lines] == [Decimal(1)]
    assert fmt.money(compute_totals(note).tax_inclusive_total) in shown


def test_the_credit_dialog_in_english_on_a_phone(site: PartnerSite, page: Page) -> None:
    invoice, _ = _partly_credited(site)
    page.set_viewport_size(PHONE)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}, locale="en"))
    frame.get_by_role("button", name="Create a credit note").click()
    dialog = frame.locator("#bl-credit")
    expect(dialog.locator(".bl-credit-facts").first).to_contain_text("Already credited1 ·")
    expect(dialog.locator(".bl-credit-total")).to_contain_text("Credit note total: €")
    assert wait_in_view(page, dialog.get_by_role("button", name="Create a credit note"))
    shot(page, "credit-dialog-phone-en")
