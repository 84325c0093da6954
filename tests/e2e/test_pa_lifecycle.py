"""The PA lifecycle as the user follows it in the editor: an issued invoice shows
"Déposée" then "Approuvée" as the company's platform (the sandbox, its own process)
gives them, through a real PA worker process; a rejected one says what to do; each
status is posted to the host page as `document.lifecycle`, valid against its schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from playwright.sync_api import Page, expect

from embed.contract import schemas
from server.settings import Settings, sqlite_url
from tests.e2e.partner_site import PartnerSite, open_editor, partner_site, shot
from tests.server.helpers import document_body
from tests.server.pa.processes import CLIENT_SECRET, sandbox_process, worker_process

pytestmark = pytest.mark.browser

RECORD = """
window.__posted = [];
window.addEventListener("message", function (event) {
  if (event.data && event.data.source === "blanche") window.__posted.push(event.data);
});
"""


@pytest.fixture(scope="module")
def connected(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[PartnerSite, Settings]]:
    tmp = Path(tmp_path_factory.mktemp("pa-lifecycle"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BLANCHE_PA_ALLOW_PRIVATE_TARGETS", "1")  # the sandbox is on loopback
        with (
            sandbox_process("--approve-seconds", "1", "--refuse-seconds", "2") as sandbox,
            partner_site(tmp) as site,
        ):
            body = {"url": sandbox, "client_id": "e2e", "client_secret": CLIENT_SECRET}
            site.partner.ok(site.partner.put(f"/companies/{site.company_id}/pa", body))
            settings = Settings(
                var_dir=tmp / "var",
                database_url=sqlite_url(tmp / "var" / "blanche.db"),
                signing_keys=("e2e-signing-key-0123456789abcdef",),
            )
            with worker_process(settings):
                yield site, settings


def _issued(site: PartnerSite, note: str | None = None) -> dict[str, Any]:
    body = document_body()
    if note:
        body["notes"] = [*body.get("notes", []), {"text": note}]
    draft = site.partner.ok(site.partner.post(f"/companies/{site.company_id}/documents", body), 201)
    return site.partner.ok(site.partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def test_the_editor_follows_an_invoice_at_the_platform(
    connected: tuple[PartnerSite, Settings], page: Page
) -> None:
    site, _ = connected
    invoice = _issued(site)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.add_init_script(RECORD)
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}))
    timeline = frame.locator("#bl-lifecycle .bl-timeline")
    expect(timeline).to_contain_text("Approuvée", timeout=30_000)
    # The status's name first, its code as a small detail after it.
    names = timeline.locator(".bl-status-name")
    expect(names).to_have_text(["Déposée", "Approuvée"])
    expect(timeline.locator(".bl-status-code")).to_have_text(["code 200", "code 205"])
    first = timeline.locator("li").first
    assert first.inner_text().startswith("Déposée")
    name_size = names.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    code_size = first.locator(".bl-status-code").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert code_size < name_size
    expect(frame.locator("#bl-lifecycle .bl-lifecycle-next")).to_be_hidden()
    shot(page, "pa-lifecycle-approved-desktop-fr")
    page.set_viewport_size({"width": 375, "height": 667})
    shot(page, "pa-lifecycle-approved-phone-fr")

    posted = [m for m in page.evaluate("window.__posted") if m["type"] == "document.lifecycle"]
    validator = jsonschema_rs.Draft202012Validator(schemas()["document.lifecycle"])
    assert [m["payload"]["code"] for m in posted] == ["200", "205"]
    for message in posted:
        assert not [str(e) for e in validator.iter_errors(message)], message
        assert message["payload"]["document_id"] == invoice["id"]


def test_a_rejected_invoice_tells_the_user_what_to_do(
    connected: tuple[PartnerSite, Settings], page: Page
) -> None:
    site, _ = connected
    invoice = _issued(site, note="Test #reject")
    page.set_viewport_size({"width": 375, "height": 667})
    frame = open_editor(page, site, site.editor_url({"id": invoice["id"]}, locale="en"))
    rejected = frame.locator("#bl-lifecycle .bl-timeline li.bl-problem")
    expect(rejected.locator(".bl-status-name")).to_have_text("Rejected", timeout=30_000)
    expect(rejected.locator(".bl-status-code")).to_have_text("code 213")
    assert rejected.inner_text().startswith("Rejected")
    next_step = frame.locator("#bl-lifecycle .bl-lifecycle-next")
    expect(next_step).to_be_visible()
    expect(next_step).to_contain_text("credit note")
    shot(page, "pa-lifecycle-rejected-phone-en")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "pa-lifecycle-rejected-desktop-en")


def test_the_customer_block_says_where_the_customer_receives(
    connected: tuple[PartnerSite, Settings], page: Page
) -> None:
    site, _ = connected
    draft = site.partner.ok(
        site.partner.post(f"/companies/{site.company_id}/documents", document_body()), 201
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    expect(frame.locator(".bl-customer .bl-routing")).to_have_text(
        "Reçoit ses factures via PA Sandbox Blanche", timeout=15_000
    )
    body = document_body()
    body["buyer"]["siren"] = "912345675"
    body["buyer"].pop("siret", None)
    other = site.partner.ok(site.partner.post(f"/companies/{site.company_id}/documents", body), 201)
    frame = open_editor(page, site, site.editor_url({"id": other["id"]}))
    expect(frame.locator(".bl-customer .bl-routing")).to_have_text(
        "Non inscrit à l'annuaire de la facturation électronique", timeout=15_000
    )
