"""The buttons of an issued invoice on the example partner page: send it by email (a
real SMTP server on loopback receives it with its Factur-X PDF; refusals said at their
field, in French and English), download its CII XML; a service without SMTP offers no
"send"; `hidden_buttons` hides what the partner chose."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pikepdf
import pytest
from playwright.sync_api import Page, expect

from embed.contract import schemas
from server.extra_settings import SmtpSettings
from tests.e2e.partner_site import (
    DESKTOP,
    PHONE,
    PartnerSite,
    open_editor,
    partner_site,
    shot,
    wait_in_view,
)
from tests.e2e.test_host_contract import RECORD
from tests.live_server import loopback_socket
from tests.server.helpers import document_body
from tests.server.smtp_server import Mailbox, smtp_server

pytestmark = pytest.mark.browser
FROM = "no-reply@mail.partner.example"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox) -> Iterator[PartnerSite]:
    smtp = SmtpSettings(host=mailbox.host, port=mailbox.port, starttls=False, from_address=FROM)
    with partner_site(Path(tmp_path_factory.mktemp("buttons")), smtp) as site:
        yield site


def _issued(site: PartnerSite, email: str | None = "compta@client.example") -> dict[str, Any]:
    partner = site.partner
    body = document_body("invoice")
    body["buyer"].pop("contact", None)
    body.pop("recipient_email", None)
    if email:
        body["buyer"]["contact"] = {"email": email}
    draft = partner.ok(partner.post(f"/companies/{site.company_id}/documents", body), 201)
    return partner.ok(partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def _events(page: Page, kind: str) -> list[dict[str, Any]]:
    validators = {name: jsonschema_rs.Draft202012Validator(s) for name, s in schemas().items()}
    found = []
    for message in page.evaluate("window.__posted"):
        data = message["data"]
        errors = [str(e) for e in validators[data["type"]].iter_errors(data)]
        assert not errors, (data, errors)
        if data["type"] == kind:
            found.append(data["payload"])
    return found


def test_send_an_invoice_by_email_from_the_editor(
    site: PartnerSite, mailbox: Mailbox, page: Page
) -> None:
    invoice = _issued(site)
    page.set_viewport_size(DESKTOP)
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))
    frame.get_by_role("button", name="Envoyer par e-mail").click()
    dialog = frame.locator("#bl-email")
    expect(dialog).to_be_visible()
    to = dialog.get_by_label("Destinataire")
    expect(to).to_have_value("compta@client.example")  # the customer's address
    expect(to).to_be_focused()
    subject = dialog.get_by_label("Objet")
    expect(subject).to_have_value(
        f"Facture {invoice['number']} - " + invoice["document"]["seller"]["name"]
    )
    expect(dialog.locator("#bl-email-attachment")).to_contain_text(f"{invoice['number']}.pdf")
    assert wait_in_view(page, dialog.get_by_role("button", name="Envoyer", exact=True))

    to.fill("compta@client.example, pas-une-adresse")
    dialog.get_by_role("button", name="Envoyer", exact=True).click()
    expect(to).to_have_attribute("aria-invalid", "true")
    expect(to).to_have_attribute("aria-describedby", "bl-email-to-msg bl-email-to-hint")
    expect(dialog.locator("#bl-email-to-msg")).to_have_text(
        "« pas-une-adresse » n'est pas une adresse e-mail (exemple : nom@exemple.fr)."
    )
    shot(page, "email-refused-desktop-fr")
    assert mailbox.messages == []

    to.fill("compta@client.example; direction@client.example")
    dialog.get_by_label("Message (facultatif)").fill("Bonjour,\n\nVoici la facture de mars.")
    dialog.get_by_role("button", name="Envoyer", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(frame.locator("#bl-notice")).to_have_text(
        "E-mail envoyé à compta@client.example, direction@client.example."
    )
    expect(frame.locator("#bl-status")).to_have_text("Envoyée")
    expect(frame.locator("#bl-status")).to_be_focused()  # the keyboard user hears it
    shot(page, "email-sent-desktop-fr")

    received = mailbox.messages[-1]
    assert received.rcpt_tos == ("compta@client.example", "direction@client.example")
    message = received.message
    assert (
        message["Subject"]
        == f"Facture {invoice['number']} - " + invoice["document"]["seller"]["name"]
    )
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == f"{invoice['number']}.pdf"
    pdf = pikepdf.open(io.BytesIO(attachment.get_content()))
    embedded = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert embedded["factur-x.xml"] == site.partner.get(f"/documents/{invoice['id']}/xml").content
    body = message.get_body(("plain",))
    assert body is not None and "Voici la facture de mars." in str(body.get_content())

    sent = _events(page, "document.sent")
    assert sent == [
        {
            "document_id": invoice["id"],
            "kind": "invoice",
            "number": invoice["number"],
            "status": "sent",
            "channel": "email",
            "to": ["compta@client.example", "direction@client.example"],
            "subject": message["Subject"],
        }
    ]
    stored = site.partner.ok(site.partner.get(f"/documents/{invoice['id']}"))
    assert stored["status"] == "sent"


@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_an_english_session_emails_in_the_documents_language(
    site: PartnerSite, mailbox: Mailbox, page: Page, size: dict[str, int]
) -> None:
    """The PDF attached is the French original: the subject and the body say it in
    French too, from the seller's name; the dialog around them speaks English."""
    invoice = _issued(site)
    seller = invoice["document"]["seller"]["name"]
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}, locale="en"))
    frame.get_by_role("button", name="Send by email").click()
    dialog = frame.locator("#bl-email")
    subject = dialog.get_by_label("Subject")
    expect(subject).to_have_value(f"Facture {invoice['number']} - {seller}")
    hint = dialog.locator("#" + str(subject.get_attribute("aria-describedby")))
    expect(hint).to_have_text(
        "The email is written in the document's language (French), as its PDF is."
    )
    shot(page, f"email-dialog-{'desktop' if size == DESKTOP else 'phone'}-en")
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(frame.locator("#bl-notice")).to_have_text("Email sent to compta@client.example.")

    message = mailbox.messages[-1].message
    assert message["Subject"] == f"Facture {invoice['number']} - {seller}"
    assert message["From"].addresses[0].display_name == seller
    body = message.get_body(("plain",))
    assert body is not None
    text = str(body.get_content())
    assert "Montant dû" in text and "Amount due" not in text


