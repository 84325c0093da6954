"""The seller's logo in the editor, on the example partner page (Debian Chromium):
the preview and the PDF are the same document (their words and their images, read
from the preview's frame and, in the PDF, with pdftotext and pdfimages); the user
sets the logo from the editor, is told in French or English when a file is too big
or not an image, and removes it; a partner may not allow it."""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.e2e.partner_site import SCREENSHOTS, PartnerSite, open_editor, partner_site, shot
from tests.poppler import normalized_words, pdf_images, pdf_pages_png, pdf_text
from tests.server.helpers import document_body

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerSite]:
    with partner_site(Path(tmp_path_factory.mktemp("logo"))) as site:
        yield site


def png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _preview(frame: FrameLocator) -> FrameLocator:
    """The preview's frame, its images loaded (the logo comes by its own path)."""
    preview = frame.frame_locator("#bl-preview-frame")
    preview.locator("h1").wait_for()
    preview.locator("body").evaluate(
        "body => Promise.all(Array.from(body.ownerDocument.images, i => i.complete ||"
        " new Promise(done => { i.onload = i.onerror = done; })))"
    )
    return preview


def _natural_size(image: Locator) -> list[int]:
    """An image's size once loaded (a logo's path is fetched after its frame is shown)."""
    return image.evaluate(  # type: ignore[no-any-return]
        "i => (i.complete ? Promise.resolve()"
        " : new Promise(done => { i.onload = i.onerror = done; }))"
        ".then(() => [i.naturalWidth, i.naturalHeight])"
    )


def _preview_words_and_images(frame: FrameLocator) -> tuple[list[str], list[tuple[int, int]]]:
    body = _preview(frame).locator("body")
    text = body.evaluate("body => body.innerText")
    images = body.evaluate(
        "body => Array.from(body.ownerDocument.images).map(i => [i.naturalWidth, i.naturalHeight])"
    )
    return normalized_words(text), [tuple(size) for size in images]


def _pdf_words(pdf: bytes, repeated_header: list[str], footer: list[str]) -> list[str]:
    """The words of the PDF once, as the screen shows them: the running footer and
    the page numbers (in the page margins, once per page) once, the lines table's
    header (repeated atop each page the table goes on) once. Removed as words, not
    as a page's last ones: pdftotext may read the totals beside the footer after it."""
    pages = pdf_text(pdf).split("\f")
    pages = [page for page in pages if page.strip()]
    words = [normalized_words(page) for page in pages]
    total = len(words)
    for index, page in enumerate(words, start=1):
        counter = f"{index}/{total}"  # "1 / 2", its spaces thin ones
        assert counter in page, page[-5:]
        page.remove(counter)
    for page in words[1:]:  # pdftotext reads the header's cells among the first rows'
        if not Counter(repeated_header) - Counter(page):
            for word in repeated_header:
                page.remove(word)
    for page in words[:-1]:
        assert not Counter(footer) - Counter(page), "the running footer on every page"
        for word in footer:
            page.remove(word)
    return [word for page in words for word in page]


@pytest.mark.parametrize("lines", [3, 40])  # one page; pages with a running footer
def test_preview_and_pdf_are_the_same_document(site: PartnerSite, page: Page, lines: int) -> None:
    partner = site.partner
    logo = png((240, 80), (20, 90, 200))
    partner.ok(
        partner.put(
            f"/companies/{site.company_id}/logo",
            content=logo,
            headers={"Content-Type": "image/png"},
        )
    )
    body = document_body(lines=lines)
    draft = partner.ok(partner.post(f"/companies/{site.company_id}/documents", body), 201)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    preview = _preview(frame)
    expect(preview.locator("img.logo")).to_be_visible()
    preview_words, preview_images = _preview_words_and_images(frame)

    pdf = partner.get(f"/documents/{draft['id']}/pdf").content
    header = preview.locator("table.lines thead").evaluate("head => head.innerText")
    footer = preview.locator("footer.page-footer").evaluate("footer => footer.innerText")
    pdf_words = _pdf_words(pdf, normalized_words(header), normalized_words(footer))
    drawn = [(image.width, image.height) for image in pdf_images(pdf) if image.kind == "image"]
    pages = pdf_pages_png(pdf, SCREENSHOTS, prefix=f"logo-pdf-{lines}")  # to be looked at
    frame.locator("#bl-preview-h").scroll_into_view_if_needed()
    shot(page, f"logo-preview-{lines}-fr")

    assert preview_images == drawn == [(240, 80)]
    # The same words, whatever the order in which each reads a page of two columns.
    assert Counter(preview_words) == Counter(pdf_words), (
        Counter(preview_words) - Counter(pdf_words),
        Counter(pdf_words) - Counter(preview_words),
    )
    assert len(pages) == (1 if lines == 3 else len(pages)) and (lines == 3 or len(pages) > 1)


