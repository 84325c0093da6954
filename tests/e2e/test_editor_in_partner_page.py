"""The real product end to end: the service (REST API, editor, SQLite) under uvicorn on one
loopback origin, the example partner page (embed/example/host.html with embed.js) on a
second, a stranger's page on a third; Debian's Chromium drives it.

A partner onboarded by the operator makes a company, a user and an editor session over
HTTP; the user types an invoice in the framed editor (a customer created inline, three
lines; a reload finds the autosaved draft; an error shown then fixed), saves, finalizes
and downloads the Factur-X PDF, which
the official check accepts; the partner's page hears `document.saved` from the editor's
origin only; the REST API shows the invoice finalized under its number; and the
stranger's page cannot frame the editor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import FrameLocator, Page, expect
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from invoicing.official import official_check
from invoicing.pdf.facturx_reader import xml_from_pdf
from invoicing.profiles import Profile
from invoicing.samples import FRENCH_LEGAL_NOTES
from server.app import create_app
from server.host_page import host_page_app
from server.settings import Settings, sqlite_url
from tests.live_server import loopback_socket, serving, url_of
from tests.server.helpers import Partner, company_body, make_partner

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TOTAL = '[data-fragment="totals"] .bl-strong dd'
# Every message the framed editor posts, as the host window sees it (before the SDK).
RECORD_MESSAGES = """
window.__messages = [];
window.addEventListener("message", function (event) {
  var data = event.data || {};
  window.__messages.push({ origin: event.origin, type: data.type, payload: data.payload });
});
"""


@dataclass
class World:
    service: str  # the editor's origin
    host: str  # the partner's page
    stranger: str  # a third origin
    app: Starlette
    partner: Partner


def stranger_app() -> Starlette:
    async def page(request: Any) -> Response:
        src = request.query_params.get("src", "")
        return HTMLResponse(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stranger</title>'
            f'</head><body><iframe title="stolen" src="{_attribute(src)}"></iframe></body></html>'
        )

    return Starlette(routes=[Route("/", page)])


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    sockets = [loopback_socket() for _ in range(3)]
    service, host, stranger = (url_of(sock) for sock in sockets)
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=sqlite_url(tmp_path / "var" / "blanche.db"),
        signing_keys=("e2e-signing-key-0123456789abcdef",),
        public_url=service,
    )
    app = create_app(settings)
    with (
        serving(app, sockets[0]),
        serving(host_page_app(), sockets[1]),
        serving(stranger_app(), sockets[2]),
        httpx.Client(base_url=service, timeout=30) as http,
    ):
        # The operator onboards the partner (`blanche partners create`); Playwright's loop
        # runs in this thread, so the database work runs in another.
        with ThreadPoolExecutor(1) as thread:
            partner = thread.submit(make_partner, http, settings, "Partner", [host]).result()
        yield World(service, host, stranger, app, partner)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"e2e-{name}.png"), full_page=True)


def field(frame: FrameLocator, path: str) -> Any:
    return frame.locator(f'[data-path="{path}"]')


def _editor_url(world: World) -> tuple[str, int]:
    partner = world.partner
    body = {
        **company_body(),
        "legal_notes": [note.model_dump(mode="json") for note in FRENCH_LEGAL_NOTES],
        "payment_terms": "Paiement à 30 jours par virement.",
    }
    company = partner.ok(partner.post("/companies", body), 201)
    user = partner.user(company["id"])
    session = partner.ok(
        partner.post(
            "/editor-sessions",
            {
                "company_id": company["id"],
                "user_id": user["id"],
                "document": {"new": "invoice"},
                "parent_origin": world.host,
            },
        ),
        201,
    )
    return session["url"], company["id"]


def _type_the_invoice(frame: FrameLocator) -> None:
    frame.get_by_role("button", name="Nouveau client").click()
    form = frame.locator("#bl-new-contact")
    form.get_by_label("Nom").press_sequentially("Boulangerie Dupont & Fils")
    form.get_by_label("SIREN").fill("552100554")
    form.get_by_label("N° de TVA intracommunautaire").fill("FR96552100554")
    form.get_by_label("Adresse").fill("3 place du Marché")
    form.get_by_label("Code postal").fill("69100")
    form.get_by_label("Ville").fill("Villeurbanne")
    form.get_by_role("button", name="Créer le client").click()
    expect(frame.locator(".bl-card")).to_contain_text("Boulangerie Dupont & Fils")
    for index, (name, quantity, unit, price) in enumerate(
        [
            ("Intervention technicien", "2,5", "HUR", "65"),
            ("Câble RJ45", "2", "C62", "7,90"),
            ("Déplacement", "1", "C62", "35"),
        ]
    ):
        frame.get_by_role("button", name="Ajouter une ligne").click()
        expect(field(frame, f"lines[{index}].name")).to_be_focused()
        field(frame, f"lines[{index}].name").press_sequentially(name)
        field(frame, f"lines[{index}].quantity").fill(quantity)
        field(frame, f"lines[{index}].unit").select_option(unit)
        field(frame, f"lines[{index}].net_price").press_sequentially(price)
    field(frame, "business_process").select_option("M1")
    expect(frame.locator(TOTAL)).to_have_text(re.compile(r"255,96"))


def test_a_partner_embeds_the_editor_and_an_invoice_is_typed_saved_finalized(
    world: World, page: Page
) -> None:
    editor_url, company_id = _editor_url(world)
    assert editor_url.startswith(f"{world.service}/editor?p=")
    page.set_viewport_size({"width": 1400, "height": 2600})  # a frame paints near the viewport
    page.add_init_script(RECORD_MESSAGES)
    # The page loads the SDK from the service, as a partner's page does.
    page.goto(f"{world.host}/?editor={quote(editor_url, safe='')}")
    frame = page.frame_locator("#slot iframe")
    expect(frame.locator("#bl-fields")).to_be_enabled()
    expect(page.locator("#log li[data-type=ready]")).to_have_count(1)

    _type_the_invoice(frame)
    # Autosaved: a reload finds the draft again (same session, stored in the database).
    saved_text = re.compile(r"^Brouillon enregistré à \d\d:\d\d$")
    expect(frame.locator("#bl-connection")).to_have_text(saved_text, timeout=15_000)
    page.reload()
    expect(field(frame, "lines[2].name")).to_have_value("Déplacement")
    expect(frame.locator(".bl-card")).to_contain_text("Boulangerie Dupont & Fils")
    expect(frame.locator(TOTAL)).to_have_text(re.compile(r"255,96"))

    # An error shown next to its field, then fixed.
    quantity = field(frame, "lines[1].quantity")
    quantity.fill("2,x")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(frame.locator("#f-lines-1-quantity-msg")).to_contain_text("nombre")
    expect(frame.locator(TOTAL)).to_have_text(re.compile(r"237,00"))
    shot(page, "1-error-shown")
    quantity.fill("2")
    expect(quantity).not_to_have_attribute("aria-invalid", "true")
    expect(frame.locator(TOTAL)).to_have_text(re.compile(r"255,96"))
    expect(frame.locator("[data-fragment=official]")).to_contain_text("Conforme", timeout=30_000)

    frame.get_by_role("button", name="Enregistrer").click()
    expect(frame.locator("#bl-notice")).to_have_text("Enregistré.")
    saved_entry = page.locator("#log li[data-type='document.saved']")
    expect(saved_entry).to_have_count(1)  # the SDK dispatched it: origin and source checked
    messages = page.evaluate("window.__messages")
    assert messages and {m["origin"] for m in messages} == {world.service}
    saved = [m["payload"] for m in messages if m["type"] == "document.saved"][-1]
    assert (saved["valid"], saved["tax_inclusive_amount"]) == (True, "255.96")
    document_id = saved["id"]
    shot(page, "2-saved")

    frame.get_by_role("button", name="Finaliser").click()
    frame.locator("#bl-confirm").get_by_role("button", name="Finaliser").click()
    expect(frame.locator(".bl-number")).to_have_text(re.compile(r"^F-\d{4}-00001$"))
    number = frame.locator(".bl-number").inner_text()
    expect(page.locator("#log li[data-type='document.finalized']")).to_have_count(1)
    with page.expect_download() as download:
        frame.get_by_role("button", name="Télécharger le PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    result = official_check(xml_from_pdf(pdf), Profile.EN16931, french=True)
    assert result.ok and not result.errors, result.as_dict()
    shot(page, "3-finalized")

    shown = world.partner.ok(world.partner.get(f"/documents/{document_id}"))
    assert (shown["status"], shown["number"], shown["company_id"]) == (
        "finalized",
        number,
        company_id,
    )
    assert shown["document"]["buyer"]["name"] == "Boulangerie Dupont & Fils"
    assert len(shown["document"]["lines"]) == 3

    # A third origin cannot frame the session's editor page.
    reports = len(world.app.state.editor.csp_reports)
    blocked: list[str] = []
    page.on("requestfailed", lambda request: blocked.append(request.failure or ""))
    page.goto(f"{world.stranger}/?src={quote(editor_url, safe='')}")
    for _ in range(100):
        if len(world.app.state.editor.csp_reports) > reports:
            break
        page.wait_for_timeout(100)
    assert b"frame-ancestors" in world.app.state.editor.csp_reports[-1]
    assert any("ERR_BLOCKED_BY_RESPONSE" in failure for failure in blocked)
