"""Factur-X profile constraints (FX-*): what the Factur-X stylesheets add to
EN 16931 for CII (cardinalities, required attributes, elements "not used in
the given context"), for the fields of our model that can break them."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from invoicing.rules import codes
from invoicing.rules.codes import is_listed
from invoicing.rules.engine import Context, Hit, rule

_BUYER = "ApplicableHeaderTradeAgreement/BuyerTradeParty"
_ATTACHMENT = 'AdditionalReferencedDocument[TypeCode="916"]/AttachmentBinaryObject'
_OTHER_REFERENCE = (
    "ApplicableHeaderTradeAgreement/AdditionalReferencedDocument"
    '[ not(TypeCode="916") and not(TypeCode="50") and not(TypeCode="130")]'
)
_BUYER_TAX_SCHEME = "cl:BuyerTradeParty/SpecifiedTaxRegistration/ID|@schemeID"


@rule(
    "FX-BUYER-ID",
    refs=(f"fx:{_BUYER}|count(ram:ID)<=1", f"fx:{_BUYER}|count(ram:GlobalID)<=1"),
    reads=("buyer.identifiers", "buyer.siret"),
    fr="Le client ne peut avoir qu'un identifiant de chaque sorte (un seul SIRET ou "
    "identifiant global, un seul identifiant interne).",
    en="The customer can have only one identifier of each kind (a single SIRET or global "
    "identifier, a single internal identifier).",
)
def buyer_one_id(ctx: Context) -> Iterator[Hit]:
    buyer = ctx.doc.buyer
    local = sum(1 for i in buyer.identifiers if not i.scheme)
    global_ = sum(1 for i in buyer.identifiers if i.scheme) + (1 if buyer.siret else 0)
    refs = []
    if local > 1:
        refs.append(f"fx:{_BUYER}|count(ram:ID)<=1")
    if global_ > 1:
        refs.append(f"fx:{_BUYER}|count(ram:GlobalID)<=1")
    if refs:
        yield Hit(("buyer.identifiers", "buyer.siret"), tuple(refs))


@rule(
    "FX-BUYER-TAX-REGISTRATION",
    refs=(_BUYER_TAX_SCHEME, f"fx:{_BUYER}|count(ram:SpecifiedTaxRegistration)<=1"),
    reads=("buyer.tax_registration", "buyer.vat_id"),
    fr="Factur-X ne transmet pas l'identifiant fiscal local du client : retirez-le "
    "(gardez son numéro de TVA).",
    en="Factur-X does not carry the customer's local tax registration: remove it "
    "(keep the VAT number).",
)
def buyer_tax_registration(ctx: Context) -> Iterator[Hit]:
    buyer = ctx.doc.buyer
    if not buyer.tax_registration:
        return
    refs = [] if is_listed("FC", _BUYER_TAX_SCHEME, ctx.profile) else [_BUYER_TAX_SCHEME]
    if buyer.vat_id:
        refs.append(f"fx:{_BUYER}|count(ram:SpecifiedTaxRegistration)<=1")
    if refs:
        yield Hit(("buyer.tax_registration",), tuple(refs))


@rule(
    "FX-BUYER-LEGAL-INFO",
    refs=(f"nu:{_BUYER}/Description",),
    reads=("buyer.legal_info",),
    fr="Factur-X ne transmet pas de mentions légales pour le client : retirez-les.",
    en="Factur-X does not carry legal information about the customer: remove it.",
    why="The official assert has no id (it reports an empty id).",
)
def buyer_legal_info(ctx: Context) -> Iterator[Hit]:
    if ctx.doc.buyer.legal_info:
        yield Hit(("buyer.legal_info",))


@rule(
    "FX-ATTACHMENT",
    refs=(f"fx:{_ATTACHMENT}|@mimeCode", f"fx:{_ATTACHMENT}|@filename", "XSD"),
    reads=("supporting_documents",),
    fr="Pièce jointe {number} : indiquez le nom du fichier et son type.",
    en="Attachment {number}: give the file name and type.",
)
def attachment_file(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.supporting_documents):
        if not item.content_base64:
            continue
        refs = []
        fields = []
        if not item.mime_code:
            refs.append(f"fx:{_ATTACHMENT}|@mimeCode")
            fields.append(f"supporting_documents[{index}].mime_code")
        if not item.filename:
            refs.append(f"fx:{_ATTACHMENT}|@filename")
            fields.append(f"supporting_documents[{index}].filename")
        if refs:  # the schema requires both attributes too
            yield Hit(tuple(fields), (*refs, "XSD"), {"number": index + 1})


@rule(
    "FX-OTHER-REFERENCE",
    refs=(f"nu:{_OTHER_REFERENCE}", codes.OBJECT_SCHEME),
    reads=("other_references",),
    fr="Référence {number} : ce type de document référencé n'est pas transmis en Factur-X.",
    en="Reference {number}: this kind of referenced document is not carried by Factur-X.",
    why="Only documents read from CII carry such references; the official assert has no id.",
)
def other_reference(ctx: Context) -> Iterator[Hit]:
    for index, other in enumerate(ctx.doc.other_references):
        if other.type_code not in ("916", "50", "130"):
            yield Hit(
                (f"other_references[{index}].type_code",),
                (f"nu:{_OTHER_REFERENCE}",),
                {"number": index + 1},
            )
        elif other.type_code == "130" and not is_listed(
            other.reference_type_code, codes.OBJECT_SCHEME, ctx.profile
        ):
            yield Hit(
                (f"other_references[{index}].reference_type_code",),
                (codes.OBJECT_SCHEME,),
                {"number": index + 1},
            )


_BASE64_SCHEMA = etree.XMLSchema(
    etree.XML(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="b" type="xs:base64Binary"/></xs:schema>'
    )
)


def base64_ok(content: str) -> bool:
    """As the CII schema (xs:base64Binary) reads it."""
    holder = etree.Element("b")
    try:
        holder.text = content
    except ValueError:  # a character XML cannot hold
        return False
    return _BASE64_SCHEMA.validate(holder)


@rule(
    "XSD-BASE64",
    refs=("XSD",),
    reads=("supporting_documents",),
    needs=(codes.MIME_CODE,),
    fr="Pièce jointe {number} : le contenu n'est pas un fichier encodé en base64 valide.",
    en="Attachment {number}: the content is not valid base64.",
    why="The schema (not a schematron) rejects it; invoicing.official reports XSD errors "
    "with the id 'XSD'.",
)
def attachment_base64(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.supporting_documents):
        if item.content_base64 and not base64_ok(item.content_base64):
            yield Hit(
                (f"supporting_documents[{index}].content_base64",), params={"number": index + 1}
            )
