"""The view of a document the template shows: plain strings, escaped by the template."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class PartyView:
    name: str
    trading_name: str
    address_lines: tuple[str, ...]
    identifiers: Pairs
    contact_lines: tuple[str, ...]
    legal_info: str


@dataclass(frozen=True, slots=True)
class LineView:
    name: str
    details: tuple[str, ...]
    description: str
    quantity: str
    unit: str
    unit_price: str
    discount: str
    vat: str
    amount: str


@dataclass(frozen=True, slots=True)
class AllowanceChargeView:
    label: str
    reason: str
    vat: str
    amount: str


@dataclass(frozen=True, slots=True)
class VatRowView:
    rate: str
    base: str
    tax: str
    mention: str


@dataclass(frozen=True, slots=True)
class TotalRowView:
    label: str
    value: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class PaymentView:
    terms: str
    means: tuple[Pairs, ...]
    references: Pairs

    @property
    def empty(self) -> bool:
        return not (self.terms or self.means or self.references)


@dataclass(frozen=True, slots=True)
class DocumentView:
    lang: str
    label: dict[str, str]
    kind: str
    title: str
    number: str
    number_line: str  # "N° F-2026-00001", or "Brouillon" alone
    logo: str
    css: Markup
    theme_css: Markup
    show_discount: bool
    seller: PartyView
    buyer: PartyView
    delivery: tuple[str, tuple[str, ...]] | None
    dates: Pairs
    references: Pairs
    subject: str
    related: tuple[str, ...]
    lines: tuple[LineView, ...]
    allowances_charges: tuple[AllowanceChargeView, ...]
    vat_rows: tuple[VatRowView, ...]
    totals: tuple[TotalRowView, ...]
    mentions: tuple[str, ...]
    payment: PaymentView
    notes: tuple[str, ...]
    supporting_documents: tuple[str, ...]
    footer: tuple[str, ...]
    meta_title: str
    meta_author: str
    meta_description: str
    meta_keywords: str
