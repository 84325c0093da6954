"""A document's PDF, for the REST API, the editor's download link and e-mails.

Rendered in the shared work pool (`editor.work_pool.WorkPool`: other processes,
a deadline, fair across partners), never in the service process and never with a
database transaction open: callers read what they need, end the transaction, then
ask here (`deferred_pdf` builds a response that renders once the handler returned).

- An issued document has one original PDF, rendered once and kept in the file
  storage (`pdf/<company>/<id>.pdf`), with the logo of its issue.
- A draft's PDF is kept by the hash of what it is rendered from (company,
  profile, language, content, the seller's logo's stored digest and the theme:
  server.printed_look.DraftLook; the image is read only to render),
  in memory, the least recently used going first
  beyond `cache_bytes`: asking again for an unchanged draft renders nothing, and
  simultaneous requests for the same draft share one render.
- Too busy (the partner has `per_tenant_queue` renders waiting) or not done by the
  deadline: a 503 problem with `Retry-After`; nobody else waits on it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from editor.work_pool import DeadlineMissed, PoolBusy, WorkFailed, WorkPool
from invoicing.limits import line_limit_error, too_many_lines
from invoicing.model import Document
from invoicing.profiles import Profile
from server.documents.content import canonical_json
from server.file_storage import FileStorage
from server.printed_look import DraftLook, LookLoader, PrintedLook
from server.problems import Problem, field_problem, refused_request

RETRY_AFTER_SECONDS = 10


class DraftPdfCache:
    """PDF bytes by key, at most `max_bytes` in all (least recently used first out)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self.renders = 0  # how many renders filled it (tests, logs)

    def get(self, key: str) -> bytes | None:
        pdf = self._items.get(key)
        if pdf is not None:
            self._items.move_to_end(key)
        return pdf

    def put(self, key: str, pdf: bytes) -> None:
        if len(pdf) > self.max_bytes:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= len(old)
        self._items[key] = pdf
        self._bytes += len(pdf)
        while self._bytes > self.max_bytes:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= len(dropped)

    @property
    def size(self) -> int:
        return self._bytes


def draft_key(
    company_id: int, document: Document, profile: Profile, locale: str, look: DraftLook
) -> str:
    digest = hashlib.sha256()
    for part in (str(company_id), profile.value, locale, look.digest, canonical_json(document)):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


class DocumentPdfs:
    def __init__(self, pool: WorkPool, storage: FileStorage, cache_bytes: int) -> None:
        self.pool = pool
        self.storage = storage
        self.cache = DraftPdfCache(cache_bytes)
        self._rendering: dict[str, asyncio.Future[bytes]] = {}

    async def _render(
        self, document: Document, profile: Profile, locale: str, partner_id: int, look: PrintedLook
    ) -> bytes:
        logo = (look.logo.content, look.logo.media_type) if look.logo else None
        try:
            return await self.pool.render_pdf(
                document, profile, locale, logo=logo, theme_css=look.theme_css, tenant=partner_id
            )
        except PoolBusy:
            raise _unavailable(503, "pdf_busy") from None
        except DeadlineMissed:
            raise _unavailable(504, "pdf_timeout") from None
        except WorkFailed:
            raise _unavailable(503, "pdf_failed") from None

    async def issued(
        self,
        company_id: int,
        document_id: int,
        document: Document,
        profile: Profile,
        partner_id: int,
        look: LookLoader,
    ) -> bytes:
        """`look` gives the logo of its issue (server.printed_look.document_logo) and
        the theme; it is read only when the PDF is not stored yet."""
        key = f"pdf/{company_id}/{document_id}.pdf"
        stored = self.storage.get(key)
        if stored is None:

            async def render() -> bytes:
                return await self._render(document, profile, "fr", partner_id, await look())

            stored = await self._once(key, render)
            self.storage.put(key, stored)
        return stored

    async def draft(
        self,
        company_id: int,
        document: Document,
        profile: Profile,
        locale: str,
        partner_id: int,
        look: DraftLook,
    ) -> bytes:
        """An unchanged draft asked again is answered from the cache without reading
        its logo's image: `look` names it by digest, and loads it only to render."""
        if too_many_lines(len(document.lines)):  # a draft stored before the limit existed
            error = line_limit_error(len(document.lines), locale)
            raise field_problem(error.field, error.message, "too_many_lines")
        key = draft_key(company_id, document, profile, locale, look)
        kept = self.cache.get(key)
        if kept is not None:
            return kept

        async def render() -> bytes:
            pdf = await self._render(document, profile, locale, partner_id, await look.load())
            self.cache.renders += 1
            self.cache.put(key, pdf)
            return pdf

        return await self._once(key, render)

    async def _once(self, key: str, render: Callable[[], Awaitable[bytes]]) -> bytes:
        """One render per key at a time: who asks meanwhile gets the same bytes."""
        running = self._rendering.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._rendering[key] = future
        try:
            pdf = await render()
        except Exception as error:
            future.set_exception(error)
            future.exception()  # retrieved here: who shares it gets it too
            raise
        except BaseException:
            future.cancel()
            raise
        finally:
            self._rendering.pop(key, None)
        future.set_result(pdf)
        return pdf


def _unavailable(status: int, code: str) -> Problem:
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return refused_request(status, code, "PDF not available now", headers=retry)


class DeferredPdf(Response):
    """A response whose PDF is produced when it is sent: after the handler
    returned, so after its database transaction ended."""

    def __init__(self, produce: Callable[[], Awaitable[bytes]], headers: Mapping[str, str]):
        super().__init__(status_code=200, media_type="application/pdf")
        self._produce = produce
        self._pdf_headers = dict(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            pdf = await self._produce()
        except Problem as problem:
            language = Headers(scope=scope).get("accept-language")
            await problem.localized(language).response()(scope, receive, send)
            return
        response = Response(pdf, media_type="application/pdf", headers=self._pdf_headers)
        await response(scope, receive, send)
