"""The whole view of a document: every part built, and the logo and CSS checked."""

from __future__ import annotations

import re
from functools import cache

from markupsafe import Markup

from invoicing.document_view.amounts import AmountParts
from invoicing.document_view.header import HeaderParts
from invoicing.document_view.payment import PaymentParts
from invoicing.document_view.views import DocumentView
from invoicing.formatting import (
    TEMPLATES,
)
from invoicing.model import (
    Document,
    DocumentKind,
)
from invoicing.totals import Totals, compute_totals

_LOGO_DATA_URI = re.compile(
    r"data:image/(?:png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]*={0,2}", re.ASCII
)


@cache
def stylesheet() -> str:
    """The document's own CSS (inlined in every rendered page)."""
    return (TEMPLATES / "document.css").read_text(encoding="utf-8")


class ViewBuilder(HeaderParts, AmountParts, PaymentParts):
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
            number_line=f"{self.label['number']} {number}" if document.number else number,
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
    builder = ViewBuilder(document, totals, locale)
    return builder.build(safe_logo(logo_data_uri), theme_css, inline_css)
