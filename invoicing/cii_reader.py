"""Cross Industry Invoice XML (Factur-X / EN 16931) -> Document, with lxml.

The mirror of `invoicing.cii_writer`: every element the writer emits is read
back into the model field it came from, so that writing what was read gives
the same XML. Amounts the norm computes (line net amounts, totals, the VAT
breakdown) are not part of the model: they are returned as `StatedTotals`, as
the XML states them, so that a caller can compare them with
`compute_totals(document)`.

Anything the reader does not map is listed in `ReadResult.unread` (element
paths) and kept with its value in `Imported.leftovers`, never dropped silently
and never an error: the reader accepts what the official rules accept (BT-23
is free text, schemes and codes are whatever the official code lists allow).
Malformed input raises `CiiReadError`, which names the element and the problem.

`ReadResult.imported_document` is the document as an import keeps it: with the
amounts its file states (`Document.imported`), which every output repeats while
what the totals are computed from is unedited (see docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from lxml import etree
from lxml.etree import _Element
from pydantic import BaseModel, ValidationError

from invoicing.cii_names import QDT, RAM, RSM, UDT
from invoicing.model import (
    CREDIT_NOTE_TYPE_CODES,
    DEFAULT_TYPE_CODES,
    DEPOSIT_TYPE_CODES,
    Address,
    AllowanceCharge,
    Classification,
    ContactPoint,
    Delivery,
    Document,
    DocumentKind,
    ElectronicAddress,
    Identifier,
    Imported,
    ItemAttribute,
    Leftover,
    Line,
    Note,
    OtherReference,
    Party,
    Payee,
    PaymentMeans,
    Period,
    PrecedingInvoice,
    SupportingDocument,
    TaxRepresentative,
    VatCategory,
)
from invoicing.profiles import Profile
from invoicing.stated_totals import StatedTotals, StatedVat
from invoicing.totals import totals_basis

# What the writer puts in BT-11's mandatory name when the document has none.
_PROJECT_NAME_PLACEHOLDER = "Project reference"
_SIRET_SCHEME = "0009"
_SIREN_SCHEME = "0002"
_DIRECT_DEBIT_CODES = frozenset({"59", "49"})
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"

_M = TypeVar("_M", bound=BaseModel)


class CiiReadError(ValueError):
    """The input is not a CII invoice this reader can read; the message names
    the element (as a path below CrossIndustryInvoice) and the problem."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


@dataclass(frozen=True, slots=True)
class ReadResult:
    document: Document
    profile: Profile  # from BT-24
    guideline: str  # BT-24 as written
    stated_totals: StatedTotals
    leftovers: tuple[Leftover, ...]  # the values the model cannot hold, with their paths

    @property
    def unread(self) -> tuple[str, ...]:
        """Paths of the elements and attributes with a value the model cannot hold."""
        return tuple(leftover.path for leftover in self.leftovers)

    @property
    def imported_document(self) -> Document:
        """`document` as an import keeps it: with `imported` (the stated amounts,
        the leftovers), so that, unedited, it is written back as the file stated it."""
        imported = Imported(
            guideline=self.guideline,
            stated=self.stated_totals.as_model(),
            basis=totals_basis(self.document),
            leftovers=list(self.leftovers),
        )
        return self.document.model_copy(update={"imported": imported})


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _local(element: _Element) -> str:
    return etree.QName(element).localname


def element_path(element: _Element) -> str:
    """'SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem[2]/...'
    (local names below the root, with a position where a name repeats)."""
    parts: list[str] = []
    node: _Element | None = element
    while node is not None and node.getparent() is not None:
        parent = node.getparent()
        assert parent is not None
        name = _local(node)
        same = [child for child in parent if child.tag == node.tag]
        parts.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/".join(reversed(parts)) or "CrossIndustryInvoice"


