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
from invoicing.pdf.incremental_update import NotAppendable, PdfObject, append_update, stream_body

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
    XMP and, through pikepdf's sync, the Info dictionary. Appended as an incremental
    update (invoicing.pdf.incremental_update) when the file allows it, else written anew."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return _appended(pdf_bytes, view, producer, attachment, lang, now)
    except NotAppendable:
        return _rewritten(pdf_bytes, view, producer, attachment, lang, now)


def _edit_metadata(pdf: pikepdf.Pdf, view: DocumentView, producer: str, now: dt.datetime) -> None:
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


def _appended(
    pdf_bytes: bytes,
    view: DocumentView,
    producer: str,
    attachment: FacturXAttachment | None,
    lang: str | None,
    now: dt.datetime,
) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root, trailer = pdf.Root, pdf.trailer
        if "/AF" in root or "/Names" in root or "/Metadata" not in root:
            raise NotAppendable("the catalog already has attachments or no XMP")
        info = trailer.get("/Info")
        references = [root, root.Metadata] + ([info] if info is not None else [])
        if any(not item.is_indirect or item.objgen[1] != 0 for item in references):
            raise NotAppendable("objects of another generation")
        size = int(trailer.Size)
        first_id = bytes(trailer.ID[0]) if "/ID" in trailer else hashlib.md5(pdf_bytes).digest()
        if attachment is not None:
            source_xmp = _facturx_xmp(attachment, view)
        else:
            source_xmp = root.Metadata.read_bytes()
        # The XMP and the Info dictionary are edited in a document of their own: a
        # new object in this one would make pikepdf read every object first.
        scratch = pikepdf.new()
        scratch.Root.Metadata = scratch.make_stream(source_xmp)
        _edit_metadata(scratch, view, producer, now)
        info_number = info.objgen[0] if info is not None else size
        size += info is None
        objects = [
            PdfObject(
                root.Metadata.objgen[0],
                stream_body(
                    b"<< /Type /Metadata /Subtype /XML >>", scratch.Root.Metadata.read_bytes()
                ),
            ),
            PdfObject(info_number, _direct(scratch.docinfo).unparse()),
        ]
        if lang:
            root.Lang = pikepdf.String(lang)
        attached = b""
        if attachment is not None:
            file_number, spec_number = size, size + 1
            size += 2
            objects += _attachment_objects(attachment, now, file_number, spec_number)
            root.PageMode = Name.UseAttachments
            attached = b" /AF [%d 0 R] /Names << /EmbeddedFiles << /Names [%s %d 0 R] >> >>" % (
                spec_number,
                pikepdf.String(FACTURX_FILENAME).unparse(),
                spec_number,
            )
        catalog = _direct(root).unparse()
        objects.append(PdfObject(root.objgen[0], catalog[:-2] + attached + b" >>"))
        root_number = root.objgen[0]
    return append_update(
        pdf_bytes,
        objects,
        b"<< /Root %d 0 R /Info %d 0 R >>" % (root_number, info_number),
        size,
        first_id,
    )


def _direct(dictionary: pikepdf.Object) -> Dictionary:
    """An indirect dictionary's entries as a direct one (its unparse is its
    content, not its reference), the entries' own references kept."""
    return Dictionary(dict(dictionary.items()))


def _embedded_file(attachment: FacturXAttachment, now: dt.datetime) -> Dictionary:
    """The XML's embedded-file stream dictionary."""
    return Dictionary(
        Type=Name.EmbeddedFile,
        Subtype=Name("/text/xml"),
        Params=Dictionary(
            CheckSum=pikepdf.String(hashlib.md5(attachment.xml).digest()),
            ModDate=pikepdf.String(now.strftime("D:%Y%m%d%H%M%S+00'00'")),
            Size=len(attachment.xml),
        ),
    )


def _file_spec() -> Dictionary:
    """The XML's file specification, but its /EF (where each path puts the stream)."""
    name = pikepdf.String(FACTURX_FILENAME)
    return Dictionary(
        Type=Name.Filespec,
        F=name,
        UF=name,
        Desc=pikepdf.String(FACTURX_DESCRIPTION),
        AFRelationship=Name.Data,
    )


def _attachment_objects(
    attachment: FacturXAttachment, now: dt.datetime, file_number: int, spec_number: int
) -> list[PdfObject]:
    embedded = _embedded_file(attachment, now)
    spec = _file_spec().unparse()
    files = b" /EF << /F %d 0 R /UF %d 0 R >> >>" % (file_number, file_number)
    return [
        PdfObject(file_number, stream_body(embedded.unparse(), attachment.xml)),
        PdfObject(spec_number, spec[:-2] + files),
    ]


def _facturx_xmp(attachment: FacturXAttachment, view: DocumentView) -> bytes:
    xmp: bytes = facturx.generate_xmp_bytes(
        "factur-x",
        attachment.level,
        None,
        {"title": view.meta_title, "author": view.meta_author, "subject": view.meta_description},
    )
    return xmp


def _rewritten(
    pdf_bytes: bytes,
    view: DocumentView,
    producer: str,
    attachment: FacturXAttachment | None,
    lang: str | None,
    now: dt.datetime,
) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if attachment is not None:
            _attach(pdf, attachment, view, now)
        if lang:
            pdf.Root.Lang = pikepdf.String(lang)
        _edit_metadata(pdf, view, producer, now)
        output = io.BytesIO()
        pdf.save(output, fix_metadata_version=False, deterministic_id=False)
        return output.getvalue()


def _attach(
    pdf: pikepdf.Pdf, attachment: FacturXAttachment, view: DocumentView, now: dt.datetime
) -> None:
    embedded = pdf.make_stream(attachment.xml, _embedded_file(attachment, now))
    spec = _file_spec()
    spec.EF = Dictionary(F=embedded, UF=embedded)
    filespec = pdf.make_indirect(spec)
    pdf.Root.AF = pdf.make_indirect(Array([filespec]))
    names = pdf.Root.get(Name.Names)
    if names is None:
        names = pdf.Root.Names = Dictionary()
    names.EmbeddedFiles = Dictionary(Names=Array([pikepdf.String(FACTURX_FILENAME), filespec]))
    pdf.Root.PageMode = Name.UseAttachments
    xmp = _facturx_xmp(attachment, view)
    metadata = pdf.make_stream(xmp)
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    pdf.Root.Metadata = metadata
