"""The editor says what the server holds, and the REST API shows it: after an
autosave "Brouillon enregistré à HH:MM" and `GET /documents/{id}/editor-draft` has
what was typed (also half-typed values); after the save button "Enregistré" and
`GET /documents/{id}` has it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PartnerSite, open_editor, partner_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("saving"))) as site:
        yield site


def test_autosave_and_save_are_said_as_they_are(site: PartnerSite, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    frame = open_editor(page, site, site.editor_url())
    status = frame.locator("#bl-connection")
    expect(status).to_have_text("Pas encore enregistré")
    frame.get_by_role("button", name="Ajouter une ligne").click()
    frame.locator('[data-path="lines[0].name"]').press_sequentially("Pose de parquet")
    frame.locator('[data-path="lines[0].quantity"]').fill("2,x")  # half-typed
    expect(status).to_have_text(re.compile(r"^Brouillon enregistré à \d\d:\d\d$"), timeout=15_000)

    partner = site.partner
    drafts = partner.ok(partner.get(f"/companies/{site.company_id}/documents"))["items"]
    assert len(drafts) == 1
    document_id = drafts[0]["id"]
    draft = partner.ok(
        partner.get(f"/documents/{document_id}/editor-draft", headers={"Accept-Language": "fr"})
    )
    assert draft["content"]["lines"][0]["name"] == "Pose de parquet"
    assert draft["content"]["lines"][0]["quantity"] == "2,x"
    assert draft["document"]["lines"][0]["name"] == "Pose de parquet"
    assert [r["field"] for r in draft["refused"]] == ["lines[0].quantity"]
    assert (draft["saved"], draft["stale"], draft["document_status"]) == (False, False, "draft")

    frame.locator('[data-path="lines[0].quantity"]').fill("2")
    for _ in range(150):  # until the autosave of "2" reached the server
        content = partner.ok(partner.get(f"/documents/{document_id}/editor-draft"))["content"]
        if content["lines"][0]["quantity"] == "2":
            break
        page.wait_for_timeout(100)
    expect(status).to_have_text(re.compile(r"^Brouillon enregistré à"))
    frame.get_by_role("button", name="Enregistrer", exact=True).click()
    # "Enregistré"; or, when the button's save was followed by an autosave of a later
    # edit (leaving the field sends its value again), that autosave's time.
    expect(status).to_have_text(re.compile(r"^(Enregistré|Brouillon enregistré à \d\d:\d\d)$"))
    stored = partner.ok(partner.get(f"/documents/{document_id}"))
    assert stored["document"]["lines"][0]["name"] == "Pose de parquet"

    other = partner.draft(site.company_id)  # never opened in the editor
    missing = partner.get(f"/documents/{other['id']}/editor-draft")
    assert (missing.status_code, missing.json()["code"]) == (404, "no_editor_draft")
