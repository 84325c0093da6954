"""Our own size limits (invoicing.limits), reported on their field like any rule."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.limits import LINES_FIELD, TOO_MANY_LINES_EN, TOO_MANY_LINES_FR, too_many_lines
from invoicing.rules.engine import LINE_COUNT, Context, Hit, rule

FAMILY = "core"


@rule(
    "BL-LINES-MAX",
    reads=(LINE_COUNT,),
    fr=TOO_MANY_LINES_FR,
    en=TOO_MANY_LINES_EN,
    quotes=True,
    why="Our limit (invoicing.limits.MAX_LINES): the REST API and the CLI refuse such a "
    "document; one stored before the limit opens in the editor with this error.",
)
def at_most_max_lines(ctx: Context) -> Iterator[Hit]:
    if too_many_lines(len(ctx.doc.lines)):
        yield Hit((LINES_FIELD,))
