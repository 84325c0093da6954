"""Issue 12's everyday cases, done in the editor on the example partner page as a user
does them: an invoice to a private customer (issued, outside e-invoicing), a partial
credit note (the invoice keeps a balance), payments (partly paid, then paid), and a
deposit asked on a quote then deducted by the final invoice. Every document issued
here passes the official check (XSD, Factur-X EN 16931, BR-FR when in scope)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from invoicing.official import official_check
from invoicing.profiles import Profile
from tests.e2e.partner_site import DESKTOP, PartnerSite, open_editor, partner_site, shot
from tests.e2e.test_host_contract import RECORD
from tests.server.documents.flows import invoice_body

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("everyday"))) as site:
        yield site


def _field(frame: FrameLocator, path: str) -> Any:
    return frame.locator(f'[data-path="{path}"]')


def _issued(site: PartnerSite, body: dict[str, Any]) -> dict[str, Any]:
    partner = site.partner
    draft = partner.ok(partner.post(f"/companies/{site.company_id}/documents", body), 201)
    return partner.ok(partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def _get(site: PartnerSite, document_id: int) -> dict[str, Any]:
    return site.partner.ok(site.partner.get(f"/documents/{document_id}"))  # type: ignore[no-any-return]


def _passes_the_official_check(site: PartnerSite, document: dict[str, Any]) -> None:
    xml = site.partner.get(f"/documents/{document['id']}/xml").content
    french = document["scope"] in {"e_invoicing", "b2g"}
    result = official_check(xml, Profile.EN16931, french=french)
    assert result.ok, result.as_dict()


def _finalize(frame: FrameLocator, status: str = "Émise") -> None:
    frame.get_by_role("button", name="Finaliser", exact=True).click()
    frame.locator("#bl-confirm").get_by_role("button", name="Finaliser").click()
    expect(frame.locator("#bl-status")).to_have_text(status, timeout=30_000)


def _last(page: Page, kind: str) -> dict[str, Any]:
    # The page posts the event once the server's answer is handled, which may be just
    # after the status shown changed.
    page.wait_for_function(
        "kind => (window.__posted || []).some(m => m.data && m.data.type === kind)", arg=kind
    )
    posted = [m["data"] for m in page.evaluate("window.__posted")]
    return [m["payload"] for m in posted if m["type"] == kind][-1]  # type: ignore[no-any-return]


def test_an_invoice_to_a_private_customer_is_issued(site: PartnerSite, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url())
    frame.get_by_role("button", name="Nouveau client").click()
    form = frame.locator("#bl-new-contact")
    form.get_by_label("Particulier").check()
    form.get_by_label("Nom", exact=True).fill("Camille Martin")
    form.get_by_label("Adresse").fill("12 rue des Lilas")
    form.get_by_label("Code postal").fill("75011")
    form.get_by_label("Ville").fill("Paris")
    form.get_by_role("button", name="Créer le client").click()
    expect(frame.locator("#bl-customer-card")).to_contain_text("Camille Martin")
    scope = frame.locator("#bl-scope")
    expect(scope).to_have_attribute("data-scope", "e_reporting")
    expect(scope).to_contain_text("Hors facturation électronique")
    frame.get_by_role("button", name="Ajouter une ligne").click()
    _field(frame, "lines[0].name").press_sequentially("Réparation fuite cuisine")
    _field(frame, "lines[0].quantity").fill("1")
    _field(frame, "lines[0].net_price").press_sequentially("180")
    expect(frame.locator("[data-fragment=official]")).to_contain_text("Conforme", timeout=30_000)
    totals = frame.locator("[data-fragment=totals]")
    expect(totals).to_contain_text("Paiement à 30 jours (à compter de l’émission)")
    frame.get_by_label("Échéance de paiement").select_option(label="À N jours fin de mois")
    _field(frame, "payment_term.days").fill("45")
    expect(totals).to_contain_text("Paiement à 45 jours fin de mois (à compter de l’émission)")
    _finalize(frame)
    expect(frame.locator(".bl-number")).to_have_text(re.compile(r"^F-\d{4}-\d{5}$"))
    expect(totals).to_contain_text(re.compile(r"Échéance\s*\d{1,2} \w+ \d{4}"))  # its date
    shot(page, "private-customer-issued-fr")

    issued = _get(site, _last(page, "document.finalized")["document_id"])
    assert (issued["status"], issued["scope"]) == ("finalized", "e_reporting")
    buyer = issued["document"]["buyer"]
    assert buyer["private_person"] is True and not buyer.get("siren")
    issued_on = dt.date.fromisoformat(issued["document"]["issue_date"])
    due = issued_on + dt.timedelta(days=45)
    last_day = calendar.monthrange(due.year, due.month)[1]
    assert issued["document"]["payment_term"] == {
        "kind": "days_end_of_month",
        "days": 45,
        "date": None,
    }
    assert issued["document"]["due_date"] == due.replace(day=last_day).isoformat()
    _passes_the_official_check(site, issued)


def test_a_partial_credit_note_leaves_the_invoice_a_balance(site: PartnerSite, page: Page) -> None:
    invoice = _issued(site, invoice_body(("2", "100.00", "20"), ("1", "50.00", "20")))
    assert invoice["balance"] == "300.00"
    page.set_viewport_size(DESKTOP)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))
    frame.get_by_role("button", name="Créer un avoir").click()
    dialog = frame.locator("#bl-credit")
    expect(dialog).to_be_visible()
    quantities = dialog.locator("input[data-index]")
    expect(quantities).to_have_count(2)
    expect(quantities.nth(0)).to_have_value("2")  # all that is left, proposed
    quantities.nth(0).fill("1")
    quantities.nth(1).fill("")
    dialog.get_by_role("button", name="Créer un avoir").click()
    expect(frame.locator(".bl-title")).to_contain_text("Avoir")
    _finalize(frame, "Émis")
    shot(page, "partial-credit-note-issued-fr")

    note = _get(site, _last(page, "document.finalized")["document_id"])
    assert note["kind"] == "credit_note" and note["totals"]["amount_due"] == "120.00"
    assert [line["quantity"] for line in note["document"]["lines"]] == ["1"]
    assert note["document"]["preceding_invoices"][0]["number"] == invoice["number"]
    _passes_the_official_check(site, note)
    after = _get(site, invoice["id"])
    assert after["status"] != "cancelled"
    assert (after["credited_amount"], after["balance"]) == ("120.00", "180.00")


def test_payments_make_an_invoice_partly_paid_then_paid(site: PartnerSite, page: Page) -> None:
    invoice = _issued(site, invoice_body(("1", "65.00", "20"), ("1", "842.97", "20")))
    assert invoice["balance"] == "1089.56"
    _passes_the_official_check(site, invoice)
    page.set_viewport_size(DESKTOP)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))
    pay = frame.get_by_role("button", name="Enregistrer un paiement")
    dialog = frame.locator("#bl-payment")
    pay.click()
    amount = dialog.get_by_label("Montant reçu")
    expect(amount).to_have_value("1089,56")  # the balance, proposed
    amount.fill("500,00")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    dialog.get_by_label("Date du paiement").fill(yesterday.isoformat())
    dialog.get_by_label("Moyen de paiement").select_option("30")  # a credit transfer
    dialog.get_by_role("button", name="Enregistrer un paiement").click()
    expect(dialog).to_be_hidden()
    expect(frame.locator("#bl-status")).to_have_text("Partiellement payée")
    assert _get(site, invoice["id"])["balance"] == "589.56"

    pay.click()
    expect(amount).to_have_value("589,56")  # what is left
    dialog.get_by_role("button", name="Enregistrer un paiement").click()
    expect(frame.locator("#bl-status")).to_have_text("Payée")
    shot(page, "payments-paid-fr")
    paid = _get(site, invoice["id"])
    assert (paid["status"], paid["balance"], paid["paid_amount"]) == ("paid", "0.00", "1089.56")
    payments = site.partner.ok(site.partner.get(f"/documents/{invoice['id']}/payments"))
    items = payments["items"]
    first = items[0]
    assert (first["amount"], first["paid_on"], first["means_code"]) == (
        "500.00",
        yesterday.isoformat(),
        "30",
    )
    assert [p["amount"] for p in items] == ["500.00", "589.56"]
    recorded = [m["data"] for m in page.evaluate("window.__posted")]
    assert [m["payload"]["balance"] for m in recorded if m["type"] == "payment.recorded"] == [
        "589.56",
        "0.00",
    ]


def test_a_deposit_on_a_quote_then_the_final_invoice_deducts_it(
    site: PartnerSite, page: Page
) -> None:
    lines = (("4", "250.00", "20"), ("2", "100.00", "5.5"))  # 1,411.00 incl. VAT
    quote = _issued(site, invoice_body(*lines, kind="quote"))
    page.set_viewport_size(DESKTOP)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": quote["id"]}))
    frame.get_by_role("button", name="Demander un acompte").click()
    dialog = frame.locator("#bl-deposit")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#bl-deposit-p")).to_contain_text("1 411,00")
    dialog.get_by_label("Montant de l'acompte (TTC)").fill("2000")
    dialog.get_by_role("button", name="Demander un acompte").click()
    message = dialog.locator("#bl-deposit-amount-msg")
    expect(message).to_contain_text("à demander")  # the server's words, in French
    dialog.get_by_label("Montant de l'acompte (TTC)").fill("")
    dialog.get_by_label("Ou pourcentage du devis (%)").fill("30")
    dialog.get_by_role("button", name="Demander un acompte").click()
    expect(frame.locator(".bl-title")).to_contain_text("Facture d'acompte")
    expect(frame.locator("[data-fragment=totals]")).to_contain_text("423,30")
    _finalize(frame)
    deposit = _get(site, _last(page, "document.finalized")["document_id"])
    assert (deposit["kind"], deposit["totals"]["amount_due"]) == ("deposit_invoice", "423.30")
    _passes_the_official_check(site, deposit)

    partner = site.partner
    # Another customer's draft invoice has no deposit of its own to deduct: no button.
    elsewhere = invoice_body(*lines)
    elsewhere["buyer"] = {
        "name": "Garage Lenoir",
        "private_person": True,
        "address": {"line1": "1 place du Marché", "city": "Tours", "postcode": "37000"},
    }
    other = partner.ok(partner.post(f"/companies/{site.company_id}/documents", elsewhere), 201)
    page.goto("about:blank")
    frame = open_editor(page, site, site.editor_url({"id": other["id"]}))
    expect(frame.get_by_role("button", name="Enregistrer", exact=True)).to_be_visible()
    expect(frame.get_by_role("button", name="Déduire des acomptes")).to_have_count(0)
    final = partner.ok(
        partner.post(f"/companies/{site.company_id}/documents", invoice_body(*lines)), 201
    )
    page.goto("about:blank")
    frame = open_editor(page, site, site.editor_url({"id": final["id"]}))
    expect(frame.locator(".bl-title")).not_to_contain_text("finale")
    frame.get_by_role("button", name="Déduire des acomptes").click()
    deduct = frame.locator("#bl-deduct")
    expect(deduct).to_be_visible()
    deduct.get_by_label(re.compile(re.escape(deposit["number"]))).check()
    deduct.get_by_role("button", name="Déduire").click()
    expect(deduct).to_be_hidden()
    expect(frame.locator(".bl-title")).to_contain_text("Facture finale après acompte")
    expect(frame.locator("#bl-notice")).to_contain_text("Acomptes déduits")
    expect(frame.locator("[data-fragment=totals]")).to_contain_text("987,70")
    _finalize(frame)
    shot(page, "final-invoice-issued-fr")
    issued = _get(site, final["id"])
    document = issued["document"]
    assert document["prepaid_amount"] == "423.30" and document["business_process"][1] == "4"
    assert [p["number"] for p in document["preceding_invoices"]] == [deposit["number"]]
    assert issued["totals"]["amount_due"] == "987.70"
    _passes_the_official_check(site, issued)
    assert _get(site, deposit["id"])["settled_by_id"] == final["id"]


def test_a_deposit_without_a_quote_asks_an_amount_incl_vat(site: PartnerSite, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"new": "deposit_invoice"}))
    expect(frame.locator(".bl-title")).to_contain_text("Facture d'acompte")
    frame.get_by_role("button", name="Nouveau client").click()
    form = frame.locator("#bl-new-contact")
    form.get_by_label("Particulier").check()
    form.get_by_label("Nom", exact=True).fill("Louis Bernard")
    form.get_by_label("Adresse").fill("4 allée des Tilleuls")
    form.get_by_label("Code postal").fill("44000")
    form.get_by_label("Ville").fill("Nantes")
    form.get_by_role("button", name="Créer le client").click()
    expect(frame.locator("#bl-customer-card")).to_contain_text("Louis Bernard")
    frame.get_by_role("button", name="Fixer le montant de l'acompte").click()
    dialog = frame.locator("#bl-deposit-total")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Taux de TVA (%)")).to_have_value("20")
    dialog.get_by_label("Montant de l'acompte (TTC)").fill("85,05")  # no net amount reaches it
    dialog.get_by_role("button", name="Fixer le montant de l'acompte").click()
    expect(dialog).to_be_hidden(timeout=30_000)  # saved first: the official check runs
    expect(frame.locator("#bl-notice")).to_contain_text("Acompte de 85,05")
    expect(_field(frame, "lines[0].net_price")).to_have_value(re.compile(r"^70,8[78]$"))
    expect(frame.locator("[data-fragment=totals]")).to_contain_text("85,05")
    _finalize(frame)
    deposit = _get(site, _last(page, "document.finalized")["document_id"])
    assert (deposit["kind"], deposit["scope"]) == ("deposit_invoice", "e_reporting")
    assert deposit["totals"]["amount_due"] == "85.05"
    assert deposit["document"]["buyer"]["name"] == "Louis Bernard"
    _passes_the_official_check(site, deposit)


def test_converting_a_quote_with_a_deposit_makes_the_final_invoice(
    site: PartnerSite, page: Page
) -> None:
    partner = site.partner
    quote = _issued(site, invoice_body(("1", "1000.00", "20"), kind="quote"))
    asked = partner.ok(
        partner.post(
            f"/companies/{site.company_id}/deposit-invoices",
            {"quote_id": quote["id"], "amount": "300.00"},
        ),
        201,
    )
    deposit = partner.ok(partner.post(f"/documents/{asked['id']}/finalize"))
    page.set_viewport_size(DESKTOP)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": quote["id"]}))
    frame.get_by_role("button", name="Convertir en facture").click()
    expect(frame.locator(".bl-title")).to_contain_text("Facture finale après acompte")
    totals = frame.locator("[data-fragment=totals]")
    expect(totals).to_contain_text("Acomptes déduits")
    expect(totals).to_contain_text("900,00")  # 1,200.00 incl. VAT less the 300.00 deposit
    _finalize(frame)
    final = _get(site, _last(page, "document.finalized")["document_id"])
    assert [p["number"] for p in final["document"]["preceding_invoices"]] == [deposit["number"]]
    assert final["totals"]["amount_due"] == "900.00"
    _passes_the_official_check(site, deposit)
    _passes_the_official_check(site, final)
