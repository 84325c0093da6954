"""An invoice's due date has one place to be set: its payment term. The date it gives
shows beside it, read-only, follows the term as it is chosen, and is reached with the
keyboard; the details no longer offer a second due-date input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from invoicing.model import PaymentTerm
from invoicing.payment_terms import term_text
from tests.e2e.partner_site import (
    DESKTOP,
    PHONE,
    PartnerSite,
    open_editor,
    partner_site,
    shot,
    wait_in_view,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("due-date"))) as site:
        yield site


@pytest.mark.parametrize(
    ("locale", "size", "label", "typed_due", "end_of_month", "hint"),
    [
        ("fr", DESKTOP, "Date d'échéance", "24 décembre 2026", "31 décembre 2026", "Donnée par"),
        ("en", PHONE, "Due date", "December 24, 2026", "December 31, 2026", "Given by"),
        ("fr", PHONE, "Date d'échéance", "24 décembre 2026", "31 décembre 2026", "Donnée par"),
        ("en", DESKTOP, "Due date", "December 24, 2026", "December 31, 2026", "Given by"),
    ],
)
def test_the_term_sets_the_due_date_shown_beside_it(
    site: PartnerSite,
    page: Page,
    locale: str,
    size: dict[str, int],
    label: str,
    typed_due: str,
    end_of_month: str,
    hint: str,
) -> None:
    draft = site.partner.draft(site.company_id)  # a due date typed through the API
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, locale=locale))
    due = frame.get_by_label(label, exact=True)
    expect(due).to_have_count(1)  # one due date in the form
    expect(due).to_have_attribute("readonly", "")
    expect(due).to_have_value(typed_due)
    expect(frame.locator("#" + str(due.get_attribute("aria-describedby")))).to_contain_text(hint)

    frame.locator("[data-path='issue_date']").fill("01/12/2026")
    term = frame.locator("[data-path='payment_term.kind']")
    term.select_option("days_end_of_month")  # 30 days, end of month: the term now gives it
    expect(due).to_have_value(end_of_month)
    # Reached with the keyboard after the term's own fields, and not typed into.
    term.focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(due).to_be_focused()
    page.keyboard.type("01/01/2030")
    expect(due).to_have_value(end_of_month)
    due.scroll_into_view_if_needed()
    shot(page, f"due-date-{'desktop' if size == DESKTOP else 'phone'}-{locale}")

    frame.get_by_role(
        "button", name="Enregistrer" if locale == "fr" else "Save", exact=True
    ).click()
    expect(frame.locator("#bl-connection")).to_have_text(
        "Enregistré" if locale == "fr" else "Saved", timeout=30_000
    )
    saved = site.partner.ok(site.partner.get(f"/documents/{draft['id']}"))["document"]
    assert saved.get("due_date") is None  # the term gives it (at finalization)
    term_saved = saved["payment_term"]
    assert (term_saved["kind"], term_saved["days"]) == ("days_end_of_month", 30)


@pytest.mark.parametrize(
    ("locale", "size", "label"),
    [
        ("fr", DESKTOP, "Date d'échéance"),
        ("en", PHONE, "Due date"),
        ("fr", PHONE, "Date d'échéance"),
        ("en", DESKTOP, "Due date"),
    ],
)
def test_a_term_with_no_issue_date_yet_is_read_whole(
    site: PartnerSite, page: Page, locale: str, size: dict[str, int], label: str
) -> None:
    """With no issue date, the due date field says the term itself ("Paiement à 45
    jours fin de mois (à compter de l'émission)"): longer than the field, it wraps."""
    page.set_viewport_size(size)
    frame = open_editor(page, site, site.editor_url(locale=locale))
    expect(frame.locator("[data-path='issue_date']")).to_have_value("")
    frame.locator("[data-path='payment_term.kind']").select_option("days_end_of_month")
    frame.locator("[data-path='payment_term.days']").fill("45")
    due = frame.get_by_label(label, exact=True)
    words = term_text(PaymentTerm(kind="days_end_of_month", days=45), locale)
    expect(due).to_have_value(re.compile("^" + re.escape(words) + r" \(.+\)$"))
    due.evaluate("el => el.scrollIntoView({block: 'center'})")
    assert wait_in_view(page, due)  # the whole box in the window
    # Every word inside the field's box: nothing scrolled out of it, nothing cut.
    cut = due.evaluate(
        "el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1"
    )
    assert not cut
    shot(page, f"due-term-whole-{'desktop' if size == DESKTOP else 'phone'}-{locale}")


def test_the_term_is_read_whole_where_css_cannot_size_the_field(
    site: PartnerSite, page: Page
) -> None:
    """A browser without CSS `field-sizing` (Firefox, older Safari): the page fits the
    field's height to its text itself."""
    page.add_init_script(  # in every frame, before the editor's script asks
        "{ const supports = CSS.supports.bind(CSS);"
        " CSS.supports = (...a) => !String(a[0]).includes('field-sizing') && supports(...a); }"
    )
    page.set_viewport_size(DESKTOP)
    frame = open_editor(page, site, site.editor_url(locale="fr"))
    due = frame.get_by_label("Date d'échéance", exact=True)
    due.evaluate("el => { el.style.fieldSizing = 'fixed'; }")
    one_line = due.evaluate("el => el.clientHeight")
    frame.locator("[data-path='payment_term.kind']").select_option("days_end_of_month")
    frame.locator("[data-path='payment_term.days']").fill("45")
    expect(due).to_have_value(re.compile(r"^Paiement à 45 jours fin de mois \(.+\)$"))
    assert due.evaluate("el => getComputedStyle(el).fieldSizing") != "content"
    assert due.evaluate("el => el.clientHeight") > one_line  # wrapped, made taller
    cut = due.evaluate(
        "el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1"
    )
    assert not cut
    due.evaluate("el => el.scrollIntoView({block: 'center'})")
    shot(page, "due-term-whole-without-field-sizing-desktop-fr")
