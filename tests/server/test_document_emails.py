"""Sending documents by email through a real SMTP server on loopback."""

from __future__ import annotations

import io
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from PIL import Image

from invoicing.samples import demo_invoice
from server.db.tenants import Company
from server.emails.documents import sender_name
from server.extra_settings import ExtraSettings, SmtpSettings, StudioSettings
from server.settings import Settings
from tests.server.documents.flows import event_types
from tests.server.helpers import Partner
from tests.server.smtp_server import Mailbox, smtp_server
from tests.server.test_themes_api import THEME, data_url, png, theme_body

FROM = "no-reply@mail.edt.example"


@pytest.fixture
def mailbox(app: Any) -> Iterator[Mailbox]:
    with smtp_server() as box:
        app.state.extra_settings = ExtraSettings(
            smtp=SmtpSettings(host=box.host, port=box.port, starttls=False, from_address=FROM),
            studio=StudioSettings("https://studio.test"),
        )
        yield box


@pytest.fixture
def branded(partner_a: Partner) -> dict[str, Any]:
    return partner_a.ok(  # type: ignore[no-any-return]
        partner_a.put(
            THEME,
            theme_body(primary="#0b6e4f", logo=data_url(png()), website="https://www.edt.example/"),
        )
    )


def parts(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.walk()]


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # lines end with CRLF on the wire


def test_an_invoice_arrives_branded_with_its_pdf(
    partner_a: Partner,
    mailbox: Mailbox,
    branded: dict[str, Any],
    client: httpx.Client,
    settings: Settings,
) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    sent = partner_a.ok(
        partner_a.post(
            f"/documents/{invoice['id']}/send-email",
            {"to": ["compta@client.example"], "message": "Bonjour,\n\nVoici la facture."},
        )
    )
    assert sent["status"] == "sent"
    assert sent["to"] == ["compta@client.example"]
    assert event_types(settings, invoice["id"])[-1] == "document.sent"
    received = mailbox.only()
    assert received.mail_from == FROM
    assert received.rcpt_tos == ("compta@client.example",)
    message = received.message
    assert parts(message) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "application/pdf",
    ]
    # From the seller the recipient knows, not the partner's module ("EDT Compta").
    assert message["From"].addresses[0].display_name == invoice["document"]["seller"]["name"]
    assert message["Subject"] == sent["subject"]
    assert invoice["number"] in message["Subject"]
    assert message["Message-ID"] == sent["message_id"]
    assert message["Reply-To"] is None or "@" in message["Reply-To"]

    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == f"{invoice['number']}.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF")
    assert pdf == partner_a.get(f"/documents/{invoice['id']}/pdf").content  # the original

    logo_part = next(p for p in message.walk() if p.get_content_type() == "image/png")
    assert logo_part["Content-ID"] == "<partner-logo>"
    # The logo was decoded and written again when uploaded (themes/reencode.py):
    # the same picture, not the same bytes.
    sent, uploaded = (
        Image.open(io.BytesIO(data)).convert("RGBA") for data in (logo_part.get_content(), png())
    )
    assert sent.size == uploaded.size and sent.tobytes() == uploaded.tobytes()

    html = html_of(message)
    assert 'src="cid:partner-logo"' in html
    assert 'href="https://www.edt.example/"' in html
    assert branded["tokens"]["primary"] in html
    assert "<p" in html and "Voici la facture." in html
    text = text_of(message)
    assert "Bonjour,\n\nVoici la facture." in text
    assert "\nDe : " in text and "\nMontant dû : " in text  # French typography
    assert "https://www.edt.example/" in text
    for body in (html, text, str(message["From"]), str(message["Subject"])):
        assert "blanche" not in body.lower()
    # The document is now marked as sent.
    assert partner_a.ok(partner_a.get(f"/documents/{invoice['id']}"))["status"] == "sent"


NASTY = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7 * 7 }} {% if true %}yes{% endif %}",
    "Tom & Jerry &amp; co",
    "\u202egnp.exe",
    "🧾 Ünïcödé — 請求書",
]


def test_what_users_type_is_escaped_in_html_and_kept_in_text(
    partner_a: Partner, mailbox: Mailbox, branded: dict[str, Any]
) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    message_text = "\n".join(NASTY)
    partner_a.ok(
        partner_a.post(
            f"/documents/{invoice['id']}/send-email",
            {
                "to": ["a@client.example"],
                "subject": "Facture <b>urgente</b> & {{ 7 * 7 }}",
                "message": message_text,
                "locale": "en",
            },
        )
    )
    message = mailbox.only().message
    assert message["Subject"] == "Facture <b>urgente</b> & {{ 7 * 7 }}"
    html = html_of(message)
    assert "<script" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7 * 7 }}" in html and "49" not in html
    assert "Tom &amp; Jerry &amp;amp; co" in html
    assert "🧾 Ünïcödé — 請求書" in html
    assert "<br>" in html
    assert "&lt;b&gt;urgente&lt;/b&gt;" in html  # the subject, in <title>
    assert message_text in text_of(message)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": ["a@client.example"], "subject": "Hi\r\nBcc: victim@else.example"}, "subject"),
        ({"to": ["a@client.example, b@client.example"]}, "to[0]"),
        ({"to": ["<a@client.example>"]}, "to[0]"),
        ({"to": ["a@client.example\nBcc: b@else.example"]}, "to[0]"),
        ({"to": ["a@client.example"], "cc": ["not-an-address"]}, "cc[0]"),
        ({"to": ["a@client.example"], "message": "bell \x07"}, "message"),
        ({"to": [f"u{i}@client.example" for i in range(11)]}, "to"),
    ],
)
def test_header_injection_and_bad_addresses_are_refused(
    partner_a: Partner, mailbox: Mailbox, body: dict[str, Any], field: str
) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    response = partner_a.post(f"/documents/{invoice['id']}/send-email", body)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}
    assert mailbox.messages == []


