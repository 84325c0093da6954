"""The Factur-X attachment written by invoicing.pdf_finishing: what factur-x wrote before."""

from __future__ import annotations

import hashlib
import io
import re

import pikepdf

from invoicing.cii.writer import to_xml_bytes
from invoicing.pdf import render_pdf
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
