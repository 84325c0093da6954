"""`EditorBackend` on dicts: the standalone demo and the editor's tests.

A real implementation, not a stand-in: tokens are signed and expire
(itsdangerous), every lookup is scoped to the session's company, drafts are
stored with their patch number and saved by compare-and-set, finalization
numbers documents gaplessly per company, kind and year, and a signed,
short-lived URL serves the Factur-X PDF.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from editor.memory_backend.catalogue import MemoryCatalogue
from editor.memory_backend.deposits import MemoryDeposits
from editor.memory_backend.drafts import MemoryDrafts
from editor.memory_backend.emails import MemoryEmails
from editor.memory_backend.logos import MemoryLogos
from editor.memory_backend.pdf_links import MemoryPdfLinks
from editor.memory_backend.sessions import MemorySessions


class MemoryBackend(
    MemorySessions,
    MemoryDrafts,
    MemoryDeposits,
    MemoryCatalogue,
    MemoryPdfLinks,
    MemoryLogos,
    MemoryEmails,
):
    """Each concept in its module; all share one `MemoryStore`."""

    @property
    def routes(self) -> list[BaseRoute]:
        return [*self.pdf_routes, *self.logo_routes]
