"""From a finished work order (a field-service app's job) to draft invoice content.

Pure functions over already-loaded rows: time in minutes becomes a quantity of
the product the time is sold as (15 min of a product sold per hour -> 0.25),
used items become lines, the description becomes the first line or a note, as
the partner chose. Money is never computed here: lines carry quantities and
unit prices, `invoicing.totals` does the rest.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from invoicing.model import Line, Note, Period, SupportingDocument, VatCategory
from server.db.catalogue import Product
from server.field_messages import SaidError, said_error

QUANTITY_STEP = Decimal("0.0001")  # BT-129 carries up to 4 decimals here
MINUTES_PER_UNIT = {"HUR": Decimal(60), "MIN": Decimal(1)}
LINE_NAME_MAX = 200


def minutes_as_quantity(minutes: int, unit: str) -> Decimal:
    """Minutes as a quantity of `unit` (HUR or MIN), rounded half-up to 4 decimals,
    written without trailing zeros (0.25, not 0.2500)."""
    exact = (Decimal(minutes) / MINUTES_PER_UNIT[unit]).quantize(QUANTITY_STEP, ROUND_HALF_UP)
    trimmed = exact.normalize()
    return trimmed.quantize(Decimal(1)) if trimmed.as_tuple().exponent > 0 else trimmed  # type: ignore[operator]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def skip_word_in(texts: list[str], skip_words: list[str]) -> str | None:
    """The first skip word found as a whole word in any of `texts`, ignoring
    case and accents ("garantie" finds "Sous GARANTIE", not "garanties")."""
    folded = [_fold(text) for text in texts if text]
    for word in skip_words:
        pattern = re.compile(rf"(?<!\w){re.escape(_fold(word.strip()))}(?!\w)")
        if word.strip() and any(pattern.search(text) for text in folded):
            return word
    return None


def product_line(product: Product, quantity: Decimal, description: str | None = None) -> Line:
    line = Line(
        name=product.name[:LINE_NAME_MAX],
        description=description or product.description,
        quantity=quantity,
        unit=product.unit,
        net_price=Decimal(product.unit_price),
        vat_category=VatCategory(product.vat_category),
    )
    if product.vat_rate is not None:
        return line.model_copy(update={"vat_rate": Decimal(product.vat_rate)})
    if line.vat_category != VatCategory.STANDARD:
        return line.model_copy(update={"vat_rate": None})
    return line  # a standard-rated product without a rate: the line's default rate


def billing_mode(has_time: bool, has_items: bool) -> str:
    """BT-23 for the French reform: services (labour, call-out), goods (parts), or mixed."""
    if has_items and has_time:
        return "M1"
    return "B1" if has_items else "S1"


def time_line(product: Product, minutes: int, day: dt.date | None, description: str | None) -> Line:
    line = product_line(product, minutes_as_quantity(minutes, product.unit), description)
    if day is not None:
        line = line.model_copy(update={"period": Period(start=day, end=day)})
    return line


def description_line(description: str) -> Line:
    """The work done, as an informative first line at no charge."""
    first = description.strip().splitlines()[0] if description.strip() else description
    return Line(
        name=first[:LINE_NAME_MAX],
        description=description if description.strip() != first else None,
        quantity=Decimal(1),
        unit="C62",
        net_price=Decimal(0),
    )


def description_note(description: str) -> Note:
    return Note(text=description)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    mime_code: str
    content_base64: str | None
    uri: str | None
    description: str | None


def supporting_document(
    index: int, attachment: Attachment, field: str
) -> SupportingDocument | SaidError:
    if attachment.content_base64 is not None:
        try:
            base64.b64decode(attachment.content_base64, validate=True)
        except (binascii.Error, ValueError):
            return said_error(f"{field}.content_base64", "attachment_base64")
    return SupportingDocument(
        id=attachment.filename[:LINE_NAME_MAX] or f"ATT-{index + 1}",
        description=attachment.description,
        uri=attachment.uri,
        content_base64=attachment.content_base64,
        mime_code=attachment.mime_code,
        filename=attachment.filename,
    )
