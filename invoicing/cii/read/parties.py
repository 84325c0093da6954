"""The parties of a CII invoice: seller, buyer, payee, with their addresses."""

from __future__ import annotations

from lxml.etree import _Element

from invoicing.cii.read.values import ValueReader, build
from invoicing.model import Address, ContactPoint, ElectronicAddress, Identifier, Party, Payee

_SIRET_SCHEME = "0009"
_SIREN_SCHEME = "0002"


def read_address(reader: ValueReader, holder: _Element | None) -> Address | None:
    element = reader.child(holder, "PostalTradeAddress")
    if element is None:
        return None
    return build(
        Address,
        element,
        postcode=reader.text(element, "PostcodeCode"),
        line1=reader.text(element, "LineOne"),
        line2=reader.text(element, "LineTwo"),
        line3=reader.text(element, "LineThree"),
        city=reader.text(element, "CityName"),
        country=reader.code(element, "CountryID"),
        country_subdivision=reader.text(element, "CountrySubDivisionName"),
    )


def read_party(reader: ValueReader, element: _Element | None) -> Party:
    if element is None:
        return Party()
    identifiers: list[Identifier] = []
    siret: str | None = None
    for holder in reader.identifiers(element):
        identifier = reader.identifier(holder)
        if identifier is None:
            continue
        if identifier.scheme == _SIRET_SCHEME and siret is None:
            siret = identifier.value
        else:
            identifiers.append(identifier)
    organization = reader.child(element, "SpecifiedLegalOrganization")
    legal = reader.identifier(reader.child(organization, "ID"))
    siren = legal.value if legal and legal.scheme == _SIREN_SCHEME else None
    contact_el = reader.child(element, "DefinedTradeContact")
    contact = None
    if contact_el is not None:
        contact = build(
            ContactPoint,
            contact_el,
            name=reader.text(contact_el, "PersonName"),
            phone=reader.text(contact_el, "TelephoneUniversalCommunication", "CompleteNumber"),
            email=reader.text(contact_el, "EmailURIUniversalCommunication", "URIID"),
        )
        if contact == ContactPoint():
            contact = None
    uri = reader.at(element, "URIUniversalCommunication", "URIID")
    electronic = None
    scheme = reader.attribute(uri, "schemeID")
    if uri is not None and reader.raw(uri):
        values = {"value": uri.text or ""} | ({"scheme": scheme} if scheme else {})
        electronic = build(ElectronicAddress, uri, **values)
    vat_id = tax_registration = None
    for registration in reader.children(element, "SpecifiedTaxRegistration"):
        id_el = reader.child(registration, "ID")
        scheme = reader.attribute(id_el, "schemeID")
        if scheme == "FC":
            tax_registration = reader.text(registration, "ID")
        elif scheme == "VA" and vat_id is None:
            vat_id = reader.text(registration, "ID")
    return build(
        Party,
        element,
        name=reader.text(element, "Name"),
        trading_name=reader.text(organization, "TradingBusinessName"),
        identifiers=identifiers,
        siret=siret,
        siren=siren,
        legal_registration=None if siren else legal,
        vat_id=vat_id,
        tax_registration=tax_registration,
        legal_info=reader.text(element, "Description"),
        electronic_address=electronic,
        address=read_address(reader, element) or Address(),
        contact=contact,
    )


def read_payee(reader: ValueReader, element: _Element | None) -> Payee | None:
    if element is None:
        return None
    identifier = reader.first_identifier(element)
    return build(
        Payee,
        element,
        name=reader.raw(reader.child(element, "Name")) or "",
        identifier=identifier,
        legal_registration=reader.identifier(
            reader.at(element, "SpecifiedLegalOrganization", "ID")
        ),
    )
