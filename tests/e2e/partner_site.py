"""The service and the example partner page on two loopback origins, for browser tests
that look at the editor as the partner's users see it (module-scoped: one service per
test module), and helpers to mint editor URLs and look at what the host's window shows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from playwright.sync_api import ElementHandle, FrameLocator, Locator, Page

from invoicing.samples import FRENCH_LEGAL_NOTES
from server.app import create_app
from server.extra_settings import ExtraSettings, SmtpSettings
from server.host_page import host_page_app
from server.settings import Settings, sqlite_url
from tests.live_server import loopback_socket, serving, url_of
from tests.server.helpers import Partner, company_body, make_partner

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


@dataclass
class PartnerSite:
    service: str  # the editor's origin
    host: str  # the example partner page's origin
    partner: Partner
    company_id: int
    user_id: int

    def editor_url(self, document: dict[str, Any] | None = None, **options: Any) -> str:
        body: dict[str, Any] = {
            "company_id": self.company_id,
            "user_id": self.user_id,
            "document": document or {"new": "invoice"},
            "parent_origin": self.host,
        }
        if options:
            body["options"] = options
        return str(self.partner.ok(self.partner.post("/editor-sessions", body), 201)["url"])

    def host_page(self, editor_url: str) -> str:
        return f"{self.host}/?editor={quote(editor_url, safe='')}"


@contextmanager
def partner_site(tmp_path: Path, smtp: SmtpSettings | None = None) -> Iterator[PartnerSite]:
    """`smtp`: the relay the service sends email through (none: email not configured)."""
    sockets = [loopback_socket() for _ in range(2)]
    service, host = (url_of(sock) for sock in sockets)
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=sqlite_url(tmp_path / "var" / "blanche.db"),
        signing_keys=("e2e-signing-key-0123456789abcdef",),
        public_url=service,
    )
    app = create_app(settings)
    if smtp is not None:
        app.state.extra_settings = ExtraSettings(smtp=smtp)
    with (
        serving(app, sockets[0]),
        serving(host_page_app(), sockets[1]),
        httpx.Client(base_url=service, timeout=30) as http,
    ):
        with ThreadPoolExecutor(1) as thread:  # Playwright's loop may run in this thread
            partner = thread.submit(make_partner, http, settings, "Partner", [host]).result()
        body = {
            **company_body(),
            "legal_notes": [note.model_dump(mode="json") for note in FRENCH_LEGAL_NOTES],
            "payment_terms": "Paiement à 30 jours par virement.",
        }
        company = partner.ok(partner.post("/companies", body), 201)
        user = partner.user(company["id"])
        yield PartnerSite(service, host, partner, company["id"], user["id"])


def open_editor(page: Page, site: PartnerSite, editor_url: str) -> FrameLocator:
    page.goto(site.host_page(editor_url))
    frame = page.frame_locator("#slot iframe")
    frame.locator("#bl-fields").wait_for(state="attached")
    return frame


def in_view(page: Page, target: Locator | ElementHandle) -> bool:
    """Whether the whole element is inside what the host page's window shows (a
    bounding box of an element in an iframe is in the main page's coordinates)."""
    box = target.bounding_box()
    viewport = page.viewport_size
    assert viewport is not None
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def wait_in_view(page: Page, target: Locator, timeout: float = 5.0) -> bool:
    """The element comes into the host's view (a dialog follows the band the SDK
    reports, which may arrive a frame after the click)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if in_view(page, target):
            return True
        page.wait_for_timeout(50)
    return in_view(page, target)


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
