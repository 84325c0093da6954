"""What every part of the view builder shares: the document, its totals, the
language, and the formatting of pairs, addresses and periods."""

from __future__ import annotations

from invoicing.formatting import (
    Formatter,
    labels,
    language_of,
)
from invoicing.model import (
    Address,
    Document,
    Period,
)
from invoicing.totals import Totals


class BuilderBase:
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