def test_drafts_and_unconfigured_or_failing_relays_are_problems(
    partner_a: Partner, app: Any
) -> None:
    company = partner_a.company()
    draft = partner_a.draft(company["id"])
    invoice = partner_a.finalized(company["id"])
    body = {"to": ["a@client.example"]}
    app.state.extra_settings = ExtraSettings()  # no SMTP host
    response = partner_a.post(f"/documents/{invoice['id']}/send-email", body)
    assert response.status_code == 409
    assert response.json()["code"] == "email_not_configured"
    with smtp_server() as box:
        app.state.extra_settings = ExtraSettings(
            smtp=SmtpSettings(host=box.host, port=box.port, starttls=False, from_address=FROM)
        )
        response = partner_a.post(f"/documents/{draft['id']}/send-email", body)
        assert response.status_code == 409
        assert response.json()["code"] == "document_not_issued"
        port = box.port
    # The relay is gone now: nothing listens on its port.
    app.state.extra_settings = ExtraSettings(
        smtp=SmtpSettings(host="127.0.0.1", port=port, starttls=False, from_address=FROM)
    )
    response = partner_a.post(f"/documents/{invoice['id']}/send-email", body)
    assert response.status_code == 502
    assert response.json()["code"] == "email_delivery_failed"
    assert partner_a.ok(partner_a.get(f"/documents/{invoice['id']}"))["status"] == "finalized"


def test_starttls_is_required_when_configured(partner_a: Partner, app: Any) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    with smtp_server() as box:
        app.state.extra_settings = ExtraSettings(
            smtp=SmtpSettings(host=box.host, port=box.port, starttls=True, from_address=FROM)
        )
        response = partner_a.post(
            f"/documents/{invoice['id']}/send-email", {"to": ["a@client.example"]}
        )
        assert response.status_code == 502
        assert box.messages == []


def test_another_partners_document_is_not_found(
    partner_a: Partner, partner_b: Partner, mailbox: Mailbox
) -> None:
    company = partner_a.company()
    invoice = partner_a.finalized(company["id"])
    response = partner_b.post(
        f"/documents/{invoice['id']}/send-email", {"to": ["a@client.example"]}
    )
    assert response.status_code == 404
    assert mailbox.messages == []


def test_the_editor_sends_its_document_with_its_token(
    partner_a: Partner, mailbox: Mailbox, client: httpx.Client
) -> None:
    company = partner_a.company()
    user = partner_a.user(company["id"])
    quote = partner_a.draft(company["id"], "quote")
    quote = partner_a.ok(partner_a.post(f"/documents/{quote['id']}/finalize"))
    session = partner_a.ok(
        partner_a.post(
            "/editor-sessions",
            {
                "company_id": company["id"],
                "user_id": user["id"],
                "document": {"id": quote["id"]},
                "parent_origin": "https://app.a.example",
            },
        ),
        201,
    )
    response = client.post(
        "/api/v1/editor/send-email",
        json={"to": ["client@buyer.example"]},
        headers={"Authorization": f"Editor {session['token']}"},
    )
    assert response.status_code == 200, response.text
    message = mailbox.only().message
    assert "Devis" in message["Subject"]
    assert "Total TTC" in text_of(message)
    # No theme published: the default colours; from the seller, not the module name.
    assert message["From"].addresses[0].display_name == quote["document"]["seller"]["name"]
    bad = client.post(
        "/api/v1/editor/send-email",
        json={"to": ["client@buyer.example"]},
        headers={"Authorization": "Editor not-a-token"},
    )
    assert bad.status_code == 401


def test_the_sender_is_the_seller_then_the_company_then_the_module() -> None:
    invoice = demo_invoice(1)
    company = Company(name="Atelier Blanc")
    assert sender_name(invoice, company, "EDT Compta") == "Atelier Blanc SARL"
    unnamed = invoice.model_copy(
        update={"seller": invoice.seller.model_copy(update={"name": None})}
    )
    assert sender_name(unnamed, company, "EDT Compta") == "Atelier Blanc"
    assert sender_name(unnamed, Company(name=" "), "EDT Compta") == "EDT Compta"
    folded = invoice.model_copy(
        update={"seller": invoice.seller.model_copy(update={"name": "Atelier\n  Blanc"})}
    )
    assert sender_name(folded, company, "EDT Compta") == "Atelier Blanc"  # one header line
