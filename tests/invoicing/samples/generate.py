"""How the sample invoices beside this file were made (run it to make them again):

    .venv/bin/python -m tests.invoicing.samples.generate

Each sample is a small invoice of a shape other vendors write and Blanche must
import faithfully. Each is written by `invoicing.cii.writer`, then its stated
amounts (and, for EXTENDED, a few elements the model has no field for) are
edited the way those vendors state them. Every sample passes the official
check of its profile (tests/invoicing/test_import_samples.py checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from lxml import etree
from lxml.etree import _Element

from invoicing.cii.names import RAM, UDT
from invoicing.cii.writer import build_cii
from invoicing.model import (
    Address,
    AllowanceCharge,
    Document,
    ElectronicAddress,
    Identifier,
    Line,
    Note,
    Party,
    PaymentMeans,
    PrecedingInvoice,
)
from invoicing.profiles import Profile

HERE = Path(__file__).resolve().parent
D = Decimal
_NS = {"ram": RAM}
_SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
_SUMMATION = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def _german_seller() -> Party:
    return Party(
        name="Muster Maschinenbau GmbH",
        identifiers=[Identifier(value="4000001000005", scheme="0088")],
        legal_registration=Identifier(value="HRB 12345"),
        vat_id="DE123456789",
        electronic_address=ElectronicAddress(value="rechnung@muster.example", scheme="EM"),
        address=Address(
            line1="Industriestraße 5", city="Stuttgart", postcode="70565", country="DE"
        ),
    )


def _french_buyer() -> Party:
    return Party(
        name="Boulangerie Dupont & Fils",
        siren="552100554",
        vat_id="FR96552100554",
        address=Address(line1="3 place du Marché", city="Lyon", postcode="69002", country="FR"),
    )


def _one(root: _Element, path: str) -> _Element:
    found = root.xpath(path, namespaces=_NS)
    assert isinstance(found, list) and len(found) == 1, path
    element = found[0]
    assert isinstance(element, _Element)
    return element


def _set(root: _Element, path: str, value: str) -> None:
    _one(root, path).text = value


def _set_line(root: _Element, position: int, value: str) -> None:
    _set(
        root,
        f"//ram:IncludedSupplyChainTradeLineItem[{position}]/ram:SpecifiedLineTradeSettlement"
        "/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        value,
    )


def _set_totals(root: _Element, **amounts: str) -> None:
    names = {
        "line_total": "LineTotalAmount",
        "basis": "TaxBasisTotalAmount",
        "vat": "TaxTotalAmount",
        "grand": "GrandTotalAmount",
        "prepaid": "TotalPrepaidAmount",
        "due": "DuePayableAmount",
    }
    for key, value in amounts.items():
        if key in names:
            _set(root, f"{_SUMMATION}/ram:{names[key]}", value)
    if "vat_basis" in amounts:
        _set(root, f"{_SETTLEMENT}/ram:ApplicableTradeTax/ram:BasisAmount", amounts["vat_basis"])
    if "vat_amount" in amounts:
        _set(
            root,
            f"{_SETTLEMENT}/ram:ApplicableTradeTax/ram:CalculatedAmount",
            amounts["vat_amount"],
        )


def gross_prices() -> _Element:
    """Line amounts stated from gross prices: net price 67.2244 (80.00 less a
    price discount of 12.7756); line 1 also has a line allowance of 12.78 and
    states 67.22 (80.00 - 12.78), line 2 states 80.00."""
    lines = [
        Line(
            name="Spindel Typ A",
            quantity=D(1),
            gross_price=D("80.00"),
            price_discount=D("12.7756"),
            net_price=D("67.2244"),
            vat_rate=D(19),
            allowances_charges=[AllowanceCharge(amount=D("12.78"), reason="Rabatt")],
        ),
        Line(
            name="Spindel Typ B",
            quantity=D(1),
            gross_price=D("80.00"),
            price_discount=D("12.7756"),
            net_price=D("67.2244"),
            vat_rate=D(19),
        ),
    ]
    document = Document(
        number="RE-2026-0815",
        issue_date=dt.date(2026, 11, 3),
        due_date=dt.date(2026, 12, 3),
        currency="EUR",
        seller=_german_seller(),
        buyer=_french_buyer(),
        buyer_reference="04011000-12345-34",
        payment_means=[PaymentMeans(code="58", iban="DE02120300000000202051")],
        lines=lines,
    )
    root = build_cii(document, Profile.EN16931)
    _set_line(root, 1, "67.22")
    _set_line(root, 2, "80.00")
    # 147.22 at 19 %: 27.97
    _set_totals(
        root,
        line_total="147.22",
        basis="147.22",
        vat_basis="147.22",
        vat_amount="27.97",
        vat="27.97",
        grand="175.19",
        due="175.19",
    )
    return root


def four_decimal_prices() -> _Element:
    """Prices with four decimals whose products the file rounds otherwise:
    3 x 0.3333 truncated (0.99, EN 16931: 1.00), 5 x 1.0450 rounded half-even
    (5.22, EN 16931: 5.23), 12 x 2.4567 with the price rounded first (29.52,
    EN 16931: 29.48)."""
    lines = [
        Line(name="Schrauben M3", quantity=D(3), net_price=D("0.3333"), vat_rate=D(20)),
        Line(name="Muttern M3", quantity=D(5), net_price=D("1.0450"), vat_rate=D(20)),
        Line(name="Dübel 8 mm", quantity=D(12), net_price=D("2.4567"), vat_rate=D(20)),
    ]
    document = Document(
        number="FA-2026-1204",
        issue_date=dt.date(2026, 11, 12),
        due_date=dt.date(2026, 12, 12),
        seller=Party(
            name="Quincaillerie Moderne SARL",
            siret="73282932000074",
            siren="732829320",
            vat_id="FR44732829320",
            address=Address(line1="8 rue Neuve", city="Lyon", postcode="69001", country="FR"),
        ),
        buyer=_french_buyer(),
        payment_means=[PaymentMeans(code="30", iban="FR7630006000011234567890189")],
        lines=lines,
    )
    root = build_cii(document, Profile.EN16931)
    _set_line(root, 1, "0.99")
    _set_line(root, 2, "5.22")
    _set_line(root, 3, "29.52")
    # 35.73 at 20 %: 7.15
    _set_totals(
        root,
        line_total="35.73",
        basis="35.73",
        vat_basis="35.73",
        vat_amount="7.15",
        vat="7.15",
        grand="42.88",
        due="42.88",
    )
    return root


def partial_invoice() -> _Element:
    """A partial invoice (326) whose VAT was rounded per line and summed: six
    lines of 10.55 at 19 % (2.0045 each: 2.00 per line, 12.00 stated), where
    EN 16931 rounds the category once (63.30 x 19 % = 12.03). 500.00 prepaid."""
    lines = [
        Line(name=f"Abschlag Bauabschnitt {n}", quantity=D(1), net_price=D("10.55"), vat_rate=D(19))
        for n in range(1, 7)
    ]
    document = Document(
        type_code="326",
        number="TR-2026-0042",
        issue_date=dt.date(2026, 11, 20),
        due_date=dt.date(2026, 12, 20),
        seller=_german_seller(),
        buyer=_french_buyer(),
        preceding_invoices=[
            PrecedingInvoice(number="TR-2026-0041", issue_date=dt.date(2026, 10, 20))
        ],
        prepaid_amount=D("50.00"),
        payment_means=[PaymentMeans(code="58", iban="DE02120300000000202051")],
        lines=lines,
    )
    root = build_cii(document, Profile.EN16931)
    _set_totals(root, vat_amount="12.00", vat="12.00", grand="75.30", prepaid="50.00", due="25.30")
    return root


def foreign_extended() -> _Element:
    """EXTENDED, with a free-text business process (BT-23), a GLN, an IBAN
    whose check digits are wrong (no official rule checks them), and elements
    the model has no field for (a second line note, a ship-from party, two
    instalments with partial amounts)."""
    document = Document(
        number="2026-EXT-17",
        issue_date=dt.date(2026, 11, 25),
        due_date=dt.date(2026, 12, 25),
        business_process="Beispielgeschäftsprozess",
        seller=_german_seller(),
        buyer=Party(
            name="Kunde AG",
            identifiers=[Identifier(value="4000001000012", scheme="0088")],
            vat_id="DE987654321",
            address=Address(line1="Hauptstraße 1", city="München", postcode="80331", country="DE"),
        ),
        notes=[Note(text="Es gelten unsere AGB.", subject="AAI")],
        payment_means=[PaymentMeans(code="58", iban="DE00120300000000202051")],
        lines=[
            Line(
                name="Wartung",
                unit="HUR",
                quantity=D("2.5"),
                net_price=D("96.00"),
                vat_rate=D(19),
                note="Einsatz vor Ort",
            )
        ],
    )
    root = build_cii(document, Profile.EXTENDED)
    delivery = _one(root, "//ram:ApplicableHeaderTradeDelivery")
    ship_from = etree.Element(f"{{{RAM}}}ShipFromTradeParty")
    etree.SubElement(ship_from, f"{{{RAM}}}Name").text = "Lager Nord"
    delivery.insert(0, ship_from)
    line_document = _one(root, "//ram:AssociatedDocumentLineDocument")
    second = etree.SubElement(line_document, f"{{{RAM}}}IncludedNote")
    etree.SubElement(second, f"{{{RAM}}}Content").text = "Anfahrt inklusive"
    # Paid in two instalments (EXTENDED): a second due date and partial amounts.
    terms = _one(root, "//ram:SpecifiedTradePaymentTerms")
    etree.SubElement(terms, f"{{{RAM}}}PartialPaymentAmount").text = "142.80"
    instalment = etree.Element(f"{{{RAM}}}SpecifiedTradePaymentTerms")
    etree.SubElement(instalment, f"{{{RAM}}}Description").text = "Zweite Rate"
    due = etree.SubElement(instalment, f"{{{RAM}}}DueDateDateTime")
    stamp = etree.SubElement(due, f"{{{UDT}}}DateTimeString", format="102")
    stamp.text = "20270125"
    etree.SubElement(instalment, f"{{{RAM}}}PartialPaymentAmount").text = "142.80"
    terms.addnext(instalment)
    return root


SAMPLES: dict[str, Callable[[], _Element]] = {
    "gross_prices.xml": gross_prices,
    "four_decimal_prices.xml": four_decimal_prices,
    "partial_invoice.xml": partial_invoice,
    "foreign_extended.xml": foreign_extended,
}


def main() -> None:
    for name, make in SAMPLES.items():
        data = etree.tostring(make(), xml_declaration=True, encoding="UTF-8", pretty_print=True)
        (HERE / name).write_bytes(data)
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
