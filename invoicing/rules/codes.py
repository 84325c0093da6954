"""Code lists, read from the codedb file the Factur-X stylesheets ship.

Each profile's schematron looks codes up in ``<cl id="N">`` of its own codedb
file; which list sits under which number differs between profiles. So a list
is never named by its number here: it is named by the code-list assert that
uses it (a `stylesheets` reference such as
``"cl:SpecifiedLineTradeDelivery/BilledQuantity|@unitCode"``), and the number
is read from that assert.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from invoicing.profiles import Profile, codedb_path
from invoicing.rules.stylesheets import resolve

# The code-list asserts of the Factur-X EN 16931 stylesheet the rules use,
# named by what they check. The same contexts exist in the other profiles.
UNIT_BILLED = "cl:SpecifiedLineTradeDelivery/BilledQuantity|@unitCode"
UNIT_NET_BASIS = "cl:NetPriceProductTradePrice/BasisQuantity|@unitCode"
UNIT_GROSS_BASIS = "cl:GrossPriceProductTradePrice/BasisQuantity|@unitCode"
TYPE_CODE = "cl:ExchangedDocument/TypeCode|."
CURRENCY = "cl:ApplicableHeaderTradeSettlement/InvoiceCurrencyCode|."
TAX_CURRENCY = "cl:ApplicableHeaderTradeSettlement/TaxCurrencyCode|."
TAX_TOTAL_CURRENCY = (
    "cl:SpecifiedTradeSettlementHeaderMonetarySummation/"
    "TaxTotalAmount[@currencyID=../../InvoiceCurrencyCode]|@currencyID"
)
TAX_TOTAL_ACCOUNTING_CURRENCY = (
    "cl:SpecifiedTradeSettlementHeaderMonetarySummation/"
    "TaxTotalAmount[@currencyID=../../TaxCurrencyCode]|@currencyID"
)
VAT_POINT_CODE = "cl:ApplicableHeaderTradeSettlement/ApplicableTradeTax/DueDateTypeCode|."
NOTE_SUBJECT = "cl:ExchangedDocument/IncludedNote/SubjectCode|."
OBJECT_SCHEME = 'cl:AdditionalReferencedDocument[TypeCode="130"]/ReferenceTypeCode|.'
LINE_OBJECT_SCHEME = (
    "cl:SpecifiedLineTradeSettlement/AdditionalReferencedDocument/ReferenceTypeCode|."
)
SELLER_ID_SCHEME = "cl:SellerTradeParty/GlobalID|@schemeID"
BUYER_ID_SCHEME = "cl:BuyerTradeParty/GlobalID|@schemeID"
PAYEE_ID_SCHEME = "cl:PayeeTradeParty/GlobalID|@schemeID"
SHIP_TO_ID_SCHEME = "cl:ShipToTradeParty/GlobalID|@schemeID"
SELLER_LEGAL_SCHEME = "cl:SellerTradeParty/SpecifiedLegalOrganization/ID|@schemeID"
BUYER_LEGAL_SCHEME = "cl:BuyerTradeParty/SpecifiedLegalOrganization/ID|@schemeID"
PAYEE_LEGAL_SCHEME = "cl:PayeeTradeParty/SpecifiedLegalOrganization/ID|@schemeID"
CLASSIFICATION_LIST = "cl:DesignatedProductClassification/ClassCode|@listID"
SELLER_COUNTRY = "cl:SellerTradeParty/PostalTradeAddress/CountryID|."
BUYER_COUNTRY = "cl:BuyerTradeParty/PostalTradeAddress/CountryID|."
REPRESENTATIVE_COUNTRY = "cl:SellerTaxRepresentativeTradeParty/PostalTradeAddress/CountryID|."
SHIP_TO_COUNTRY = "cl:ShipToTradeParty/PostalTradeAddress/CountryID|."
ORIGIN_COUNTRY = "cl:SpecifiedTradeProduct/OriginTradeCountry/ID|."
PAYMENT_MEANS = "cl:SpecifiedTradeSettlementPaymentMeans/TypeCode|."
_HEADER_CHARGE = "ApplicableHeaderTradeSettlement/SpecifiedTradeAllowanceCharge"
_LINE_CHARGE = "SpecifiedLineTradeSettlement/SpecifiedTradeAllowanceCharge"
_FALSE = '[ChargeIndicator/Indicator="false"]'
_TRUE = '[ChargeIndicator/Indicator="true"]'
ALLOWANCE_REASON = f"cl:{_HEADER_CHARGE}{_FALSE}/ReasonCode|."
CHARGE_REASON = f"cl:{_HEADER_CHARGE}{_TRUE}/ReasonCode[not (@listID)]|."
LINE_ALLOWANCE_REASON = f"cl:{_LINE_CHARGE}{_FALSE}/ReasonCode|."
LINE_CHARGE_REASON = f"cl:{_LINE_CHARGE}{_TRUE}/ReasonCode[not (@listID)]|."
ITEM_ID_SCHEME = "cl:SpecifiedTradeProduct/GlobalID|@schemeID"
VATEX = "cl:ApplicableHeaderTradeSettlement/ApplicableTradeTax/ExemptionReasonCode|."
MIME_CODE = 'cl:AdditionalReferencedDocument[TypeCode="916"]/AttachmentBinaryObject|@mimeCode'
SELLER_EAS = "cl:SellerTradeParty/URIUniversalCommunication/URIID|@schemeID"
BUYER_EAS = "cl:BuyerTradeParty/URIUniversalCommunication/URIID|@schemeID"


@cache
def _codedb(profile: Profile) -> dict[str, frozenset[str]]:
    root = etree.parse(str(codedb_path(profile))).getroot()
    return {
        cl.get("id", ""): frozenset(e.get("value", "") for e in cl.iter("enumeration"))
        for cl in root.iter("cl")
    }


@cache
def code_list(reference: str, profile: Profile) -> frozenset[str] | None:
    """The codes the assert `reference` accepts under `profile` (None when the
    profile has no such assert)."""
    resolved = resolve(reference, profile)
    if resolved is None or resolved.code_list is None:
        return None
    return _codedb(profile).get(resolved.code_list)


def is_listed(code: str | None, reference: str, profile: Profile) -> bool:
    """As the official asserts do: an empty code passes, a missing list passes."""
    if not code:
        return True
    codes = code_list(reference, profile)
    return codes is None or code in codes
