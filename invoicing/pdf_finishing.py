"""A rendered PDF/A-3b finished in one pikepdf pass: the Factur-X XML attached (for
e-invoices) and the same metadata in the XMP and the Info dictionary.

factur-x's `generate_from_binary` did the attaching by reading and writing the whole
PDF again with pypdf (pure Python, ~9 ms for a two-page invoice) before pikepdf's
own pass; here pikepdf does both. The XMP is still factur-x's (`generate_xmp_bytes`:
PDF/A-3b identification, the Factur-X extension schema and its fx: properties).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import facturx
import pikepdf
from pikepdf import Array, Dictionary, Name

from invoicing.document_view import DocumentView

FACTURX_FILENAME = "factur-x.xml"
FACTURX_DESCRIPTION = "Factur-X XML file"


@dataclass(frozen=True, slots=True)
class FacturXAttachment:
    """The CII XML and its Factur-X level, as the factur-x package names levels."""

    xml: bytes
    level: str


def finish_pdf(
    pdf_bytes: bytes,
    view: DocumentView,
    producer: str,
    *,
    attachment: FacturXAttachment | None = None,
    lang: str | None = None,
) -> bytes:
    """`pdf_bytes` with `attachment` embedded (AFRelationship /Data) and the
    Title, Author, Subject, Keywords, Creator, Producer and dates written into the
    XMP and, through pikepdf's sync, the Info dictionary."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if attachment is not None:
            _attach(pdf, attachment, view, now)
        if lang:
            pdf.Root.Lang = pikepdf.String(lang)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
            # The renderer's history names it (a quote keeps the renderer's XMP).
            if "xmpMM:History" in meta:
                del meta["xmpMM:History"]
            meta["dc:title"] = view.meta_title
            meta["dc:creator"] = [view.meta_author] if view.meta_author else []
            meta["dc:description"] = view.meta_description
            meta["pdf:Keywords"] = view.meta_keywords
            meta["pdf:Producer"] = producer
            meta["xmp:CreatorTool"] = view.meta_author or producer
            meta["xmp:CreateDate"] = now.isoformat()
            meta["xmp:ModifyDate"] = now.isoformat()
            meta["xmp:MetadataDate"] = now.isoformat()
        output = io.BytesIO()
        pdf.save(output, fix_metadata_version=False, deterministic_id=False)
        return output.getvalue()


def _attach(
    pdf: pikepdf.Pdf, attachment: FacturXAttachment, view: DocumentView, now: dt.datetime
) -> None:
    embedded = pdf.make_stream(attachment.xml)
    embedded.Type = Name.EmbeddedFile
    embedded.Subtype = Name("/text/xml")
    embedded.Params = Dictionary(
        CheckSum=pikepdf.String(hashlib.md5(attachment.xml).digest()),
        ModDate=pikepdf.String(now.strftime("D:%Y%m%d%H%M%S+00'00'")),
        Size=len(attachment.xml),
    )
    name = pikepdf.String(FACTURX_FILENAME)
    filespec = pdf.make_indirect(
        Dictionary(
            Type=Name.Filespec,
            F=name,
            UF=name,
            Desc=pikepdf.String(FACTURX_DESCRIPTION),
            AFRelationship=Name.Data,
            EF=Dictionary(F=embedded, UF=embedded),
        )
    )
    pdf.Root.AF = pdf.make_indirect(Array([filespec]))
    names = pdf.Root.get(Name.Names)
    if names is None:
        names = pdf.Root.Names = Dictionary()
    names.EmbeddedFiles = Dictionary(Names=Array([name, filespec]))
    pdf.Root.PageMode = Name.UseAttachments
    xmp: bytes = facturx.generate_xmp_bytes(
        "factur-x",
        attachment.level,
        None,
        {"title": view.meta_title, "author": view.meta_author, "subject": view.meta_description},
    )
    metadata = pdf.make_stream(xmp)
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    pdf.Root.Metadata = metadata
