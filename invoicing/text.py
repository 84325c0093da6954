"""Text types for everything a user can type.

XML 1.0 cannot carry most C0 control characters nor U+FFFE/U+FFFF, and lxml
raises on them: refuse them at the model boundary with a field error, so no
later stage ever sees them.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

LONG_TEXT_MAX = 20_000
SHORT_TEXT_MAX = 1_000


def refuse_control_characters(value: str) -> str:
    # A printable string holds none of them (Python calls every control character,
    # surrogate and noncharacter unprintable), and `isprintable` reads it about three
    # times faster than the pattern: only text with a tab, a line break, a no-break
    # space... is searched.
    if value.isprintable():
        return value
    match = _FORBIDDEN.search(value)
    if match:
        raise ValueError(
            f"contains the control character U+{ord(match.group()):04X} at position "
            f"{match.start()}; remove it"
        )
    return value


Text = Annotated[
    str,
    StringConstraints(max_length=SHORT_TEXT_MAX),
    AfterValidator(refuse_control_characters),
]
"""A name, an identifier, a city: one line of user text."""

LongText = Annotated[
    str,
    StringConstraints(max_length=LONG_TEXT_MAX),
    AfterValidator(refuse_control_characters),
]
"""A description or a note: may hold line breaks and tabs."""

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:\-]{1,35}$")]
"""A code from a code list (unit, scheme, reason code...)."""

# ISO 3166-1 alpha-2, and 1A (Kosovo), which the EN 16931 code list adds.
CountryCode = Annotated[str, StringConstraints(pattern=r"^(?:[A-Z]{2}|1A)$")]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
