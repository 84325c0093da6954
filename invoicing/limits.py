"""Size limits of a document, the same everywhere: the REST API, the editor, the CLI.

A document above a limit is refused where it comes in (REST create/update, `blanche
render`), cannot grow past it in the editor, and, if one was stored before the limit
existed, still opens and shows the error on its field (rule `BL-LINES-MAX`).
"""

from __future__ import annotations

from invoicing.field_errors import FieldError

MAX_LINES = 1_000
"""Lines (BG-25) of one document. The heaviest work a document causes (its PDF,
the official check, a keystroke's analysis) grows with its lines."""

LINES_FIELD = "lines"
_SHOWN_FR = f"{MAX_LINES:,}".replace(",", "\u202f")  # 1 000
TOO_MANY_LINES_FR = f"Au plus {_SHOWN_FR} lignes par document : scindez-le en plusieurs."
TOO_MANY_LINES_EN = f"At most {MAX_LINES:,} lines per document: split it into several."


def too_many_lines(count: int) -> bool:
    return count > MAX_LINES


def line_limit_error(count: int, locale: str = "en") -> FieldError:
    """The field error for a document of `count` lines (above the limit)."""
    if locale == "fr":
        return FieldError(LINES_FIELD, f"{TOO_MANY_LINES_FR} ({count} lignes)")
    return FieldError(LINES_FIELD, f"{TOO_MANY_LINES_EN} ({count} lines given)")