class _Reader:
    """Reads values and remembers which elements and attributes it used."""

    def __init__(self) -> None:
        self.used: set[_Element] = set()
        self.used_attributes: set[tuple[_Element, str]] = set()

    # -- navigation --------------------------------------------------------
    @staticmethod
    def child(parent: _Element | None, name: str, ns: str = RAM) -> _Element | None:
        if parent is None:
            return None
        return parent.find(f"{{{ns}}}{name}")

    @staticmethod
    def children(parent: _Element | None, name: str, ns: str = RAM) -> list[_Element]:
        if parent is None:
            return []
        return parent.findall(f"{{{ns}}}{name}")

    @staticmethod
    def identifiers(parent: _Element | None) -> list[_Element]:
        """The ID and GlobalID children, in document order."""
        if parent is None:
            return []
        names = {f"{{{RAM}}}ID", f"{{{RAM}}}GlobalID"}
        return [child for child in parent if child.tag in names]

    def at(self, parent: _Element | None, *names: str) -> _Element | None:
        node = parent
        for name in names:
            node = self.child(node, name)
        return node

    # -- values ------------------------------------------------------------
    def raw(self, element: _Element | None) -> str | None:
        """The element's text as written (None when there is no element)."""
        if element is None:
            return None
        self.used.add(element)
        return element.text or ""

    def text(self, parent: _Element | None, *names: str) -> str | None:
        """Free text at `names`; an empty element reads as None."""
        return self.raw(self.at(parent, *names)) or None

    def code(self, parent: _Element | None, *names: str) -> str | None:
        value = self.raw(self.at(parent, *names))
        return (value.strip() or None) if value is not None else None

    def attribute(self, element: _Element | None, name: str) -> str | None:
        if element is None or element.get(name) is None:
            return None
        self.used_attributes.add((element, name))
        value = (element.get(name) or "").strip()
        return value or None

    def decimal(self, parent: _Element | None, *names: str) -> Decimal | None:
        element = self.at(parent, *names)
        value = self.raw(element)
        if value is None:
            return None
        assert element is not None
        return _parse_decimal(value, element)

    def indicator(self, parent: _Element) -> bool:
        holder = self.child(parent, "ChargeIndicator")
        value = self.raw(self.child(holder, "Indicator", UDT))
        value = value.strip() if value is not None else None
        if value is None:
            holder = holder if holder is not None else parent
            raise CiiReadError("missing charge indicator (true/false)", element_path(holder))
        if value not in {"true", "false", "1", "0"}:  # xs:boolean
            raise CiiReadError(f"{value!r} is not true or false", element_path(parent))
        return value in {"true", "1"}

    def date(self, parent: _Element | None, name: str) -> dt.date | None:
        """A date held as <name><udt:DateTimeString format="102"> (or
        udt:DateString, qdt:DateTimeString)."""
        holder = self.child(parent, name)
        if holder is None:
            return None
        stamp = next(
            (
                element
                for ns, local in (
                    (UDT, "DateTimeString"),
                    (UDT, "DateString"),
                    (QDT, "DateTimeString"),
                )
                if (element := self.child(holder, local, ns)) is not None
            ),
            None,
        )
        if stamp is None:
            raise CiiReadError("a date holder without a date string", element_path(holder))
        value = self.raw(stamp) or ""
        date_format = self.attribute(stamp, "format")
        return _parse_date(value, date_format, stamp)

    def identifier(self, element: _Element | None) -> Identifier | None:
        value = self.raw(element)
        if element is None or not value:
            return None
        return _build(Identifier, element, value=value, scheme=self.attribute(element, "schemeID"))

    def forget(self, element: _Element | None) -> None:
        """Count `element` and what it holds as unread after all."""
        if element is None:
            return
        for node in element.iter():
            self.used.discard(node)
            for name in node.attrib:
                self.used_attributes.discard((node, name))

    def first_identifier(self, parent: _Element | None) -> Identifier | None:
        """The first ID or GlobalID with a value (where the model holds one)."""
        for holder in self.identifiers(parent):
            if (holder.text or "").strip():
                return self.identifier(holder)
        return None

    def leftovers(self, root: _Element) -> tuple[Leftover, ...]:
        """Every value in the tree this reader did not use, with its path."""
        found: list[Leftover] = []
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                if (element, name) in self.used_attributes:
                    continue
                if element is root and name == _XSI_SCHEMA_LOCATION:
                    continue
                path = f"{element_path(element)}/@{etree.QName(name).localname}"
                found.append(_leftover(path, str(value)))
            has_children = any(isinstance(child.tag, str) for child in element)
            if not has_children and (element.text or "").strip() and element not in self.used:
                found.append(_leftover(element_path(element), element.text or ""))
        return tuple(found)


