"""Dates in the editor read and are typed day first, dd/mm/yyyy, whatever the browser's
own language (a browser date input would show mm/dd/yyyy in an English Chromium): in
French and in English, shown, typed, saved, refused at the field when not a date. An
invoice's due date is set in one place, its payment term (a fixed date here), and shown
beside it read-only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.partner_site import DESKTOP, PHONE, PartnerSite, open_editor, partner_site, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("dates"))) as site:
        yield site


@pytest.mark.parametrize(
    ("locale", "size", "issue", "due", "hint", "refusal"),
    [
        (
            "fr",
            DESKTOP,
            "Date d'émission",
            "Date de paiement (date fixe)",
            "Format : jj/mm/aaaa.",
            "(jj/mm/aaaa)",
        ),
        (
            "en",
            PHONE,
            "Issue date",
            "Payment date (fixed date)",
            "Format: dd/mm/yyyy.",
            "(dd/mm/yyyy)",
        ),
    ],
)
def test_dates_are_day_first_in_both_languages(
    site: PartnerSite,
    page: Page,
    locale: str,
    size: dict[str, int],
    issue: str,
    due: str,
    hint: str,
    refusal: str,
) -> None:
    draft = site.partner.draft(site.company_id)
    stored = site.partner.ok(site.partner.get(f"/documents/{draft['id']}"))
    delivered = dt.date.fromisoformat(stored["document"]["delivery"]["date"])
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, locale=locale))
    delivery = frame.locator("[data-path='delivery.date']")
    expect(delivery).to_have_value(delivered.strftime("%d/%m/%Y"))  # shown day first
    expect(delivery).to_have_attribute("type", "text")
    field = frame.get_by_label(issue, exact=True)
    expect(field).to_have_attribute("placeholder", "jj/mm/aaaa" if locale == "fr" else "dd/mm/yyyy")
    expect(frame.locator("#" + str(field.get_attribute("aria-describedby")))).to_contain_text(hint)

    field.fill("3/12/2026")
    term = frame.locator("[data-path='payment_term.kind']")
    term.select_option("fixed_date")
    due_field = frame.get_by_label(due, exact=True)
    due_field.fill("31/02/2027")
    field.focus()  # the due date was left: its finding may show
    message = frame.locator("#" + str(due_field.get_attribute("id")) + "-msg")
    expect(message).to_contain_text(refusal)
    expect(due_field).to_have_attribute("aria-invalid", "true")
    shot(page, f"dates-{'desktop' if size == DESKTOP else 'phone'}-{locale}")
    due_field.fill("02/01/2027")
    field.focus()
    expect(due_field).not_to_have_attribute("aria-invalid", "true")
    computed = frame.locator(".bl-computed [data-path='due_date']")
    expect(computed).to_have_value("2 janvier 2027" if locale == "fr" else "January 2, 2027")
    expect(computed).to_have_attribute("readonly", "")
    frame.get_by_role(
        "button", name="Enregistrer" if locale == "fr" else "Save", exact=True
    ).click()
    expect(frame.locator("#bl-connection")).to_have_text(
        "Enregistré" if locale == "fr" else "Saved", timeout=30_000
    )  # saving runs the official check: the first one starts the checker
    saved = site.partner.ok(site.partner.get(f"/documents/{draft['id']}"))["document"]
    assert saved["issue_date"] == "2026-12-03"
    saved_term = saved["payment_term"]
    assert (saved_term["kind"], saved_term["date"]) == ("fixed_date", "2027-01-02")
