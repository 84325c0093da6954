"""The view of a document the template shows: plain strings, never markup.

Every amount comes from `invoicing.totals.compute_totals`; this module only
formats and arranges. Jinja's autoescaping is what makes user text safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from markupsafe import Markup

from invoicing.formatting import (
    TEMPLATES,
    Formatter,
    format_iban,
    format_siren,
    labels,
    language_of,
    payment_means_name,
    unit_name,
)
from invoicing.model import (
    Address,
    AllowanceCharge,
    Document,
    DocumentKind,
    Line,
    Note,
    Party,
    PaymentMeans,
    Period,
    VatCategory,
)
from invoicing.payment_terms import due_date_of, payment_terms_text
from invoicing.totals import LineTotals, Totals, VatBreakdown, compute_totals

_LOGO_DATA_URI = re.compile(
    r"data:image/(?:png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]*={0,2}", re.ASCII
)

_PAYMENT_SUBJECTS = frozenset({"AAB", "PMD", "PMT"})

NO_BREAK_SPACE = "\u00a0"
# In free legal text ("capital de 10 000 €, RCS Lyon 732 829 320"): the spaces that
# group a number's digits, or put its currency after it.
_NUMBER_SPACES = re.compile(r"(?<=\d) (?=\d|€)")


def is_final_after_deposit(document: Document) -> bool:
    """An invoice deducting deposits: BT-23's variant digit 4 (final after deposit)."""
    mode = document.business_process or ""
    return document.kind is DocumentKind.INVOICE and len(mode) == 2 and mode[1] == "4"


@cache
def stylesheet() -> str:
    """The document's own CSS (inlined in every rendered page)."""
    return (TEMPLATES / "document.css").read_text(encoding="utf-8")


# --- the view: plain strings, escaped by the template -------------------------------------

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


