"""The header trade agreement (parties, references, attachments, project) and
delivery of a CII invoice."""

from __future__ import annotations

from typing import Any

from lxml.etree import _Element

from invoicing.cii.read.parties import read_address, read_party
from invoicing.cii.read.values import ValueReader, build
from invoicing.model import (
    Address,
    Delivery,
    Identifier,
    OtherReference,
    SupportingDocument,
    TaxRepresentative,
)

# What the writer puts in BT-11's mandatory name when the document has none.
_PROJECT_NAME_PLACEHOLDER = "Project reference"


def read_agreement(reader: ValueReader, element: _Element | None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "buyer_reference": reader.text(element, "BuyerReference"),
        "seller": read_party(reader, reader.child(element, "SellerTradeParty")),
        "buyer": read_party(reader, reader.child(element, "BuyerTradeParty")),
        "sales_order_reference": reader.text(
            element, "SellerOrderReferencedDocument", "IssuerAssignedID"
        ),
        "order_reference": reader.text(element, "BuyerOrderReferencedDocument", "IssuerAssignedID"),
        "contract_reference": reader.text(
            element, "ContractReferencedDocument", "IssuerAssignedID"
        ),
    }
    representative = reader.child(element, "SellerTaxRepresentativeTradeParty")
    if representative is not None:
        fields["tax_representative"] = build(
            TaxRepresentative,
            representative,
            name=reader.raw(reader.child(representative, "Name")) or "",
            address=read_address(reader, representative) or Address(),
            vat_id=reader.text(representative, "SpecifiedTaxRegistration", "ID"),
        )
        reader.attribute(reader.at(representative, "SpecifiedTaxRegistration", "ID"), "schemeID")
    supporting: list[SupportingDocument] = []
    others: list[OtherReference] = []
    for reference in reader.children(element, "AdditionalReferencedDocument"):
        type_code = reader.code(reference, "TypeCode")
        issuer_id = reader.raw(reader.child(reference, "IssuerAssignedID")) or ""
        if type_code == "50" and "tender_reference" not in fields:
            fields["tender_reference"] = issuer_id or None
        elif type_code == "130" and "invoiced_object" not in fields:
            fields["invoiced_object"] = build(
                Identifier,
                reference,
                value=issuer_id,
                scheme=reader.code(reference, "ReferenceTypeCode"),
            )
        elif type_code == "916":
            attachment = reader.child(reference, "AttachmentBinaryObject")
            supporting.append(
                build(
                    SupportingDocument,
                    reference,
                    id=issuer_id,
                    uri=reader.text(reference, "URIID"),
                    description=reader.text(reference, "Name"),
                    content_base64=reader.raw(attachment) or None,
                    mime_code=reader.attribute(attachment, "mimeCode"),
                    filename=reader.attribute(attachment, "filename"),
                )
            )
        else:
            others.append(
                build(
                    OtherReference,
                    reference,
                    id=issuer_id,
                    type_code=type_code,
                    reference_type_code=reader.code(reference, "ReferenceTypeCode"),
                )
            )
    fields["supporting_documents"] = supporting
    fields["other_references"] = others
    project = reader.child(element, "SpecifiedProcuringProject")
    if project is not None:
        fields["project_reference"] = reader.text(project, "ID")
        name = reader.text(project, "Name")
        fields["project_name"] = None if name == _PROJECT_NAME_PLACEHOLDER else name
    return fields


def read_delivery(reader: ValueReader, element: _Element | None) -> dict[str, Any]:
    ship_to = reader.child(element, "ShipToTradeParty")
    location = reader.first_identifier(ship_to)
    delivery = Delivery(
        name=reader.text(ship_to, "Name"),
        location_id=location,
        address=read_address(reader, ship_to),
        date=reader.date(
            reader.child(element, "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime"
        ),
    )
    return {
        "delivery": None if delivery == Delivery() else delivery,
        "despatch_advice_reference": reader.text(
            element, "DespatchAdviceReferencedDocument", "IssuerAssignedID"
        ),
        "receiving_advice_reference": reader.text(
            element, "ReceivingAdviceReferencedDocument", "IssuerAssignedID"
        ),
    }
