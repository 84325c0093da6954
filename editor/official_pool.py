"""The official check (XSD + Factur-X + BR-FR schematrons) off the event loop.

saxonche holds the GIL for a whole transform and its compiled stylesheets are
not thread-safe, so the check runs in a small pool of spawned processes, each
compiling the stylesheets once (see invoicing/official.py). The editor asks for
it when the user pauses, coalesced per draft (`editor.live`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from invoicing.cii_writer import to_xml_bytes
from invoicing.model import Document
from invoicing.official import official_check
from invoicing.profiles import Profile


def check_document(document_json: str, profile: str, french: bool) -> dict[str, Any]:
    """In a worker process: write the CII XML and run the official checks."""
    document = Document.model_validate_json(document_json)
    xml = to_xml_bytes(document, Profile(profile))
    return official_check(xml, Profile(profile), french=french).as_dict()


class OfficialChecker:
    """A lazily started process pool; `close` at shutdown."""

    def __init__(self, workers: int = 1) -> None:
        self._workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._executor

    async def check(self, document: Document, profile: Profile, french: bool) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._pool(), check_document, document.model_dump_json(), profile.value, french
        )

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
