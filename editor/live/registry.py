"""The drafts open in this process, found by draft key, with who writes each.

One `LiveDraft` per document however many tabs show it. The first tab writes;
a second tab (another `tab` id) is a viewer: read-only, kept up to date, and
promoted when the writer leaves. The same tab reconnecting replaces its old
connection (a dropped socket the server has not noticed yet).
"""

from __future__ import annotations

import asyncio

from editor.analysis import DraftReader, analyse
from editor.backend import EditorSession
from editor.live.draft import LiveDraft
from editor.live.services import Peer, Services


class LiveDrafts:
    """The registry: draft key -> LiveDraft, with who writes each."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._drafts: dict[str, LiveDraft] = {}
        self._opening: dict[str, asyncio.Lock] = {}

    def __len__(self) -> int:
        return len({id(live) for live in self._drafts.values()})

    @staticmethod
    def session_key(session: EditorSession) -> str:
        return f"d{session.document_id}" if session.document_id is not None else f"s{session.key}"

    async def open(self, session: EditorSession, document_id: int | None = None) -> LiveDraft:
        key = f"d{document_id}" if document_id is not None else self.session_key(session)
        lock = self._opening.setdefault(key, asyncio.Lock())
        async with lock:
            live = self._drafts.get(key) or self._stored_as(document_id or session.document_id)
            if live is None:
                draft = await self.services.backend.open_draft(session, document_id)
                stored_key = f"d{draft.document_id}" if draft.document_id is not None else key
                live = self._drafts.get(stored_key)
                if live is None:
                    # A long draft's first analysis takes a while: in a thread, so that
                    # the event loop keeps its turns meanwhile.
                    locale = session.options.locale
                    reader = DraftReader(locale)
                    analysis = await asyncio.to_thread(
                        analyse, draft.content, locale, reader=reader
                    )
                    logo = await self.services.backend.document_logo(session, draft.document_id)
                    notes = (
                        await self.services.backend.legal_notes(session)
                        if draft.status == "draft"
                        else ()
                    )
                    live = self._drafts.get(stored_key)  # opened meanwhile?
                if live is None:
                    live = LiveDraft(
                        stored_key,
                        draft,
                        session,
                        self.services,
                        first=(reader, analysis),
                        logo=logo,
                        company_notes=notes,
                    )
                    self._register(live, stored_key)
                self._register(live, key)
        if not lock.locked():
            self._opening.pop(key, None)
        return live

    def _stored_as(self, document_id: int | None) -> LiveDraft | None:
        """A draft opened as new here and stored since (autosave gave it an id)."""
        if document_id is None:
            return None
        for live in self._drafts.values():
            if live.draft.document_id == document_id:
                return live
        return None

    def _register(self, live: LiveDraft, key: str) -> None:
        live.keys.add(key)
        self._drafts[key] = live

    def alias(self, live: LiveDraft) -> None:
        """Once stored, a new draft is also found by its document id."""
        if live.draft.document_id is not None:
            self._register(live, f"d{live.draft.document_id}")

    async def join(self, live: LiveDraft, peer: Peer) -> bool:
        """Attach `peer`; True when it writes, False when it watches."""
        writer = live.writer
        if writer is not None and writer.tab == peer.tab:
            live.writer = None
            await writer.send({"type": "superseded"})
            await writer.close(4409)
        if live.writer is None:
            live.writer = peer
            live.session = peer.session
            live.locale = peer.session.options.locale
            return True
        live.viewers.append(peer)
        return False

    async def leave(self, live: LiveDraft, peer: Peer) -> None:
        if live.writer is peer:
            live.writer = None
            await live.flush()
            if live.viewers:
                successor = live.viewers.pop(0)
                live.writer = successor
                live.session = successor.session
                await successor.promoted()
        elif peer in live.viewers:
            live.viewers.remove(peer)
        if not live.peers:
            for key in live.keys:
                if self._drafts.get(key) is live:
                    del self._drafts[key]
            await live.close()