def _leftover(path: str, value: str) -> Leftover:
    # A value the model refuses (a control character lxml let through) is
    # listed with that character replaced, rather than failing the import.
    try:
        return Leftover(path=path, value=value)
    except ValidationError:
        return Leftover(path=path, value=_CONTROL.sub("\ufffd", value))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _parse_decimal(value: str, element: _Element) -> Decimal:
    text = value.strip()
    if not _DECIMAL.match(text):
        raise CiiReadError(f"{value!r} is not a number", element_path(element))
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern excludes it
        raise CiiReadError(f"{value!r} is not a number", element_path(element)) from error


def _parse_date(value: str, date_format: str | None, element: _Element) -> dt.date:
    text = value.strip()
    if date_format not in (None, "102"):
        raise CiiReadError(
            f"date format {date_format!r} is not supported (only 102, YYYYMMDD)",
            element_path(element),
        )
    if not re.fullmatch(r"\d{8}", text):
        raise CiiReadError(f"{value!r} is not a date (YYYYMMDD)", element_path(element))
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as error:
        raise CiiReadError(f"{value!r} is not a date: {error}", element_path(element)) from error


def _build(model: type[_M], element: _Element, **values: Any) -> _M:
    """`model(**values)`, a validation error named after `element`."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise CiiReadError(_problems(error), element_path(element)) from None


def _assign(model: BaseModel, element: _Element, **values: Any) -> None:
    """Set fields of a built model, a validation error named after `element`."""
    try:
        for name, value in values.items():
            setattr(model, name, value)
    except ValidationError as error:
        raise CiiReadError(_problems(error), element_path(element)) from None


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )


def _vat_category(value: str | None, element: _Element) -> VatCategory:
    try:
        return VatCategory(value or "")
    except ValueError:
        raise CiiReadError(
            f"{value!r} is not a VAT category code (S, Z, E, AE, K, G, O, L, M)",
            element_path(element),
        ) from None


def _lines_of(lines: list[Line], vat: StatedVat) -> list[Line]:
    """The lines a stated VAT breakdown covers: same category and rate, else
    (a breakdown stating rate 0 for lines that state none) same category."""
    same_category = [line for line in lines if line.vat_category is vat.category]
    exact = [
        line
        for line in same_category
        if (line.vat_rate is None and vat.rate is None)
        or (line.vat_rate is not None and vat.rate is not None and line.vat_rate == vat.rate)
    ]
    return exact or [line for line in same_category if line.vat_rate is None or vat.rate is None]


class _DocumentReader(_Reader):
    def address(self, holder: _Element | None) -> Address | None:
        element = self.child(holder, "PostalTradeAddress")
        if element is None:
            return None
        return _build(
            Address,
            element,
            postcode=self.text(element, "PostcodeCode"),
            line1=self.text(element, "LineOne"),
            line2=self.text(element, "LineTwo"),
            line3=self.text(element, "LineThree"),
            city=self.text(element, "CityName"),
            country=self.code(element, "CountryID"),
            country_subdivision=self.text(element, "CountrySubDivisionName"),
        )

    def party(self, element: _Element | None) -> Party:
        if element is None:
            return Party()
        identifiers: list[Identifier] = []
        siret: str | None = None
        for holder in self.identifiers(element):
            identifier = self.identifier(holder)
            if identifier is None:
                continue
            if identifier.scheme == _SIRET_SCHEME and siret is None:
                siret = identifier.value
            else:
                identifiers.append(identifier)
        organization = self.child(element, "SpecifiedLegalOrganization")
        legal = self.identifier(self.child(organization, "ID"))
        siren = legal.value if legal and legal.scheme == _SIREN_SCHEME else None
        contact_el = self.child(element, "DefinedTradeContact")
        contact = None
        if contact_el is not None:
            contact = _build(
                ContactPoint,
                contact_el,
                name=self.text(contact_el, "PersonName"),
                phone=self.text(contact_el, "TelephoneUniversalCommunication", "CompleteNumber"),
                email=self.text(contact_el, "EmailURIUniversalCommunication", "URIID"),
            )
            if contact == ContactPoint():
                contact = None
        uri = self.at(element, "URIUniversalCommunication", "URIID")
        electronic = None
        scheme = self.attribute(uri, "schemeID")
        if uri is not None and self.raw(uri):
            values = {"value": uri.text or ""} | ({"scheme": scheme} if scheme else {})
            electronic = _build(ElectronicAddress, uri, **values)
        vat_id = tax_registration = None
        for registration in self.children(element, "SpecifiedTaxRegistration"):
            id_el = self.child(registration, "ID")
            scheme = self.attribute(id_el, "schemeID")
            if scheme == "FC":
                tax_registration = self.text(registration, "ID")
            elif scheme == "VA" and vat_id is None:
                vat_id = self.text(registration, "ID")
        return _build(
            Party,
            element,
            name=self.text(element, "Name"),
            trading_name=self.text(organization, "TradingBusinessName"),
            identifiers=identifiers,
            siret=siret,
            siren=siren,
            legal_registration=None if siren else legal,
            vat_id=vat_id,
            tax_registration=tax_registration,
            legal_info=self.text(element, "Description"),
            electronic_address=electronic,
            address=self.address(element) or Address(),
            contact=contact,
        )

    def period(self, parent: _Element | None) -> Period | None:
        element = self.child(parent, "BillingSpecifiedPeriod")
        if element is None:
            return None
        period = Period(
            start=self.date(element, "StartDateTime"), end=self.date(element, "EndDateTime")
        )
        return None if period == Period() else period

    def allowance_charge(self, element: _Element, document_level: bool) -> AllowanceCharge:
        category = rate = None
        if document_level:
            tax = self.child(element, "CategoryTradeTax")
            if tax is not None:
                self.code(tax, "TypeCode")
                category = _vat_category(self.code(tax, "CategoryCode"), tax)
                rate = self.decimal(tax, "RateApplicablePercent")
        return _build(
            AllowanceCharge,
            element,
            is_charge=self.indicator(element),
            percent=self.decimal(element, "CalculationPercent"),
            base_amount=self.decimal(element, "BasisAmount"),
            amount=self.decimal(element, "ActualAmount"),
            reason_code=self.code(element, "ReasonCode"),
            reason=self.text(element, "Reason"),
            vat_category=category,
            vat_rate=rate,
        )

    def line(self, element: _Element, position: int) -> tuple[Line, Decimal | None]:
        associated = self.child(element, "AssociatedDocumentLineDocument")
        line_id = self.text(associated, "LineID")
        product = self.child(element, "SpecifiedTradeProduct")
        attributes = [
            _build(
                ItemAttribute,
                holder,
                name=self.raw(self.child(holder, "Description")) or "",
                value=self.raw(self.child(holder, "Value")) or "",
            )
            for holder in self.children(product, "ApplicableProductCharacteristic")
        ]
        classifications = []
        for holder in self.children(product, "DesignatedProductClassification"):
            code_el = self.child(holder, "ClassCode")
            classifications.append(
                _build(
                    Classification,
                    code_el if code_el is not None else holder,
                    code=self.raw(code_el) or "",
                    list_id=self.attribute(code_el, "listID"),
                    list_version=self.attribute(code_el, "listVersionID"),
                )
            )

        agreement = self.child(element, "SpecifiedLineTradeAgreement")
        gross = self.child(agreement, "GrossPriceProductTradePrice")
        net = self.child(agreement, "NetPriceProductTradePrice")
        base_quantity = self.decimal(net, "BasisQuantity")
        base_unit = self.attribute(self.child(net, "BasisQuantity"), "unitCode")
        gross_base = self.decimal(gross, "BasisQuantity")
        gross_unit = self.attribute(self.child(gross, "BasisQuantity"), "unitCode")
        # BT-147 is one discount; a second one, or a charge on the price
        # (EXTENDED), is left unread.
        price_discount = None
        for discount in self.children(gross, "AppliedTradeAllowanceCharge"):
            if price_discount is None and not self.indicator(discount):
                price_discount = self.decimal(discount, "ActualAmount")

        quantity_el = self.at(element, "SpecifiedLineTradeDelivery", "BilledQuantity")
        unit = self.attribute(quantity_el, "unitCode") or "C62"
        # The writer gives the gross price the net price's base quantity and
        # unit unless told otherwise (BT-149-1, BT-150-1).
        written_unit = base_unit or unit
        if gross_base is not None and base_quantity is not None and gross_base == base_quantity:
            gross_base = None
        if gross_unit == written_unit:
            gross_unit = None

        settlement = self.child(element, "SpecifiedLineTradeSettlement")
        tax = self.child(settlement, "ApplicableTradeTax")
        category = VatCategory.STANDARD
        rate = None
        if tax is not None:
            self.code(tax, "TypeCode")
            category = _vat_category(self.code(tax, "CategoryCode"), tax)
            rate = self.decimal(tax, "RateApplicablePercent")
        object_identifier = None
        for reference in self.children(settlement, "AdditionalReferencedDocument"):
            # BT-128; a missing type code is taken as its 130.
            type_element = self.child(reference, "TypeCode")
            type_code = (type_element.text or "").strip() if type_element is not None else None
            if object_identifier is None and type_code in ("130", None):
                self.raw(type_element)
                object_identifier = _build(
                    Identifier,
                    reference,
                    value=self.raw(self.child(reference, "IssuerAssignedID")) or "",
                    scheme=self.code(reference, "ReferenceTypeCode"),
                )
        line = _build(
            Line,
            element,
            id=None if line_id == str(position) else line_id,
            note=self.text(associated, "IncludedNote", "Content"),
            standard_item_id=self.identifier(self.child(product, "GlobalID")),
            seller_item_id=self.text(product, "SellerAssignedID"),
            buyer_item_id=self.text(product, "BuyerAssignedID"),
            name=self.text(product, "Name"),
            description=self.text(product, "Description"),
            attributes=attributes,
            classifications=classifications,
            origin_country=self.code(product, "OriginTradeCountry", "ID"),
            order_line_reference=self.text(agreement, "BuyerOrderReferencedDocument", "LineID"),
            gross_price=self.decimal(gross, "ChargeAmount"),
            price_discount=price_discount,
            net_price=self.decimal(net, "ChargeAmount"),
            base_quantity=base_quantity,
            base_quantity_unit=None if base_unit == unit else base_unit,
            gross_base_quantity=gross_base,
            gross_base_quantity_unit=gross_unit,
            quantity=self.decimal(quantity_el) if quantity_el is not None else None,
            unit=unit,
            vat_category=category,
            vat_rate=rate,
            period=self.period(settlement),
            allowances_charges=[
                self.allowance_charge(holder, document_level=False)
                for holder in self.children(settlement, "SpecifiedTradeAllowanceCharge")
            ],
            object_identifier=object_identifier,
            accounting_reference=self.text(
                settlement, "ReceivableSpecifiedTradeAccountingAccount", "ID"
            ),
        )
        stated_net = self.decimal(
            settlement, "SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount"
        )
        return line, stated_net

    def agreement(self, element: _Element | None) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "buyer_reference": self.text(element, "BuyerReference"),
            "seller": self.party(self.child(element, "SellerTradeParty")),
            "buyer": self.party(self.child(element, "BuyerTradeParty")),
            "sales_order_reference": self.text(
                element, "SellerOrderReferencedDocument", "IssuerAssignedID"
            ),
            "order_reference": self.text(
                element, "BuyerOrderReferencedDocument", "IssuerAssignedID"
            ),
            "contract_reference": self.text(
                element, "ContractReferencedDocument", "IssuerAssignedID"
            ),
        }
        representative = self.child(element, "SellerTaxRepresentativeTradeParty")
        if representative is not None:
            fields["tax_representative"] = _build(
                TaxRepresentative,
                representative,
                name=self.raw(self.child(representative, "Name")) or "",
                address=self.address(representative) or Address(),
                vat_id=self.text(representative, "SpecifiedTaxRegistration", "ID"),
            )
            self.attribute(self.at(representative, "SpecifiedTaxRegistration", "ID"), "schemeID")
        supporting: list[SupportingDocument] = []
        others: list[OtherReference] = []
        for reference in self.children(element, "AdditionalReferencedDocument"):
            type_code = self.code(reference, "TypeCode")
            issuer_id = self.raw(self.child(reference, "IssuerAssignedID")) or ""
            if type_code == "50" and "tender_reference" not in fields:
                fields["tender_reference"] = issuer_id or None
            elif type_code == "130" and "invoiced_object" not in fields:
                fields["invoiced_object"] = _build(
                    Identifier,
                    reference,
                    value=issuer_id,
                    scheme=self.code(reference, "ReferenceTypeCode"),
                )
            elif type_code == "916":
                attachment = self.child(reference, "AttachmentBinaryObject")
                supporting.append(
                    _build(
                        SupportingDocument,
                        reference,
                        id=issuer_id,
                        uri=self.text(reference, "URIID"),
                        description=self.text(reference, "Name"),
                        content_base64=self.raw(attachment) or None,
                        mime_code=self.attribute(attachment, "mimeCode"),
                        filename=self.attribute(attachment, "filename"),
                    )
                )
            else:
                others.append(
                    _build(
                        OtherReference,
                        reference,
                        id=issuer_id,
                        type_code=type_code,
                        reference_type_code=self.code(reference, "ReferenceTypeCode"),
                    )
                )
        fields["supporting_documents"] = supporting
        fields["other_references"] = others
        project = self.child(element, "SpecifiedProcuringProject")
        if project is not None:
            fields["project_reference"] = self.text(project, "ID")
            name = self.text(project, "Name")
            fields["project_name"] = None if name == _PROJECT_NAME_PLACEHOLDER else name
        return fields

    def delivery(self, element: _Element | None) -> dict[str, Any]:
        ship_to = self.child(element, "ShipToTradeParty")
        location = self.first_identifier(ship_to)
        delivery = Delivery(
            name=self.text(ship_to, "Name"),
            location_id=location,
            address=self.address(ship_to),
            date=self.date(
                self.child(element, "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime"
            ),
        )
        return {
            "delivery": None if delivery == Delivery() else delivery,
            "despatch_advice_reference": self.text(
                element, "DespatchAdviceReferencedDocument", "IssuerAssignedID"
            ),
            "receiving_advice_reference": self.text(
                element, "ReceivingAdviceReferencedDocument", "IssuerAssignedID"
            ),
        }

    def payment_means(self, element: _Element) -> PaymentMeans:
        card = self.child(element, "ApplicableTradeSettlementFinancialCard")
        account = self.child(element, "PayeePartyCreditorFinancialAccount")
        iban = self.text(account, "IBANID") or self.text(account, "ProprietaryID")
        values: dict[str, Any] = {
            "text": self.text(element, "Information"),
            "iban": iban,
            "account_name": self.text(account, "AccountName"),
            "bic": self.text(element, "PayeeSpecifiedCreditorFinancialInstitution", "BICID"),
            "card_pan": self.text(card, "ID"),
            "card_holder": self.text(card, "CardholderName"),
            "debited_iban": self.text(element, "PayerPartyDebtorFinancialAccount", "IBANID"),
        }
        code = self.code(element, "TypeCode")
        if code is not None:
            values["code"] = code
        return _build(PaymentMeans, element, **values)

    def payee(self, element: _Element | None) -> Payee | None:
        if element is None:
            return None
        identifier = self.first_identifier(element)
        return _build(
            Payee,
            element,
            name=self.raw(self.child(element, "Name")) or "",
            identifier=identifier,
            legal_registration=self.identifier(
                self.at(element, "SpecifiedLegalOrganization", "ID")
            ),
        )


def _root(xml: bytes) -> _Element:
    if not isinstance(xml, bytes | bytearray):
        raise CiiReadError(f"expected the XML as bytes, got {type(xml).__name__}")
    if not xml.strip():
        raise CiiReadError("the input is empty, not an XML document")
    try:
        tree = etree.fromstring(bytes(xml), hardened_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise CiiReadError(f"not a well-formed XML document: {error}") from None
    doctype: str = getattr(tree.docinfo, "doctype", "")  # missing from lxml-stubs
    if doctype or tree.docinfo.internalDTD is not None:
        raise CiiReadError("a DOCTYPE is not allowed in a CII invoice")
    root = tree.getroot()
    if root.tag != f"{{{RSM}}}CrossIndustryInvoice":
        raise CiiReadError(
            f"not a CII invoice: the root element is {root.tag!r}, expected "
            f"CrossIndustryInvoice in the namespace {RSM}"
        )
    return root


def _kind(type_code: str) -> tuple[DocumentKind, str | None]:
    if type_code in CREDIT_NOTE_TYPE_CODES:
        kind = DocumentKind.CREDIT_NOTE
    elif type_code in DEPOSIT_TYPE_CODES:
        kind = DocumentKind.DEPOSIT_INVOICE
    else:
        kind = DocumentKind.INVOICE
    return kind, None if type_code == DEFAULT_TYPE_CODES[kind] else type_code


def _required(reader: _Reader, parent: _Element, name: str, ns: str = RSM) -> _Element:
    element = reader.child(parent, name, ns)
    if element is None:
        raise CiiReadError(f"missing {name}", element_path(parent) + "/" + name)
    return element


def read_cii(xml: bytes) -> ReadResult:
    """The document, profile and stated totals of a CII invoice."""
    root = _root(xml)
    reader = _DocumentReader()
    context = _required(reader, root, "ExchangedDocumentContext")
    header = _required(reader, root, "ExchangedDocument")
    transaction = _required(reader, root, "SupplyChainTradeTransaction")

    guideline = reader.code(context, "GuidelineSpecifiedDocumentContextParameter", "ID")
    if guideline is None:
        raise CiiReadError(
            "missing the specification identifier (BT-24)",
            "ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID",
        )
    type_code = reader.code(header, "TypeCode") or "380"
    kind, explicit_type_code = _kind(type_code)
    fields: dict[str, Any] = {
        "kind": kind,
        "type_code": explicit_type_code,
        # BT-23 is free text (e.g. "Beispielgeschäftsprozess"); only the French
        # rules restrict it, to their billing modes, and only for French invoices.
        "business_process": reader.text(
            context, "BusinessProcessSpecifiedDocumentContextParameter", "ID"
        ),
        "number": reader.text(header, "ID"),
        "issue_date": reader.date(header, "IssueDateTime"),
        "notes": [
            _build(
                Note,
                note,
                text=reader.raw(reader.child(note, "Content")) or "",
                subject=reader.code(note, "SubjectCode"),
            )
            for note in reader.children(header, "IncludedNote")
        ],
    }

    lines: list[Line] = []
    line_nets: list[Decimal | None] = []
    for position, item in enumerate(
        reader.children(transaction, "IncludedSupplyChainTradeLineItem"), start=1
    ):
        line, stated_net = reader.line(item, position)
        lines.append(line)
        line_nets.append(stated_net)

    fields |= reader.agreement(reader.child(transaction, "ApplicableHeaderTradeAgreement"))
    fields |= reader.delivery(reader.child(transaction, "ApplicableHeaderTradeDelivery"))

    settlement = reader.child(transaction, "ApplicableHeaderTradeSettlement")
    currency = reader.code(settlement, "InvoiceCurrencyCode")
    accounting_currency = reader.code(settlement, "TaxCurrencyCode")
    fields |= {
        "creditor_reference": reader.text(settlement, "CreditorReferenceID"),
        "payment_reference": reader.text(settlement, "PaymentReference"),
        "vat_accounting_currency": accounting_currency,
        "payee": reader.payee(reader.child(settlement, "PayeeTradeParty")),
        "invoicing_period": reader.period(settlement),
        "allowances_charges": [
            reader.allowance_charge(holder, document_level=True)
            for holder in reader.children(settlement, "SpecifiedTradeAllowanceCharge")
        ],
        "buyer_accounting_reference": reader.text(
            settlement, "ReceivableSpecifiedTradeAccountingAccount", "ID"
        ),
    }
    if currency:
        fields["currency"] = currency
    payment_means = [
        reader.payment_means(holder)
        for holder in reader.children(settlement, "SpecifiedTradeSettlementPaymentMeans")
    ]

    breakdown: list[StatedVat] = []
    for tax in reader.children(settlement, "ApplicableTradeTax"):
        reader.code(tax, "TypeCode")
        vat = StatedVat(
            category=_vat_category(reader.code(tax, "CategoryCode"), tax),
            rate=reader.decimal(tax, "RateApplicablePercent"),
            taxable_amount=reader.decimal(tax, "BasisAmount"),
            tax_amount=reader.decimal(tax, "CalculatedAmount"),
            exemption_reason=reader.raw(reader.child(tax, "ExemptionReason")) or None,
            exemption_reason_code=reader.code(tax, "ExemptionReasonCode"),
        )
        breakdown.append(vat)
        # The model has one BT-7 and one BT-8; the writer repeats them in each
        # breakdown. A breakdown stating another value leaves it unread.
        for field, name, value in (
            ("tax_point_date", "TaxPointDate", reader.date(tax, "TaxPointDate")),
            ("vat_point_date_code", "DueDateTypeCode", reader.code(tax, "DueDateTypeCode")),
        ):
            if fields.get(field) is None:
                fields[field] = value
            elif value is not None and value != fields[field]:
                reader.forget(reader.child(tax, name))
        if vat.exemption_reason or vat.exemption_reason_code:
            holders = _lines_of(lines, vat)
            if lines and not holders:
                # The model carries exemption reasons on lines only (without
                # lines, MINIMUM / BASIC WL, the stated breakdown holds them).
                reader.forget(reader.child(tax, "ExemptionReason"))
                reader.forget(reader.child(tax, "ExemptionReasonCode"))
            for line in holders:
                _assign(line, tax, vat_exemption_reason=vat.exemption_reason)
                _assign(line, tax, vat_exemption_reason_code=vat.exemption_reason_code)

    # EN 16931 has one BT-20, BT-9 and BT-89; EXTENDED may repeat the terms:
    # descriptions are joined, a second due date or mandate is left unread.
    payment_terms: list[str] = []
    mandate: str | None = None
    for terms in reader.children(settlement, "SpecifiedTradePaymentTerms"):
        description = reader.text(terms, "Description")
        if description:
            payment_terms.append(description)
        if fields.get("due_date") is None:
            fields["due_date"] = reader.date(terms, "DueDateDateTime")
        if mandate is None and payment_means:
            mandate = reader.text(terms, "DirectDebitMandateID")
            if mandate:
                target = next(
                    (means for means in payment_means if means.code in _DIRECT_DEBIT_CODES),
                    payment_means[0],
                )
                _assign(target, terms, mandate_reference=mandate)
    if payment_terms:
        fields["payment_terms"] = "\n".join(payment_terms)
    fields["payment_means"] = payment_means

    summation = reader.child(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    vat_total = vat_total_accounting = None
    for holder in reader.children(summation, "TaxTotalAmount"):
        amount_currency = reader.attribute(holder, "currencyID")
        amount = reader.decimal(holder)
        in_other_currency = amount_currency is not None and amount_currency != currency
        if in_other_currency and vat_total_accounting is None:
            # BT-111; its currencyID is BT-6 even where the profile has no TaxCurrencyCode.
            vat_total_accounting = amount
            fields["vat_accounting_currency"] = accounting_currency or amount_currency
        elif not in_other_currency and vat_total is None:
            vat_total = amount
        else:
            reader.forget(holder)
    fields["vat_total_accounting_currency"] = vat_total_accounting
    rounding = reader.decimal(summation, "RoundingAmount")
    prepaid = reader.decimal(summation, "TotalPrepaidAmount")
    fields["rounding_amount"] = rounding
    fields["prepaid_amount"] = prepaid
    stated = StatedTotals(
        line_total=reader.decimal(summation, "LineTotalAmount"),
        allowance_total=reader.decimal(summation, "AllowanceTotalAmount"),
        charge_total=reader.decimal(summation, "ChargeTotalAmount"),
        tax_exclusive_total=reader.decimal(summation, "TaxBasisTotalAmount"),
        vat_total=vat_total,
        vat_total_accounting_currency=vat_total_accounting,
        tax_inclusive_total=reader.decimal(summation, "GrandTotalAmount"),
        prepaid_amount=prepaid,
        rounding_amount=rounding,
        amount_due=reader.decimal(summation, "DuePayableAmount"),
        vat_breakdown=tuple(breakdown),
        line_net_amounts=tuple(line_nets),
    )

    fields["preceding_invoices"] = [
        _build(
            PrecedingInvoice,
            reference,
            number=reader.raw(reader.child(reference, "IssuerAssignedID")) or "",
            issue_date=reader.date(reference, "FormattedIssueDateTime"),
        )
        for reference in reader.children(settlement, "InvoiceReferencedDocument")
    ]
    fields["lines"] = lines
    document = _build(Document, root, **fields)
    return ReadResult(
        document=document,
        profile=Profile.from_guideline(guideline),
        guideline=guideline,
        stated_totals=stated,
        leftovers=reader.leftovers(root),
    )
