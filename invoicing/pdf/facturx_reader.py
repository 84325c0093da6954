"""Factur-X PDF -> the CII XML it carries -> `ReadResult`."""

from __future__ import annotations

from facturx import get_xml_from_pdf

from invoicing.cii.parsing import CiiReadError
from invoicing.cii.reader import ReadResult, read_cii

# Factur-X 1.0, ZUGFeRD 2.x and XRechnung names first, then any XML attachment.
_ATTACHMENT_NAMES = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "*.xml"]


def xml_from_pdf(pdf: bytes) -> bytes:
    """The CII XML embedded in a Factur-X PDF; CiiReadError when there is none."""
    if not pdf[:1024].lstrip().startswith(b"%PDF-"):
        raise CiiReadError("not a PDF file (no %PDF- header)")
    try:
        # check_xsd=False: read whatever is embedded; the official check judges it.
        _, xml = get_xml_from_pdf(pdf, check_xsd=False, filenames=_ATTACHMENT_NAMES)
    except Exception as error:  # pypdf raises many types on a damaged file
        raise CiiReadError(f"cannot read the PDF: {error}") from None
    if not xml:
        raise CiiReadError("the PDF has no embedded Factur-X / ZUGFeRD XML invoice")
    return bytes(xml)


def read_facturx_pdf(pdf: bytes) -> ReadResult:
    """The document, profile and stated totals of a Factur-X PDF."""
    return read_cii(xml_from_pdf(pdf))