def test_email_refusals_in_english_on_a_phone(
    site: PartnerSite, mailbox: Mailbox, page: Page
) -> None:
    invoice = _issued(site, email=None)
    before = len(mailbox.messages)
    page.set_viewport_size(PHONE)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}, locale="en"))
    frame.get_by_role("button", name="Send by email").click()
    dialog = frame.locator("#bl-email")
    to = dialog.get_by_label("Recipient")
    expect(to).to_have_value("")  # the document names no address
    dialog.get_by_label("Subject").fill("")
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(dialog.locator("#bl-email-to-msg")).to_have_text("Enter the recipient's email address.")
    expect(dialog.locator("#bl-email-subject-msg")).to_have_text(
        "Enter a one-line subject of at most 300 characters."
    )
    expect(to).to_be_focused()
    shot(page, "email-refused-phone-en")
    assert wait_in_view(page, dialog.get_by_role("button", name="Send", exact=True))
    assert len(mailbox.messages) == before


def test_download_the_xml_of_an_issued_invoice(site: PartnerSite, page: Page) -> None:
    invoice = _issued(site)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}, locale="en"))
    with page.expect_download() as download:
        frame.get_by_role("button", name="Download XML").click()
    file = download.value
    assert file.suggested_filename == f"{invoice['number']}.xml"
    saved = Path(file.path()).read_bytes()
    assert saved == site.partner.get(f"/documents/{invoice['id']}/xml").content
    assert b"CrossIndustryInvoice" in saved
    with page.expect_download() as pdf:
        frame.get_by_role("button", name="Download PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")


def test_a_draft_has_no_xml_nor_email_and_hidden_buttons_are_gone(
    site: PartnerSite, page: Page
) -> None:
    draft = site.partner.draft(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    expect(frame.get_by_role("button", name="Dupliquer")).to_be_visible()
    expect(frame.get_by_role("button", name="Supprimer ce document")).to_be_visible()
    for absent in ("Envoyer par e-mail", "Télécharger le XML"):
        expect(frame.get_by_role("button", name=absent)).to_have_count(0)

    invoice = _issued(site)
    url = site.editor_url(
        {"id": invoice["id"]}, hidden_buttons=["send_email", "download_xml", "duplicate"]
    )
    frame = open_editor(page, site, url)
    expect(frame.get_by_role("button", name="Créer un avoir")).to_be_visible()  # never hidden
    expect(frame.get_by_role("button", name="Télécharger le PDF")).to_be_visible()
    for absent in ("Envoyer par e-mail", "Télécharger le XML", "Dupliquer"):
        expect(frame.get_by_role("button", name=absent)).to_have_count(0)


def test_without_smtp_the_editor_offers_no_email(tmp_path: Path, page: Page) -> None:
    with partner_site(tmp_path) as site:
        invoice = _issued(site)
        frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))
        expect(frame.get_by_role("button", name="Télécharger le XML")).to_be_visible()
        expect(frame.get_by_role("button", name="Envoyer par e-mail")).to_have_count(0)


def test_a_relay_that_cannot_be_reached_is_said_in_the_users_words(
    tmp_path: Path, page: Page
) -> None:
    closed = loopback_socket()
    host, port = closed.getsockname()
    closed.close()  # nothing listens there now
    smtp = SmtpSettings(host=host, port=port, starttls=False, from_address=FROM, timeout_seconds=5)
    with partner_site(tmp_path, smtp) as site:
        invoice = _issued(site)
        frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))
        frame.get_by_role("button", name="Envoyer par e-mail").click()
        dialog = frame.locator("#bl-email")
        dialog.get_by_role("button", name="Envoyer", exact=True).click()
        expect(dialog.locator(".bl-form-error")).to_have_text(
            "Le serveur d'e-mails n'a pas accepté l'envoi. Vérifiez l'adresse, puis réessayez "
            "dans quelques minutes ; le document n'a pas changé.",
            timeout=30_000,  # the PDF is rendered first, by a work pool that starts then
        )
        expect(dialog).to_be_visible()  # what was typed is kept for another try
        stored = site.partner.ok(site.partner.get(f"/documents/{invoice['id']}"))
        assert stored["status"] == "finalized"
