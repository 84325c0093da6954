"""The language an issued document's legal original is written in.

An issued document has one original: its PDF, rendered once and then downloaded,
emailed and archived as it is. It is French whatever the language of the person who
issued it (docs/decisions.md, "the issued document's language"); what speaks about
that document to its recipient (the issued view, the email that carries the PDF)
says it in the same language. A per-document language would change this one place.
"""

from __future__ import annotations

from typing import Final, Literal

ORIGINAL_LANGUAGE: Final[Literal["fr"]] = "fr"
