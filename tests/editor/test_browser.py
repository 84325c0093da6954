"""The editor in a real Chromium (Debian's, see tests/conftest.py), served by uvicorn on
loopback sockets.

Screenshots of the main states go to var/screenshots/ (French and English)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from editor.backend import EditorOptions
from editor.demo import DemoWorld, demo_world
from editor.routes import create_editor_app
from editor.work_pool import WorkPool
from invoicing.model import DocumentKind
from invoicing.official import official_check
from invoicing.pdf.facturx_reader import xml_from_pdf
from invoicing.profiles import Profile
from tests.editor.conftest import KEYS
from tests.editor.live_server import live_server

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@dataclass
class Site:
    base: str
    world: DemoWorld
    app: Starlette

    def token(self, parent_origin: str | None = None, seconds: int = 3600, **options: Any) -> str:
        return self.world.backend.mint(
            company=self.world.company,
            user_id=self.world.user_id,
            parent_origin=parent_origin or self.base,
            new_kind=options.pop("kind", DocumentKind.INVOICE),
            options=EditorOptions(**options),
            seconds=seconds,
        )

    def url(self, token: str, parent_origin: str | None = None) -> str:
        query = ""
        if parent_origin:
            query = "?p=" + quote(self.app.state.editor.parent_origins.sign(parent_origin))
        return f"{self.base}/editor{query}#t={token}"


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    world = demo_world(KEYS)
    app = create_editor_app(
        world.backend,
        signing_keys=KEYS,
        checker=WorkPool(),
        extra_routes=world.backend.routes,
    )
    with live_server(app) as base:
        world.backend.public_url = base
        yield Site(base, world, app)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def field(page: Page, path: str) -> Any:
    return page.locator(f'[data-path="{path}"]')


TOTAL = '[data-fragment="totals"] .bl-strong dd'


def test_an_invoice_typed_in_french_checked_saved_finalized_and_downloaded(
    site: Site, page: Page
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url(site.token()))
    expect(page.locator("#bl-fields")).to_be_enabled()
    assert "#t=" not in page.url  # the token left the address bar
    shot(page, "fr-1-new-invoice")

    # The customer, created inline.
    page.get_by_role("button", name="Nouveau client").click()
    form = page.locator("#bl-new-contact")
    form.get_by_label("Nom").press_sequentially("Boulangerie Dupont & Fils")
    form.get_by_label("SIREN").fill("552100554")
    form.get_by_label("N° de TVA intracommunautaire").fill("FR96552100554")
    form.get_by_label("Adresse").fill("3 place du Marché")
    form.get_by_label("Code postal").fill("69100")
    form.get_by_label("Ville").fill("Villeurbanne")
    form.get_by_role("button", name="Créer le client").click()
    # The demo catalogue has this customer already (same SIREN): it is proposed.
    form.get_by_role("button", name="Utiliser ce client").click()
    expect(page.locator(".bl-card")).to_contain_text("Boulangerie Dupont & Fils")

    # Three lines, typed.
    for index, (name, quantity, unit, price) in enumerate(
        [
            ("Intervention technicien", "2,5", "HUR", "65"),
            ("Câble RJ45", "2", "C62", "7,90"),
            ("Déplacement", "1", "C62", "35"),
        ]
    ):
        page.get_by_role("button", name="Ajouter une ligne").click()
        expect(field(page, f"lines[{index}].name")).to_be_focused()
        page.keyboard.type(name)
        field(page, f"lines[{index}].quantity").fill(quantity)
        field(page, f"lines[{index}].unit").select_option(unit)
        field(page, f"lines[{index}].net_price").press_sequentially(price)
    # Reorder with the keyboard: the moved line keeps the focus.
    field(page, "lines[2].name").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(field(page, "lines[1].name")).to_have_value("Déplacement")
    expect(field(page, "lines[1].name")).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")
    expect(field(page, "lines[2].name")).to_have_value("Déplacement")
    field(page, "business_process").select_option("M1")
    expect(page.locator(TOTAL)).to_have_text(re.compile(r"255,96"))
    expect(page.locator('[data-line-amount="0"]')).to_have_text(re.compile(r"162,50"))

    # An error shown next to its field, announced, listed; then fixed.
    quantity = field(page, "lines[1].quantity")
    quantity.fill("2,x")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    message = page.locator("#f-lines-1-quantity-msg")
    expect(message).to_contain_text("nombre")
    expect(quantity).to_have_attribute("aria-describedby", re.compile("f-lines-1-quantity-msg"))
    expect(page.locator("#bl-announce")).to_contain_text("erreur")
    page.locator("[data-fragment=findings]").get_by_role(
        "button", name=re.compile("Ligne 2 · Quantité")
    ).click()
    expect(quantity).to_be_focused()
    expect(page.locator(TOTAL)).to_have_text(re.compile(r"237,00"))
    shot(page, "fr-2-error-shown")
    quantity.fill("2")
    expect(quantity).not_to_have_attribute("aria-invalid", "true")
    expect(message).to_have_count(0)
    expect(page.locator(TOTAL)).to_have_text(re.compile(r"255,96"))
    expect(page.locator("[data-fragment=official]")).to_contain_text("Conforme", timeout=30_000)
    expect(page.locator("[data-fragment=findings]")).to_contain_text("Aucune erreur")
    shot(page, "fr-3-complete")

    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#bl-notice")).to_have_text("Enregistré.")
    page.get_by_role("button", name="Finaliser").click()
    dialog = page.locator("#bl-confirm")
    expect(dialog).to_be_visible()
    shot(page, "fr-4-confirm-finalize")
    dialog.get_by_role("button", name="Finaliser").click()
    expect(page.locator(".bl-number")).to_have_text(re.compile(r"^F-\d{4}-0001$"))
    expect(page.locator(".bl-status")).to_have_text("Émise")
    expect(field(page, "subject")).to_be_disabled()
    shot(page, "fr-5-finalized")

    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    result = official_check(xml_from_pdf(pdf), Profile.EN16931, french=True)
    assert result.ok, result.as_dict()


def _proxy(page: Page) -> dict[str, Any]:
    """Route the editor's sockets through a proxy that can cut the first one."""
    state: dict[str, Any] = {"cut": False, "sockets": []}

    def handler(route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        first = not state["sockets"]
        state["sockets"].append(route)

        def to_server(message: str | bytes) -> None:
            if not (first and state["cut"]):  # a cut socket loses what it carries
                server.send(message)

        route.on_message(to_server)
        server.on_message(route.send)

    page.route_web_socket(re.compile(r".*/editor/ws$"), handler)
    return state


def test_nothing_typed_is_lost_when_the_socket_drops_mid_typing(site: Site, page: Page) -> None:
    state = _proxy(page)
    page.goto(site.url(site.token()))
    expect(page.locator("#bl-fields")).to_be_enabled()
    page.get_by_role("button", name="Ajouter une ligne").click()
    name = field(page, "lines[0].name")
    name.press_sequentially("Pose de ", delay=20)
    state["cut"] = True  # from now on the first socket drops everything
    name.press_sequentially("carrelage", delay=20)
    field(page, "lines[0].quantity").fill("12")
    field(page, "lines[0].net_price").press_sequentially("41,5", delay=20)
    page.wait_for_timeout(300)
    state["sockets"][0].close(code=4000, reason="cut")
    expect(page.locator("#bl-connection")).to_contain_text("Hors ligne")
    shot(page, "fr-6-offline")
    field(page, "subject").fill("Salle de bains")
    expect(page.locator("#bl-connection")).to_have_text(
        re.compile(r"^Brouillon enregistré à \d\d:\d\d$"), timeout=15_000
    )
    assert len(state["sockets"]) >= 2
    expect(page.locator(TOTAL)).to_have_text(re.compile(r"597,60"))  # 12 x 41.50 x 1.2

    stored = [d for d in site.world.backend.documents.values() if d.draft_content.get("subject")]
    content = stored[-1].draft_content
    assert content["subject"] == "Salle de bains"
    assert content["lines"][0]["name"] == "Pose de carrelage"
    assert (content["lines"][0]["quantity"], content["lines"][0]["net_price"]) == ("12", "41,5")

    page.reload()  # the token is kept for this tab; the draft comes back
    expect(field(page, "lines[0].name")).to_have_value("Pose de carrelage")
    expect(field(page, "lines[0].net_price")).to_have_value("41,5")
    expect(page.locator(TOTAL)).to_have_text(re.compile(r"597,60"))


HOST_JS = """
window.events = [];
var src = new URLSearchParams(location.search).get("src");
var frame = document.createElement("iframe");
frame.title = "Invoice editor";
frame.src = src;
frame.style.width = "1100px";
frame.style.height = "600px";
frame.style.border = "0";
document.body.appendChild(frame);
window.addEventListener("message", function (event) {
  if (event.source !== frame.contentWindow) return;
  window.events.push({ origin: event.origin, data: event.data });
  if (event.data && event.data.type === "resize") {
    frame.style.height = event.data.payload.height + "px";
  }
});
"""


def host_app() -> Starlette:
    async def page(_: Any) -> Response:
        return HTMLResponse(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Partner app</title>'
            '</head><body><h1>Partner app</h1><script src="/host.js"></script></body></html>'
        )

    async def script(_: Any) -> Response:
        return Response(HOST_JS, media_type="text/javascript")

    return Starlette(routes=[Route("/", page), Route("/host.js", script)])


def _localhost(url: str) -> str:
    return url.replace("127.0.0.1", "localhost")


def test_embedded_in_a_partner_page_in_english(site: Site, browser: Browser) -> None:
    with live_server(host_app()) as host_url, live_server(host_app()) as third_url:
        host, third = _localhost(host_url), _localhost(third_url)
        token = site.token(host, locale="en", contacts="app", hide_preview_after_save=True)
        editor_url = site.url(token, host)
        # Tall enough for the whole frame: a cross-origin frame is only painted
        # near the viewport, even in a full-page screenshot.
        context = browser.new_context(viewport={"width": 1200, "height": 2600})
        page = context.new_page()
        page.goto(f"{host}/?src={quote(editor_url)}")
        frame = page.frame_locator("iframe")
        expect(frame.locator("#bl-fields")).to_be_enabled()
        expect(frame.get_by_role("button", name="New customer")).to_have_count(0)

        search = frame.get_by_role("combobox", name="Search for a customer")
        search.press_sequentially("boul")
        expect(frame.get_by_role("option", name=re.compile("Boulangerie")).first).to_be_visible()
        search.press("ArrowDown")
        search.press("Enter")
        expect(frame.locator(".bl-card")).to_contain_text("Boulangerie Dupont")
        products = frame.get_by_role("combobox", name="Add from the catalogue")
        products.press_sequentially("dépl")
        expect(frame.get_by_role("option", name=re.compile("Déplacement"))).to_be_visible()
        products.press("ArrowDown")
        products.press("Enter")
        expect(frame.locator('[data-path="lines[0].name"]')).to_have_value("Déplacement")
        frame.locator('[data-path="business_process"]').select_option("S1")
        expect(frame.locator(TOTAL)).to_have_text(re.compile(r"€42\.00"))
        expect(frame.locator("[data-fragment=official]")).to_contain_text(
            "Meets the official rules", timeout=30_000
        )
        shot(page, "en-1-embedded")

        frame.get_by_role("button", name="Save").click()
        expect(frame.locator("#bl-notice")).to_have_text("Saved.")
        expect(frame.locator("[data-block=preview]")).to_have_count(0)
        shot(page, "en-2-saved-preview-hidden")
        events = page.evaluate("window.events")
        editor_origin = site.base
        assert {e["origin"] for e in events} == {editor_origin}
        types = [e["data"]["type"] for e in events]
        for expected in ("ready", "resize", "validation.changed", "document.created"):
            assert expected in types
        saved = [e["data"] for e in events if e["data"]["type"] == "document.saved"]
        assert saved and saved[-1]["payload"]["valid"] is True
        assert all(e["data"]["source"] == "blanche" and e["data"]["version"] == 1 for e in events)

        # A third origin cannot frame this session's page.
        reports = len(site.app.state.editor.csp_reports)
        page.goto(f"{third}/?src={quote(editor_url)}")
        _wait_for(lambda: len(site.app.state.editor.csp_reports) > reports, page)
        assert b"frame-ancestors" in site.app.state.editor.csp_reports[-1]
        assert page.evaluate("window.events.length") == 0

        # An expired session: a clear message, and the host is told.
        expired = site.token(host, seconds=1, locale="en")
        page.wait_for_timeout(1100)
        page.goto(f"{host}/?src={quote(site.url(expired, host))}")
        expect(frame.get_by_role("alert")).to_contain_text("expired")
        shot(page, "en-3-session-expired")
        page.wait_for_function("window.events.some(e => e.data.type === 'session.expired')")
        context.close()


def _wait_for(condition: Any, page: Page, timeout_ms: int = 10_000) -> None:
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met")