class _ViewBuilder:
    def __init__(self, document: Document, totals: Totals, locale: str) -> None:
        self.document = document
        self.totals = totals
        self.lang = language_of(locale)
        self.label = labels(self.lang)
        self.fmt = Formatter(locale, document.currency)
        self.home_country = document.seller.address.country or "FR"

    def pair(self, key: str, value: str) -> tuple[str, str]:
        return (self.label[key], value)

    def address_lines(self, address: Address | None) -> tuple[str, ...]:
        if address is None:
            return ()
        lines = [line for line in (address.line1, address.line2, address.line3) if line]
        city = " ".join(part for part in (address.postcode, address.city) if part)
        if city:
            lines.append(city)
        if address.country_subdivision:
            lines.append(address.country_subdivision)
        if address.country and address.country != self.home_country:
            lines.append(self.fmt.country(address.country))
        return tuple(lines)

    def party(self, party: Party) -> PartyView:
        ids: list[tuple[str, str]] = []
        if party.siren:
            ids.append(self.pair("siren", format_siren(party.siren)))
        if party.siret:
            ids.append(self.pair("siret", format_siren(party.siret)))
        if party.legal_registration:
            ids.append(self.pair("registration", party.legal_registration.value))
        if party.vat_id:
            ids.append(self.pair("vat_id", party.vat_id))
        if party.tax_registration:
            ids.append(self.pair("tax_registration", party.tax_registration))
        ids.extend(self.pair("identifier", identifier.value) for identifier in party.identifiers)
        if party.electronic_address and party.electronic_address.value != party.siren:
            ids.append(self.pair("electronic_address", party.electronic_address.value))
        contact: list[str] = []
        if party.contact:
            if party.contact.name:
                contact.append(party.contact.name)
            if party.contact.phone:
                contact.append(f"{self.label['phone']} {party.contact.phone}")
            if party.contact.email:
                contact.append(party.contact.email)
        return PartyView(
            name=party.name or "",
            trading_name=(
                party.trading_name
                if party.trading_name and party.trading_name != party.name
                else ""
            ),
            address_lines=self.address_lines(party.address),
            identifiers=tuple(ids),
            contact_lines=tuple(contact),
            legal_info=party.legal_info or "",
        )

    def title(self) -> str:
        document = self.document
        if document.kind is DocumentKind.QUOTE:
            return self.label["title_quote"]
        specific = self.label.get(f"title_{document.effective_type_code}")
        if specific:
            return specific
        if document.is_credit_note:
            return self.label["title_credit_note"]
        if is_final_after_deposit(document):
            return self.label["title_final_invoice"]
        return self.label[f"title_{document.kind.value}"]

    def period(self, period: Period | None) -> str:
        if period is None or (period.start is None and period.end is None):
            return ""
        fmt = self.fmt
        if period.start and period.end:
            return self.label["period_from_to"].format(
                start=fmt.date(period.start), end=fmt.date(period.end)
            )
        if period.start:
            return self.label["period_from"].format(start=fmt.date(period.start))
        assert period.end is not None
        return self.label["period_to"].format(end=fmt.date(period.end))

    def dates(self) -> Pairs:
        document, fmt = self.document, self.fmt
        quote = document.kind is DocumentKind.QUOTE
        rows: list[tuple[str, str]] = []
        if document.issue_date:
            rows.append(
                self.pair("quote_date" if quote else "issue_date", fmt.date(document.issue_date))
            )
        due_date = due_date_of(document)
        if due_date and not document.is_credit_note:  # a credit note states no payment terms
            rows.append(self.pair("valid_until" if quote else "due_date", fmt.date(due_date)))
        if document.delivery and document.delivery.date:
            rows.append(self.pair("delivery_date", fmt.date(document.delivery.date)))
        period = self.period(document.invoicing_period)
        if period:
            rows.append(self.pair("invoicing_period", period))
        if document.tax_point_date:
            rows.append(self.pair("tax_point_date", fmt.date(document.tax_point_date)))
        return tuple(rows)

    def references(self) -> Pairs:
        document = self.document
        rows: list[tuple[str, str]] = []
        for key in (
            "buyer_reference",
            "order_reference",
            "sales_order_reference",
            "contract_reference",
            "project_reference",
            "tender_reference",
            "despatch_advice_reference",
            "receiving_advice_reference",
            "buyer_accounting_reference",
        ):
            value = getattr(document, key)
            if value:
                if key == "project_reference" and document.project_name:
                    value = f"{value} — {document.project_name}"
                rows.append(self.pair(key, value))
        if document.invoiced_object:
            rows.append(self.pair("invoiced_object", document.invoiced_object.value))
        return tuple(rows)

    def related(self) -> tuple[str, ...]:
        """The invoice(s) a credit note corrects, or preceding invoices."""
        prefix = "corrects" if self.document.is_credit_note else "preceding"
        credit = self.document.number or self.label["draft"]
        texts: list[str] = []
        for preceding in self.document.preceding_invoices:
            if preceding.issue_date:
                texts.append(
                    self.label[prefix].format(
                        credit=credit,
                        number=preceding.number,
                        date=self.fmt.date(preceding.issue_date),
                    )
                )
            else:
                texts.append(
                    self.label[f"{prefix}_undated"].format(credit=credit, number=preceding.number)
                )
        return tuple(texts)

    def discount(self, items: list[AllowanceCharge], amounts: tuple[Decimal, ...]) -> str:
        parts: list[str] = []
        for item, amount in zip(items, amounts, strict=True):
            sign = "+" if item.is_charge else "−"
            if item.percent is not None and item.amount is None:
                parts.append(f"{sign}{self.fmt.percent(item.percent)}")
            else:
                parts.append(f"{sign}{self.fmt.money(amount)}")
        return "\n".join(parts)

    def vat_rate(self, category: VatCategory | None, rate: Decimal | None) -> str:
        """'20 %' for the standard category; else the rate and the UNCL 5305 code
        ('0 % AE'), which the VAT breakdown spells out."""
        category = category or VatCategory.STANDARD
        if rate is None:
            return category.value
        if category is VatCategory.STANDARD:
            return self.fmt.percent(rate)
        return f"{self.fmt.percent(rate)} {category.value}"

    def line(self, line: Line, totals: LineTotals) -> LineView:
        colon = self.label["colon"]
        details: list[str] = []
        if line.seller_item_id:
            details.append(f"{self.label['item_ref']} {line.seller_item_id}")
        if line.buyer_item_id:
            details.append(f"{self.label['buyer_item_ref']} {line.buyer_item_id}")
        period = self.period(line.period)
        if period:
            details.append(f"{self.label['period']}{colon}{period}")
        details.extend(f"{item.name}{colon}{item.value}" for item in line.attributes)
        if line.note:
            details.append(line.note)
        fmt = self.fmt
        return LineView(
            name=line.name or "",
            details=tuple(details),
            description=line.description or "",
            quantity=fmt.number(line.quantity) if line.quantity is not None else "",
            unit=unit_name(line.unit, self.lang),
            unit_price=fmt.unit_price(line.net_price) if line.net_price is not None else "",
            discount=self.discount(line.allowances_charges, totals.allowance_charge_amounts),
            vat=self.vat_rate(line.vat_category, line.vat_rate),
            amount=fmt.money(totals.net_amount),
        )

    def allowances_charges(self) -> tuple[AllowanceChargeView, ...]:
        views: list[AllowanceChargeView] = []
        for item, amount in zip(
            self.document.allowances_charges, self.totals.allowance_charge_amounts, strict=True
        ):
            reason = item.reason or ""
            if item.percent is not None and item.amount is None:
                reason = f"{reason} ({self.fmt.percent(item.percent)})".strip()
            views.append(
                AllowanceChargeView(
                    label=self.label["charge" if item.is_charge else "allowance"],
                    reason=reason,
                    vat=self.vat_rate(item.vat_category, item.vat_rate),
                    amount=("+" if item.is_charge else "−") + self.fmt.money(amount),
                )
            )
        return tuple(views)

    def vat_row(self, row: VatBreakdown) -> VatRowView:
        if row.category is VatCategory.STANDARD:
            mention = row.exemption_reason or ""
        else:
            mention = row.exemption_reason or self.label[f"vat_{row.category.value}"]
        return VatRowView(
            rate=self.vat_rate(row.category, row.rate),
            base=self.fmt.money(row.taxable_amount),
            tax=self.fmt.money(row.tax_amount),
            mention=mention,
        )

    def total_rows(self) -> tuple[TotalRowView, ...]:
        totals, money = self.totals, self.fmt.money
        quote = self.document.kind is DocumentKind.QUOTE
        rows: list[TotalRowView] = []
        if totals.allowance_total or totals.charge_total:
            rows.append(TotalRowView(self.label["line_total"], money(totals.line_total)))
            if totals.allowance_total:
                rows.append(
                    TotalRowView(self.label["allowance_total"], "−" + money(totals.allowance_total))
                )
            if totals.charge_total:
                rows.append(
                    TotalRowView(self.label["charge_total"], "+" + money(totals.charge_total))
                )
        rows.append(
            TotalRowView(self.label["tax_exclusive_total"], money(totals.tax_exclusive_total))
        )
        rows.append(TotalRowView(self.label["vat_total"], money(totals.vat_total)))
        rows.append(
            TotalRowView(
                self.label["tax_inclusive_total"], money(totals.tax_inclusive_total), quote
            )
        )
        if quote and not (totals.prepaid_amount or totals.rounding_amount):
            return tuple(rows)
        if totals.prepaid_amount:
            rows.append(
                TotalRowView(self.label["prepaid_amount"], "−" + money(totals.prepaid_amount))
            )
        if totals.rounding_amount:
            rows.append(TotalRowView(self.label["rounding_amount"], money(totals.rounding_amount)))
        due_label = "credit_amount" if self.document.is_credit_note else "amount_due"
        rows.append(TotalRowView(self.label[due_label], money(totals.amount_due), True))
        return tuple(rows)

    def mentions(self) -> tuple[str, ...]:
        document = self.document
        texts: list[str] = []
        category = document.operation_category
        if category:
            texts.append(
                f"{self.label['operation_category']}{self.label['colon']}"
                f"{self.label[f'operation_{category}']}"
            )
        if document.vat_on_debits:
            texts.append(self.label["vat_on_debits"])
        return tuple(texts)

    def means(self, means: PaymentMeans) -> Pairs:
        rows = [self.pair("payment_means", means.text or payment_means_name(means.code, self.lang))]
        if means.iban:
            rows.append(self.pair("iban", format_iban(means.iban)))
        if means.bic:
            rows.append(self.pair("bic", means.bic.strip().upper()))
        if means.account_name:
            rows.append(self.pair("account_name", means.account_name))
        if means.card_pan:
            rows.append(self.pair("card", f"•••• {means.card_pan}"))
        if means.card_holder:
            rows.append(self.pair("card_holder", means.card_holder))
        if means.mandate_reference:
            rows.append(self.pair("mandate_reference", means.mandate_reference))
        if means.debited_iban:
            rows.append(self.pair("debited_iban", format_iban(means.debited_iban)))
        return tuple(rows)

    def payment(self) -> PaymentView:
        document = self.document
        references: list[tuple[str, str]] = []
        if document.payment_reference:
            references.append(self.pair("payment_reference", document.payment_reference))
        if document.creditor_reference:
            references.append(self.pair("creditor_reference", document.creditor_reference))
        if document.payee:
            references.append(self.pair("payee", document.payee.name))
        return PaymentView(
            terms="" if document.is_credit_note else payment_terms_text(document, self.lang) or "",
            means=tuple(self.means(means) for means in document.payment_means),
            references=tuple(references),
        )

    def printed(self, note: Note) -> bool:
        """A credit note prints no payment terms nor late-payment penalties (they stay
        in its XML, where the French rules may ask for them)."""
        return not (self.document.is_credit_note and note.subject in _PAYMENT_SUBJECTS)

    def footer(self, seller: PartyView) -> tuple[str, ...]:
        """The seller's legal identity, in parts the page footer may wrap between but
        never inside a label and its number ("N° TVA FR44…" stays on one line)."""
        parts = [seller.name] if seller.name else []
        if seller.legal_info:
            parts.append(_NUMBER_SPACES.sub(NO_BREAK_SPACE, seller.legal_info))
        parts.extend(
            f"{label} {value}".replace(" ", NO_BREAK_SPACE)
            for label, value in seller.identifiers[:4]
        )
        return tuple(parts)

    def build(self, logo: str, theme_css: str, inline_css: bool) -> DocumentView:
        document = self.document
        seller = self.party(document.seller)
        buyer = self.party(document.buyer)
        delivery: tuple[str, tuple[str, ...]] | None = None
        if document.delivery and document.delivery.address:
            lines = self.address_lines(document.delivery.address)
            if lines and lines != buyer.address_lines:
                delivery = (document.delivery.name or "", lines)
        title = self.title()
        number = document.number or self.label["draft"]
        meta_description = ""
        if document.issue_date:
            meta_description = self.label["description_of"].format(
                title=title,
                number=number,
                date=self.fmt.date(document.issue_date),
                seller=seller.name,
            )
        keywords = "keywords_quote" if document.kind is DocumentKind.QUOTE else "keywords_invoice"
        tax_rep = document.tax_representative
        notes = [note.text for note in document.notes if self.printed(note)]
        if tax_rep:
            notes.append(
                f"{self.label['tax_representative']}{self.label['colon']}{tax_rep.name}"
                + (f", {self.label['vat_id']} {tax_rep.vat_id}" if tax_rep.vat_id else "")
            )
        return DocumentView(
            lang=self.lang,
            label=self.label,
            kind=document.kind.value,
            title=title,
            number=number,
            logo=logo,
            css=Markup(stylesheet() if inline_css else ""),
            theme_css=Markup(_contain_css(theme_css)),
            show_discount=any(line.allowances_charges for line in document.lines),
            seller=seller,
            buyer=buyer,
            delivery=delivery,
            dates=self.dates(),
            references=self.references(),
            subject=document.subject or "",
            related=self.related(),
            lines=tuple(
                self.line(line, line_totals)
                for line, line_totals in zip(document.lines, self.totals.lines, strict=True)
            ),
            allowances_charges=self.allowances_charges(),
            vat_rows=tuple(self.vat_row(row) for row in self.totals.vat_breakdown),
            totals=self.total_rows(),
            mentions=self.mentions(),
            payment=self.payment(),
            notes=tuple(notes),
            supporting_documents=tuple(
                f"{item.id} — {item.description}" if item.description else item.id
                for item in document.supporting_documents
            ),
            footer=self.footer(seller),
            meta_title=f"{title} {number}",
            meta_author=seller.name,
            meta_description=meta_description,
            meta_keywords=f"{self.label[keywords]}, {number}",
        )


def _contain_css(css: str) -> str:
    # Theme CSS sits inside <style>: "</" would end the element, so write it "<\/",
    # which CSS reads as the same two characters.
    return css.replace("</", "<\\/")


def safe_logo(data_uri: str | None) -> str:
    """The logo if it is a base64 data: URI of an accepted image type, else ''."""
    if data_uri and _LOGO_DATA_URI.fullmatch(data_uri):
        return data_uri
    return ""


def document_view(
    document: Document,
    *,
    locale: str = "fr",
    logo_data_uri: str | None = None,
    theme_css: str = "",
    totals: Totals | None = None,
    inline_css: bool = True,
) -> DocumentView:
    """What the template shows, every value a formatted string. Without
    `inline_css` the page links no stylesheet: the caller supplies `stylesheet()`."""
    if totals is None:
        totals = compute_totals(document)
    builder = _ViewBuilder(document, totals, locale)
    return builder.build(safe_logo(logo_data_uri), theme_css, inline_css)
