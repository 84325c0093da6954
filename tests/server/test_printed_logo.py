"""The seller's logo on its documents' PDFs: a draft prints the company's logo of the
moment (a new logo is a new PDF: the draft cache knows the logo), an issued document
the logo of its issue, whatever the company's logo became. Read from the PDFs with
pdfimages (the images drawn and their sizes)."""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image
from sqlalchemy import event

from tests.poppler import PdfImage, pdf_images
from tests.server.helpers import Partner

LOGO_TABLES = re.compile(r"\b(company_logos|logo_images|issued_document_logos)\b")


def png(size: tuple[int, int], colour: tuple[int, int, int] = (20, 90, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _put_logo(partner: Partner, company_id: int, body: bytes) -> None:
    partner.ok(
        partner.put(
            f"/companies/{company_id}/logo", content=body, headers={"Content-Type": "image/png"}
        )
    )


def _images(partner: Partner, document_id: int) -> list[tuple[int, int]]:
    response = partner.get(f"/documents/{document_id}/pdf")
    assert response.status_code == 200, response.text
    drawn: list[PdfImage] = pdf_images(response.content)
    return [(image.width, image.height) for image in drawn if image.kind == "image"]


def test_a_draft_prints_the_logo_of_the_moment(partner_a: Partner) -> None:
    company = partner_a.company()
    draft = partner_a.draft(company["id"])
    assert _images(partner_a, draft["id"]) == []  # no logo yet
    _put_logo(partner_a, company["id"], png((240, 80)))
    assert _images(partner_a, draft["id"]) == [(240, 80)]
    _put_logo(partner_a, company["id"], png((90, 90), (200, 30, 30)))
    assert _images(partner_a, draft["id"]) == [(90, 90)]  # not the cached PDF of before
    partner_a.ok(partner_a.delete(f"/companies/{company['id']}/logo"))
    assert _images(partner_a, draft["id"]) == []


def test_an_issued_document_keeps_the_logo_of_its_issue(partner_a: Partner) -> None:
    company = partner_a.company()
    before_any_logo = partner_a.finalized(company["id"])
    _put_logo(partner_a, company["id"], png((240, 80)))
    issued = partner_a.finalized(company["id"])
    quote = partner_a.finalized(company["id"], "quote")
    _put_logo(partner_a, company["id"], png((90, 90), (200, 30, 30)))  # after their issue
    # Never rendered until now: rendered with the logo they were issued with.
    assert _images(partner_a, issued["id"]) == [(240, 80)]
    assert _images(partner_a, quote["id"]) == [(240, 80)]
    assert _images(partner_a, before_any_logo["id"]) == []
    second = partner_a.finalized(company["id"])
    partner_a.ok(partner_a.delete(f"/companies/{company['id']}/logo"))
    assert _images(partner_a, second["id"]) == [(90, 90)]
    assert _images(partner_a, issued["id"]) == [(240, 80)]


def test_a_stored_pdf_is_served_without_reading_the_logo(partner_a: Partner, app: Any) -> None:
    company = partner_a.company()
    _put_logo(partner_a, company["id"], png((240, 80)))
    issued = partner_a.finalized(company["id"])
    engine = app.state.services.engine.sync_engine
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        first = partner_a.get(f"/documents/{issued['id']}/pdf")
        read_then = [s for s in statements if LOGO_TABLES.search(s)]
        statements.clear()
        again = partner_a.get(f"/documents/{issued['id']}/pdf")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content  # the stored original
    assert read_then  # the first download rendered it: the logo of its issue was read
    assert statements and not [s for s in statements if LOGO_TABLES.search(s)]


LOGO_IMAGE = re.compile(r"\b(company_logos|logo_images)\.content\b")


def test_a_cached_draft_pdf_is_served_without_reading_the_logo_image(
    partner_a: Partner, app: Any
) -> None:
    company = partner_a.company()
    _put_logo(partner_a, company["id"], png((240, 80)))
    draft = partner_a.draft(company["id"])
    engine = app.state.services.engine.sync_engine
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        first = partner_a.get(f"/documents/{draft['id']}/pdf")
        read_then = [s for s in statements if LOGO_IMAGE.search(s)]
        statements.clear()
        again = partner_a.get(f"/documents/{draft['id']}/pdf")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content  # the cached render
    assert read_then  # the first download rendered it: the image was read then
    assert statements and not [s for s in statements if LOGO_IMAGE.search(s)]
    # The cache key still knows the logo: a new one is a new PDF, read to render it.
    _put_logo(partner_a, company["id"], png((90, 90), (200, 30, 30)))
    assert _images(partner_a, draft["id"]) == [(90, 90)]
