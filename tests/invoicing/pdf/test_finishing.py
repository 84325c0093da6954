"""The Factur-X attachment written by invoicing.pdf.finishing: what factur-x wrote before,
appended to the rendered pages as an incremental update."""

from __future__ import annotations

import hashlib
import io
import re

import pikepdf

from invoicing.cii.writer import to_xml_bytes
from invoicing.document_view import DocumentView, document_view
from invoicing.pdf.finishing import FacturXAttachment, finish_pdf
from invoicing.pdf.pages import render_view_pdf
from invoicing.pdf.render import render_pdf
from invoicing.samples import demo_invoice


def test_the_attachment_carries_its_checksum_size_and_date() -> None:
    document = demo_invoice(3)
    xml = to_xml_bytes(document)
    with pikepdf.open(io.BytesIO(render_pdf(document, locale="en"))) as pdf:
        embedded = pdf.Root.AF[0].EF.F
        assert embedded.read_bytes() == xml
        assert bytes(embedded.Params.CheckSum) == hashlib.md5(xml).digest()
        assert int(embedded.Params.Size) == len(xml)
        assert re.fullmatch(r"D:\d{14}\+00'00'", str(embedded.Params.ModDate))
        assert str(pdf.Root.AF[0].Desc) == "Factur-X XML file"
        assert pdf.Root.PageMode == "/UseAttachments"
        assert str(pdf.Root.Lang) == "en"
        meta = pdf.open_metadata()
        namespace = "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}"
        assert meta[f"{namespace}DocumentType"] == "INVOICE"
        assert meta[f"{namespace}DocumentFileName"] == "factur-x.xml"
        assert meta[f"{namespace}Version"] == "1.0"
        # One XMP: the renderer's own metadata stream is replaced, not left beside it.
        streams = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)]
        assert sum(1 for obj in streams if obj.get("/Type") == "/Metadata") == 1


def _views_and_pages(lines: int) -> tuple[DocumentView, bytes]:
    view = document_view(demo_invoice(lines), inline_css=False)
    return view, render_view_pdf(view)


def test_finishing_appends_an_update_that_qpdf_finds_sound() -> None:
    view, pages = _views_and_pages(3)
    xml = to_xml_bytes(demo_invoice(3))
    finished = finish_pdf(pages, view, "P", attachment=FacturXAttachment(xml, "en16931"), lang="en")
    assert finished.startswith(pages)  # the pages as rendered, untouched
    assert finished.count(b"%%EOF") == pages.count(b"%%EOF") + 1
    with pikepdf.open(io.BytesIO(finished)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert pdf.Root.AF[0].EF.F.read_bytes() == xml
        assert str(pdf.docinfo["/Producer"]) == "P"
        assert len(pdf.pages) == 1
        first_id = bytes(pdf.trailer.ID[0])
    with pikepdf.open(io.BytesIO(pages)) as original:
        assert bytes(original.trailer.ID[0]) == first_id  # the file's permanent id


def test_a_pdf_without_a_cross_reference_table_is_written_anew() -> None:
    view, pages = _views_and_pages(3)
    with pikepdf.open(io.BytesIO(pages)) as pdf:  # cross-reference stream instead
        rewritten = io.BytesIO()
        pdf.save(rewritten, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    xml = to_xml_bytes(demo_invoice(3))
    finished = finish_pdf(
        rewritten.getvalue(), view, "P", attachment=FacturXAttachment(xml, "en16931")
    )
    assert finished.count(b"%%EOF") == 1
    with pikepdf.open(io.BytesIO(finished)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert pdf.Root.AF[0].EF.F.read_bytes() == xml
        assert str(pdf.docinfo["/Producer"]) == "P"
