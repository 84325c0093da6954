"""Autosaves that arrive together share one transaction.

Every open draft autosaves every few seconds while its user types; each save alone
is a transaction: its begin, its statement and its commit, each a round trip to
the database (and on SQLite a hop to the driver's thread and a sync to disk). Here
a save waits for nothing when it comes alone: it starts a writer at once. Saves
that come while the writer is busy wait for it and go together in its next
transaction, so the cost per save falls as the load rises.

A save whose compare-and-set does not take (another tab, a REST change, a document
issued meanwhile) is done again on its own by `save_one`, which says why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from editor.backend import Draft, EditorSession

SaveMany = Callable[[Sequence[tuple[EditorSession, Draft, int]]], Awaitable[list[bool]]]
SaveOne = Callable[[EditorSession, Draft, int], Awaitable[Draft]]

MOST_PER_BATCH = 200


@dataclass(frozen=True, slots=True)
class _Save:
    session: EditorSession
    draft: Draft
    expected_seq: int
    future: asyncio.Future[Draft]


class DraftBatches:
    def __init__(self, save_many: SaveMany, save_one: SaveOne) -> None:
        self._save_many = save_many
        self._save_one = save_one
        self._waiting: list[_Save] = []
        self._writer: asyncio.Task[None] | None = None

    async def save(self, session: EditorSession, draft: Draft, expected_seq: int) -> Draft:
        """Store a draft already stored once (it has a `document_id`), if its patch
        number is still `expected_seq`; as `EditorBackend.save_draft`."""
        future: asyncio.Future[Draft] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Save(session, draft, expected_seq, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch = self._waiting[:MOST_PER_BATCH]
            del self._waiting[:MOST_PER_BATCH]
            batch = [save for save in batch if not save.future.done()]  # not cancelled
            try:
                stored = await self._save_many(
                    [(save.session, save.draft, save.expected_seq) for save in batch]
                )
            except asyncio.CancelledError:  # the process stops: no save is left waiting
                for save in (*batch, *self._waiting):
                    save.future.cancel()
                self._waiting.clear()
                raise
            except Exception as error:  # nothing of the batch was stored
                for save in batch:
                    _fail(save, error)
                continue
            refused = []
            for save, was_stored in zip(batch, stored, strict=True):
                if was_stored:
                    _done(save, replace(save.draft, status="draft"))
                else:
                    refused.append(save)
            await asyncio.gather(*(self._again(save) for save in refused))

    async def _again(self, save: _Save) -> None:
        try:
            _done(save, await self._save_one(save.session, save.draft, save.expected_seq))
        except Exception as error:
            _fail(save, error)


def _done(save: _Save, draft: Draft) -> None:
    if not save.future.done():
        save.future.set_result(draft)


def _fail(save: _Save, error: Exception) -> None:
    if not save.future.done():
        save.future.set_exception(error)
