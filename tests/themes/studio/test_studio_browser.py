"""The theme studio in real Chromium: sign in with a link, change a colour, see
the contrast report follow, upload a logo, publish; the theme's CSS URL changes.

The service runs in this process (uvicorn thread); the studio runs as it does
in production, `python -m themes.studio.serve`, in a child process on a socket
bound here and inherited.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from server.app import create_app
from server.extra_settings import ExtraSettings, StudioSettings
from server.settings import Settings, sqlite_url
from tests.e2e.partner_site import SCREENSHOTS
from tests.live_server import loopback_socket, serving, url_of
from tests.server.helpers import Partner, make_partner

pytestmark = pytest.mark.browser

REPOSITORY = Path(__file__).resolve().parents[3]
BUILD_SCRIPT = REPOSITORY / "scripts" / "build-studio.sh"


@dataclass
class World:
    service_url: str
    studio_url: str
    partner: Partner


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    subprocess.run(["bash", str(BUILD_SCRIPT)], check=True, capture_output=True, timeout=600)
    var = tmp_path_factory.mktemp("studio") / "var"
    service_socket, studio_socket = loopback_socket(), loopback_socket()
    studio_socket.listen(64)
    service_url, studio_url = url_of(service_socket), url_of(studio_socket)
    settings = Settings(
        var_dir=var,
        database_url=sqlite_url(var / "blanche.db"),
        signing_keys=("studio-test-key",),
        public_url=service_url,
    )
    app = create_app(settings)
    app.state.extra_settings = ExtraSettings(studio=StudioSettings(studio_url))
    environment = {
        **os.environ,
        "BLANCHE_VAR_DIR": str(var),
        "BLANCHE_DATABASE_URL": settings.database_url,
        "BLANCHE_SIGNING_KEYS": "studio-test-key",
        "BLANCHE_PUBLIC_URL": service_url,
        "BLANCHE_STUDIO_URL": studio_url,
    }
    log_path = var.parent / "studio.log"
    with serving(app, service_socket) as url, httpx.Client(base_url=url) as http:
        # Playwright's loop runs in this thread (asyncio.run refuses to nest): another one.
        with ThreadPoolExecutor(1) as thread:
            partner = thread.submit(
                make_partner, http, settings, "Studio partner", ["https://app.partner.example"]
            ).result()
        company = partner.company()
        partner.user(company["id"])
        with log_path.open("wb") as log:
            studio = subprocess.Popen(
                [sys.executable, "-m", "themes.studio.serve", "--fd", str(studio_socket.fileno())],
                env=environment,
                pass_fds=(studio_socket.fileno(),),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_serving(studio, studio_url, log_path)
            yield World(service_url, studio_url, partner)
        finally:
            studio.terminate()
            studio.wait(timeout=30)
            studio_socket.close()


def _wait_until_serving(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the studio exited:\n{log.read_text()}")
        try:
            if httpx.get(url + "/studio/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the studio did not start:\n{log.read_text()}")


def starts(prefix: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(prefix))


def contains(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))


def studio_link(partner: Partner) -> str:
    url: str = partner.ok(partner.post("/partners/me/studio-link", {}), 201)["url"]
    return url


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (11, 110, 79)).save(buffer, "PNG")
    return buffer.getvalue()


def test_sign_in_edit_see_the_contrast_report_publish(page: Page, world: World) -> None:
    partner = world.partner
    link = studio_link(partner)
    response = page.goto(link)
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page).to_have_url(world.studio_url + "/studio/")
    expect(page.locator("#primary-hex")).to_have_value("#3454d1")
    expect(page.locator("#module-name")).to_have_value("Facturation")
    expect(page.locator("#no-adjustments")).to_be_visible()

    # The real editor, embedded by embed.js from the service, for a new quote.
    editor = page.locator("#editor-slot iframe")
    expect(editor).to_have_attribute(  # after the first preview and PDF page: slow when busy
        "src", starts(f"{world.service_url}/editor?p="), timeout=30_000
    )
    # The emails and the first PDF page, themed.
    expect(page.locator("#quote-email")).to_have_attribute("srcdoc", contains("Devis"))
    expect(page.locator("#invoice-email")).to_have_attribute("srcdoc", contains("Facture"))
    expect(page.locator("#pdf-page")).to_have_attribute("src", starts("data:image/png;base64,"))

    # Yellow cannot carry text on white: the report lists the adjustment at once.
    page.locator("#primary-hex").fill("#ffff00")
    expect(page.locator("#adjustments")).to_contain_text("#ffff00")
    expect(page.locator("#primary-picker")).to_have_value("#ffff00")  # picker and hex agree
    page.locator("#accent-picker").fill("#6d28d9")
    expect(page.locator("#accent-hex")).to_have_value("#6d28d9")
    expect(page.locator("#quote-email")).to_have_attribute("srcdoc", contains("Devis"))

    page.locator("#logo-upload input[type=file]").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}]
    )
    expect(page.locator("#logo-note")).to_contain_text("64x32")
    page.locator("#module-name").fill("EDT Compta")
    expect(page.locator("#sample-ui")).to_contain_text("EDT Compta")

    page.locator("#publish").click()
    expect(page.locator("#status")).to_have_text("Published version 1.")
    first = partner.ok(partner.get("/partners/me/theme"))
    assert first["version"] == 1
    assert first["theme"]["primary"] == "#ffff00"
    assert first["theme"]["accent"] == "#6d28d9"
    assert first["theme"]["module_name"] == "EDT Compta"
    assert first["theme"]["logo"]["width"] == 64
    expect(page.locator("#published-css")).to_have_text(first["css_url"])
    assert httpx.get(world.service_url + first["css_url"]).status_code == 200

    page.locator("#primary-hex").fill("#3454d1")
    expect(page.locator("#no-adjustments")).to_be_visible()
    page.locator("#publish").click()
    expect(page.locator("#status")).to_have_text("Published version 2.")
    second = partner.ok(partner.get("/partners/me/theme"))
    assert second["css_url"] != first["css_url"]
    assert second["theme"]["logo"] == first["theme"]["logo"]  # kept, not uploaded again
    expect(page.locator("#published-css")).to_have_text(second["css_url"])

    # A login link works once.
    again = page.context.new_page()
    again.goto(link)
    expect(again.locator("#login-status")).to_contain_text("already used")


def test_without_a_session_the_studio_asks_for_a_link(page: Page, world: World) -> None:
    page.goto(world.studio_url + "/studio/")
    expect(page.locator("#signed-out")).to_contain_text("sign-in link")
    page.goto(world.studio_url + "/studio/login?t=forged")
    expect(page.locator("#login-status")).to_contain_text("invalid")

    # Reflex reads whole uploads: oversized or unsized ones are refused before that.
    upload = world.studio_url + "/studio/_backend/_upload"
    assert httpx.post(upload, content=b"x" * (2 * 1024 * 1024)).status_code == 413

    def chunks() -> Iterator[bytes]:
        yield b"x" * 1024

    assert httpx.post(upload, content=chunks()).status_code == 413


def test_the_studio_speaks_french_and_english(browser: Browser, world: World) -> None:
    """The browser's language first (Accept-Language), then the one chosen, kept."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(studio_link(world.partner))
    expect(page.locator("#publish")).to_have_text("Publier")
    expect(page.get_by_text("Nom du module", exact=True)).to_be_visible()
    expect(page.locator("#sample-ui")).to_contain_text("Enregistrer")  # the editor's labels
    expect(page.locator("#sample-ui")).to_contain_text("Dupliquer")
    page.locator("#primary-hex").fill("#ffff00")
    expect(page.locator("#adjustments")).to_contain_text("contraste")
    expect(page.get_by_role("columnheader", name="Usage")).to_be_visible()
    expect(page.get_by_role("cell", name="texte courant").first).to_be_visible()
    editor = page.frame_locator("#editor-slot iframe")
    expect(editor.locator(".bl-title")).to_contain_text("Devis", timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "studio-desktop-fr.png"))

    page.locator("#language").click()
    page.get_by_role("option", name="English").click()
    expect(page.locator("#publish")).to_have_text("Publish")
    expect(page.locator("#sample-ui")).to_contain_text("Duplicate")
    expect(page.get_by_role("cell", name="body text").first).to_be_visible()
    expect(editor.locator(".bl-title")).to_contain_text("Quote", timeout=30_000)
    page.locator("#publish").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^Published version \d+\.$"))
    page.reload()  # the choice is kept over the browser's language
    expect(page.locator("#publish")).to_have_text("Publish")
    page.set_viewport_size({"width": 375, "height": 667})
    page.screenshot(path=str(SCREENSHOTS / "studio-phone-en.png"))
    context.close()

    english = browser.new_context(locale="en-GB")
    signed_out = english.new_page()
    signed_out.goto(world.studio_url + "/studio/")
    expect(signed_out.locator("#signed-out")).to_contain_text("sign-in link")
    french = browser.new_context(locale="fr-FR")
    signed_out = french.new_page()
    signed_out.goto(world.studio_url + "/studio/")
    expect(signed_out.locator("#signed-out")).to_contain_text("lien de connexion")
    english.close()
    french.close()