def test_the_user_sets_and_removes_the_logo(site: PartnerSite, page: Page, tmp_path: Path) -> None:
    partner = site.partner
    partner.delete(f"/companies/{site.company_id}/logo")
    draft = partner.draft(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    panel = frame.locator("#bl-seller-logo")
    expect(panel.get_by_role("heading", name="Votre logo")).to_be_visible()
    remove = panel.get_by_role("button", name="Retirer le logo")
    expect(remove).to_be_hidden()
    message = panel.locator("#bl-logo-msg")
    chooser = panel.locator("#bl-logo-file")

    too_big = tmp_path / "huge.png"
    too_big.write_bytes(b"\x89PNG" + os.urandom(1024 * 1024 + 100))
    chooser.set_input_files(str(too_big))
    expect(message).to_have_text(
        "Cette image pèse plus de 1 Mo : choisissez un fichier plus léger."
    )
    expect(chooser).to_have_attribute("aria-invalid", "true")

    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("pas une image")
    chooser.set_input_files(str(not_an_image))
    expect(message).to_have_text("Ce fichier n'est pas une image PNG, JPEG, WebP ou SVG lisible.")

    liar = tmp_path / "liar.png"  # says PNG, is not: the server refuses it
    liar.write_bytes(b"\x89PNG\r\n\x1a\n" + b"broken" * 20)
    chooser.set_input_files(str(liar))
    expect(message).to_have_text("Ce fichier n'est pas une image PNG, JPEG, WebP ou SVG lisible.")
    assert partner.get(f"/companies/{site.company_id}/logo").status_code == 404

    good = tmp_path / "logo.png"
    good.write_bytes(png((300, 100), (200, 40, 40)))
    chooser.set_input_files(str(good))
    expect(message).to_have_text("Logo enregistré : il figure sur l'aperçu et le PDF.")
    expect(chooser).not_to_have_attribute("aria-invalid", "true")
    expect(remove).to_be_visible()
    thumb = panel.get_by_role("img", name="Votre logo actuel")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [300, 100]
    logo = _preview(frame).locator("img.logo")
    expect(logo).to_be_visible()
    assert _natural_size(logo) == [300, 100]
    stored = partner.get(f"/companies/{site.company_id}/logo")
    assert stored.status_code == 200 and stored.headers["content-type"] == "image/png"
    panel.scroll_into_view_if_needed()
    shot(page, "logo-set-fr")

    remove.click()
    expect(message).to_have_text("Logo retiré.")
    expect(_preview(frame).locator("img.logo")).to_have_count(0)
    expect(remove).to_be_hidden()
    expect(thumb).to_be_hidden()
    expect(chooser).to_be_focused()  # the button that had the focus is gone
    assert partner.get(f"/companies/{site.company_id}/logo").status_code == 404


def test_english_words_and_a_partner_that_does_not_allow_it(
    site: PartnerSite, page: Page, tmp_path: Path
) -> None:
    draft = site.partner.draft(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, locale="en"))
    panel = frame.locator("#bl-seller-logo")
    expect(panel.get_by_role("heading", name="Your logo")).to_be_visible()
    gif = tmp_path / "logo.gif"
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    panel.locator("#bl-logo-file").set_input_files(str(gif))
    expect(panel.locator("#bl-logo-msg")).to_have_text(
        "This file is not a readable PNG, JPEG, WebP or SVG image."
    )

    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}, logo_upload=False))
    expect(frame.locator("#bl-fields")).to_be_visible()
    expect(frame.locator("#bl-seller-logo")).to_have_count(0)


def _pixels_near(png_path: Path, colour: tuple[int, int, int], tolerance: int = 3) -> int:
    with Image.open(png_path) as image:
        counted = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    near = 0
    for count, pixel in counted:
        assert isinstance(pixel, tuple)
        if all(abs(int(a) - b) <= tolerance for a, b in zip(pixel, colour, strict=True)):
            near += count
    return near


def test_preview_and_pdf_wear_the_partner_theme(site: PartnerSite, page: Page) -> None:
    partner = site.partner
    green = (11, 110, 79)  # the theme's primary: the document's headings and bands
    theme = {
        "primary": "#0b6e4f",
        "secondary": "#37474f",
        "accent": "#c2185b",
        "module_name": "EDT Compta",
        "font": "humanist",
    }
    partner.ok(partner.put("/partners/me/theme", theme))
    draft = partner.draft(site.company_id)
    frame = open_editor(page, site, site.editor_url({"id": draft["id"]}))
    title = _preview(frame).locator("h1")
    expect(title).to_have_css("color", "rgb(11, 110, 79)")
    pdf = partner.get(f"/documents/{draft['id']}/pdf").content
    first_page = pdf_pages_png(pdf, SCREENSHOTS, dpi=50, prefix="logo-theme-pdf")[0]
    assert _pixels_near(first_page, green) > 500  # the amount-due band, the masthead rule


def test_an_issued_document_shows_the_logo_of_its_issue(site: PartnerSite, page: Page) -> None:
    partner = site.partner
    path = f"/companies/{site.company_id}/logo"
    partner.ok(partner.put(path, content=png((120, 60), (90, 20, 120))))
    issued = partner.finalized(site.company_id)
    partner.ok(partner.put(path, content=png((60, 60), (20, 120, 20))))  # after its issue
    frame = open_editor(page, site, site.editor_url({"id": issued["id"]}))
    logo = _preview(frame).locator("img.logo")
    expect(logo).to_be_visible()
    assert _natural_size(logo) == [120, 60]
    expect(frame.locator("#bl-seller-logo")).to_have_count(0)  # an issued document's is kept
    pdf = partner.get(f"/documents/{issued['id']}/pdf").content
    assert [(i.width, i.height) for i in pdf_images(pdf) if i.kind == "image"] == [(120, 60)]
