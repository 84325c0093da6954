"""Factur-X PDFs: their CII XML read."""

from __future__ import annotations

import io

import facturx
import pikepdf
import pytest

from invoicing.cii.parsing import CiiReadError
from invoicing.cii.writer import to_xml_bytes
from invoicing.pdf.facturx_reader import read_facturx_pdf, xml_from_pdf
from invoicing.profiles import Profile
from tests.invoicing.cii.round_trips import (
    as_written,
    kitchen_sink,
)


def blank_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    return buffer.getvalue()


def test_a_facturx_pdf_is_read() -> None:
    document = kitchen_sink()
    xml = to_xml_bytes(document)
    pdf = facturx.generate_from_binary(blank_pdf(), xml, check_xsd=False)
    assert xml_from_pdf(pdf) == xml
    result = read_facturx_pdf(pdf)
    assert result.profile is Profile.EN16931
    assert result.document == as_written(document)


def test_a_pdf_without_xml_is_an_error() -> None:
    with pytest.raises(CiiReadError, match="no embedded"):
        read_facturx_pdf(blank_pdf())


@pytest.mark.parametrize("data", [b"", b"<xml/>", b"%PDF-1.7 truncated"])
def test_what_is_not_a_pdf_is_an_error(data: bytes) -> None:
    with pytest.raises(CiiReadError):
        read_facturx_pdf(data)
