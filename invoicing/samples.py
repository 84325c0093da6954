"""A realistic French invoice, used by `blanche demo-invoice`, tests and benchmarks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from invoicing.model import (
    Address,
    AllowanceCharge,
    ContactPoint,
    Delivery,
    Document,
    ElectronicAddress,
    Line,
    Note,
    Party,
    PaymentMeans,
    VatCategory,
)

FRENCH_LEGAL_NOTES = (
    Note(
        subject="PMT",
        text="Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : "
        "40 €.",
    ),
    Note(
        subject="PMD",
        text="Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le "
        "lendemain de la date d'échéance.",
    ),
    Note(subject="AAB", text="Pas d'escompte pour paiement anticipé."),
)


def french_legal_notes() -> list[Note]:
    """Fresh copies: a document's notes are edited in place."""
    return [note.model_copy() for note in FRENCH_LEGAL_NOTES]


_CATALOGUE = (
    ("Intervention technicien", "HUR", Decimal("65.00"), Decimal("20")),
    ("Déplacement", "C62", Decimal("35.00"), Decimal("20")),
    ("Câble RJ45 Cat.6 — 5 m", "C62", Decimal("7.90"), Decimal("20")),
    ("Livre « Réseaux » (TVA réduite)", "C62", Decimal("32.50"), Decimal("5.5")),
    ("Abonnement maintenance mensuel", "MON", Decimal("49.00"), Decimal("20")),
    ("Repas chantier", "C62", Decimal("18.20"), Decimal("10")),
)


def seller() -> Party:
    return Party(
        name="Atelier Blanc SARL",
        trading_name="Atelier Blanc",
        siren="732829320",
        siret="73282932000074",
        vat_id="FR44732829320",
        legal_info="SARL au capital de 10 000 €, RCS Lyon 732 829 320",
        electronic_address=ElectronicAddress(value="732829320", scheme="0225"),
        address=Address(line1="12 rue des Tanneurs", city="Lyon", postcode="69002", country="FR"),
        contact=ContactPoint(
            name="Claire Martin", phone="+33 4 72 00 00 00", email="compta@atelier-blanc.example"
        ),
    )


def buyer() -> Party:
    return Party(
        name="Boulangerie Dupont & Fils",
        siren="552100554",
        siret="55210055400013",
        vat_id="FR96552100554",
        electronic_address=ElectronicAddress(value="552100554", scheme="0225"),
        address=Address(
            line1="3 place du Marché", city="Villeurbanne", postcode="69100", country="FR"
        ),
        contact=ContactPoint(email="contact@boulangerie-dupont.example"),
    )


def demo_invoice(line_count: int = 6) -> Document:
    """A French B2B invoice with `line_count` lines, mixed VAT rates, a line
    discount and a document-level charge."""
    lines = []
    for index in range(line_count):
        name, unit, price, rate = _CATALOGUE[index % len(_CATALOGUE)]
        quantity = Decimal(index % 4 + 1) + (Decimal("0.5") if unit == "HUR" else Decimal(0))
        line = Line(
            name=name,
            unit=unit,
            quantity=quantity,
            net_price=price,
            vat_category=VatCategory.STANDARD,
            vat_rate=rate,
        )
        if index % 5 == 2:
            line.allowances_charges = [
                AllowanceCharge(percent=Decimal("10"), reason="Remise fidélité", reason_code="95")
            ]
        lines.append(line)
    return Document(
        number="F-2026-00042",
        issue_date=dt.date(2026, 11, 24),
        due_date=dt.date(2026, 12, 24),
        business_process="M1",
        delivery=Delivery(date=dt.date(2026, 11, 20)),
        vat_point_date_code="5",
        buyer_reference="SERVICE-ACHATS",
        order_reference="BC-2026-118",
        payment_terms="Paiement à 30 jours par virement.",
        notes=french_legal_notes(),
        seller=seller(),
        buyer=buyer(),
        payment_means=[
            PaymentMeans(
                code="58",
                iban="FR7630006000011234567890189",
                bic="AGRIFRPPXXX",
                account_name="Atelier Blanc SARL",
            )
        ],
        payment_reference="F-2026-00042",
        allowances_charges=[
            AllowanceCharge(
                is_charge=True,
                amount=Decimal("15.00"),
                reason="Frais de dossier",
                reason_code="ABL",
                vat_category=VatCategory.STANDARD,
                vat_rate=Decimal("20"),
            )
        ],
        lines=lines,
    )
