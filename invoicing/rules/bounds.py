"""Our bounds on numbers (invoicing.bounds), reported on their field like any rule."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.bounds import MESSAGES, out_of_bounds
from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule

FAMILY = "core"


@rule(
    "BL-BOUNDS",
    reads=(*TOTALS_READS, "lines.gross_price", "lines.price_discount"),
    fr="Hors bornes : {detail_fr}",
    en="Out of bounds: {detail_en}",
    quotes=True,
    why="Our bounds (invoicing.bounds): amounts below 10^13, quantities below 10^10, unit "
    "prices below 10^11. The REST API and `blanche render` refuse a document beyond them; "
    "one stored before opens in the editor with this error.",
)
def within_bounds(ctx: Context) -> Iterator[Hit]:
    for found in out_of_bounds(ctx.doc, ctx.totals):
        french, english = MESSAGES[found.kind]
        yield Hit((found.field,), params={"detail_fr": french, "detail_en": english})
