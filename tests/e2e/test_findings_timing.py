"""Findings at the right time, on the example partner page: a blank invoice says what
is left to complete without marking anything invalid and without the validators' raw
texts; a field left empty is marked once left; a finalize attempt marks every error,
says so as an error and puts the focus on the first field to complete."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import (
    DESKTOP,
    SCREENSHOTS,
    PartnerSite,
    open_editor,
    partner_site,
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("findings"))) as site:
        yield site


@pytest.mark.parametrize(
    ("locale", "todo", "finalize"),
    [
        ("fr", r"\d+ informations à compléter avant de finaliser", "Finaliser"),
        ("en", r"\d+ things to complete before finalizing", "Finalize"),
    ],
)
def test_a_blank_invoice_does_not_shout(
    site: PartnerSite, page: Page, locale: str, todo: str, finalize: str
) -> None:
    page.set_viewport_size(DESKTOP)
    frame = open_editor(page, site, site.editor_url(locale=locale))
    findings = frame.locator("[data-fragment=findings]")
    expect(findings.locator(".bl-counts")).to_have_text(re.compile(todo))
    official = frame.locator("[data-fragment=official]")
    expect(official.locator(".bl-technical")).to_have_count(1, timeout=30_000)
    expect(frame.locator("[aria-invalid=true]")).to_have_count(0)
    expect(frame.locator(".bl-msg:not(:empty)")).to_have_count(0)
    shown = official.inner_text()
    assert "urn:un:unece" not in shown and "shall" not in shown and "BT-" not in shown, shown
    shot(page, f"findings-blank-{locale}")
    frame.locator(".bl-checks").screenshot(path=str(SCREENSHOTS / f"findings-panel-{locale}.png"))

    # Leaving the customer's name empty marks that field only.
    buyer_name = frame.locator('[data-path="buyer.name"]')
    buyer_name.focus()
    page.keyboard.press("Tab")
    expect(buyer_name).to_have_attribute("aria-invalid", "true")
    expect(frame.locator("[aria-invalid=true]")).to_have_count(1)
    expect(frame.locator("#f-buyer-name-msg")).to_be_visible()
    expect(findings.locator(".bl-finding.bl-due")).to_have_count(1)

    # A finalize attempt: every error shown, said as an error, focus on the first.
    frame.get_by_role("button", name=finalize, exact=True).click()
    expect(frame.locator("#bl-confirm")).to_be_hidden()
    notice = frame.locator("#bl-notice")
    expect(notice).to_have_class(re.compile("bl-notice-error"))
    expect(notice).to_have_attribute("role", "alert")
    assert frame.locator("[aria-invalid=true]").count() > 2
    expect(frame.locator('[data-path="buyer.name"]')).to_be_focused()
    expect(notice).to_have_text(re.compile(todo))
    shot(page, f"findings-attempted-{locale}")
