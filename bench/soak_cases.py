"""Soak cases: a demo invoice, a profile, the French option and 0-3 named
mutations, all derived from (seed, index) so any case can be rebuilt alone.

The mutations aim at what the official rules check (mandatory terms, VAT
categories and their conditions, code lists, French reform terms); a mutation
the model refuses (a pydantic validation error) is skipped and not named.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel, ValidationError

from invoicing.model import (
    AllowanceCharge,
    Document,
    DocumentKind,
    ElectronicAddress,
    Line,
    Period,
    VatCategory,
)
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice

Mutation = Callable[[Document, random.Random], None]

_LINE_COUNTS = (1, 1, 2, 3, 4, 6, 10, 20)
_PROFILES = (Profile.EN16931, Profile.EXTENDED, Profile.BASIC, Profile.BASIC_WL, Profile.MINIMUM)
_PROFILE_WEIGHTS = (50, 15, 15, 10, 10)


@dataclass(frozen=True, slots=True)
class Case:
    index: int
    document: Document
    profile: Profile
    french: bool
    mutations: tuple[str, ...]


def _line(document: Document, rng: random.Random) -> Line:
    if not document.lines:
        document.lines = [Line(name="Ajout", quantity=Decimal(1), net_price=Decimal(10))]
    return rng.choice(document.lines)


def _category(
    category: VatCategory, rate: str | None, code: str | None = None, reason: str | None = None
) -> Mutation:
    def mutate(document: Document, rng: random.Random) -> None:
        line = _line(document, rng)
        line.vat_category = category
        line.vat_rate = Decimal(rate) if rate is not None else None
        line.vat_exemption_reason_code = code
        line.vat_exemption_reason = reason

    return mutate


def _set(path: str, value: object) -> Mutation:
    """Set a dotted attribute path of the document (e.g. 'buyer.address.country')."""
    *parents, name = path.split(".")

    def mutate(document: Document, rng: random.Random) -> None:
        target: object = document
        for parent in parents:
            target = getattr(target, parent)
        setattr(target, name, value.model_copy() if isinstance(value, BaseModel) else value)

    return mutate


def _on_line(name: str, value: object) -> Mutation:
    def mutate(document: Document, rng: random.Random) -> None:
        setattr(_line(document, rng), name, value)

    return mutate


def _add_allowance(item: AllowanceCharge, line_level: bool) -> Mutation:
    def mutate(document: Document, rng: random.Random) -> None:
        if line_level:
            line = _line(document, rng)
            line.allowances_charges = [*line.allowances_charges, item.model_copy()]
        else:
            document.allowances_charges = [*document.allowances_charges, item.model_copy()]

    return mutate


def _due_before_issue(document: Document, rng: random.Random) -> None:
    if document.issue_date:
        document.due_date = document.issue_date - dt.timedelta(days=rng.randint(1, 60))


def _no_iban(document: Document, rng: random.Random) -> None:
    for means in document.payment_means:
        means.iban = None


def _no_due_date_nor_terms(document: Document, rng: random.Random) -> None:
    document.due_date = None
    document.payment_terms = None


def _foreign_buyer(document: Document, rng: random.Random) -> None:
    document.buyer.address.country = rng.choice(("DE", "BE", "US", "CH"))
    document.buyer.vat_id = rng.choice(("DE123456789", "BE0123456789", None))
    document.buyer.siren = None
    document.buyer.siret = None


MUTATIONS: dict[str, Mutation] = {
    "no-number": _set("number", None),
    "no-buyer-name": _set("buyer.name", None),
    "no-seller-name": _set("seller.name", None),
    "no-seller-country": _set("seller.address.country", None),
    "no-buyer-country": _set("buyer.address.country", None),
    "no-seller-vat-id": _set("seller.vat_id", None),
    "no-buyer-vat-id": _set("buyer.vat_id", None),
    "no-seller-siren": _set("seller.siren", None),
    "no-seller-siret": _set("seller.siret", None),
    "no-buyer-siren": _set("buyer.siren", None),
    "no-buyer-electronic-address": _set("buyer.electronic_address", None),
    "no-seller-electronic-address": _set("seller.electronic_address", None),
    "email-electronic-address": _set(
        "buyer.electronic_address", ElectronicAddress(value="achats@example.fr", scheme="EM")
    ),
    "bogus-eas-scheme": _set(
        "seller.electronic_address", ElectronicAddress(value="732829320", scheme="9999")
    ),
    "no-notes": _set("notes", []),
    "no-payment-means": _set("payment_means", []),
    "no-iban": _no_iban,
    "no-due-date-nor-terms": _no_due_date_nor_terms,
    "due-before-issue": _due_before_issue,
    "no-business-process": _set("business_process", None),
    "bogus-business-process": _set("business_process", "X9"),
    "no-vat-point-code": _set("vat_point_date_code", None),
    "bogus-vat-point-code": _set("vat_point_date_code", "99"),
    "tax-point-date": _set("tax_point_date", dt.date(2026, 11, 20)),
    "no-buyer-reference": _set("buyer_reference", None),
    "bogus-currency": _set("currency", "ZZZ"),
    "usd-currency": _set("currency", "USD"),
    "credit-note": _set("kind", DocumentKind.CREDIT_NOTE),
    "deposit-invoice": _set("kind", DocumentKind.DEPOSIT_INVOICE),
    "prepaid": _set("prepaid_amount", Decimal("10.00")),
    "rounding": _set("rounding_amount", Decimal("0.01")),
    "reversed-invoicing-period": _set(
        "invoicing_period", Period(start=dt.date(2026, 11, 30), end=dt.date(2026, 11, 1))
    ),
    "no-lines": _set("lines", []),
    "foreign-buyer": _foreign_buyer,
    "no-line-name": _on_line("name", None),
    "no-quantity": _on_line("quantity", None),
    "zero-quantity": _on_line("quantity", Decimal(0)),
    "negative-quantity": _on_line("quantity", Decimal(-2)),
    "negative-price": _on_line("net_price", Decimal("-5.00")),
    "no-price": _on_line("net_price", None),
    "fine-price": _on_line("net_price", Decimal("0.123456")),
    "large-amounts": _on_line("quantity", Decimal("9999.9999")),
    "bogus-unit": _on_line("unit", "ZZZ"),
    "odd-rate": _on_line("vat_rate", Decimal("7")),
    "no-rate": _on_line("vat_rate", None),
    "gross-price-below-net": _on_line("gross_price", Decimal("1.00")),
    "exempt-no-reason": _category(VatCategory.EXEMPT, "0"),
    "exempt": _category(VatCategory.EXEMPT, "0", "VATEX-EU-132", "Exonération art. 261 CGI"),
    "zero-rated": _category(VatCategory.ZERO, "0"),
    "zero-rated-with-rate": _category(VatCategory.ZERO, "20"),
    "reverse-charge": _category(VatCategory.REVERSE_CHARGE, "0", "VATEX-EU-AE", "Autoliquidation"),
    "intra-community": _category(VatCategory.INTRA_COMMUNITY, "0", "VATEX-EU-IC", "Intracom"),
    "export": _category(VatCategory.EXPORT, "0", "VATEX-EU-G", "Export"),
    "not-subject": _category(VatCategory.NOT_SUBJECT, None, "VATEX-EU-O", "Hors champ"),
    "standard-zero-rate": _category(VatCategory.STANDARD, "0"),
    "doc-allowance-no-reason": _add_allowance(
        AllowanceCharge(
            percent=Decimal(5), vat_category=VatCategory.STANDARD, vat_rate=Decimal(20)
        ),
        line_level=False,
    ),
    "doc-allowance": _add_allowance(
        AllowanceCharge(
            amount=Decimal("12.50"),
            reason="Remise",
            reason_code="95",
            vat_category=VatCategory.STANDARD,
            vat_rate=Decimal(20),
        ),
        line_level=False,
    ),
    "doc-charge-exempt": _add_allowance(
        AllowanceCharge(
            is_charge=True,
            amount=Decimal(10),
            reason="Frais",
            vat_category=VatCategory.EXEMPT,
            vat_rate=Decimal(0),
        ),
        line_level=False,
    ),
    "doc-allowance-unknown-rate": _add_allowance(
        AllowanceCharge(
            amount=Decimal(3),
            reason="Remise",
            vat_category=VatCategory.STANDARD,
            vat_rate=Decimal("8.5"),
        ),
        line_level=False,
    ),
    "line-allowance-no-reason": _add_allowance(
        AllowanceCharge(amount=Decimal("1.00")), line_level=True
    ),
    "line-charge": _add_allowance(
        AllowanceCharge(is_charge=True, amount=Decimal("3.00"), reason="Port", reason_code="FC"),
        line_level=True,
    ),
}


def make_case(seed: int, index: int) -> Case:
    """Case `index` of the soak run with `seed` (the same on every machine)."""
    rng = random.Random(f"blanche-soak:{seed}:{index}")
    document = demo_invoice(rng.choice(_LINE_COUNTS))
    count = rng.choices((0, 1, 2, 3), (10, 45, 30, 15))[0]
    applied: list[str] = []
    for name in rng.sample(sorted(MUTATIONS), count):
        candidate = document.model_copy(deep=True)
        try:
            MUTATIONS[name](candidate, rng)
        except ValidationError:
            continue
        document = candidate
        applied.append(name)
    return Case(
        index,
        document,
        rng.choices(_PROFILES, _PROFILE_WEIGHTS)[0],
        rng.random() < 0.5,
        tuple(applied),
    )
