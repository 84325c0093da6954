"""`DraftBatches`: autosaves that come together share one write; each save gets its
own answer whatever happens to the others."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

import pytest

from editor.backend import Draft, DraftConflict, EditorOptions, EditorSession
from invoicing.model import DocumentKind
from server import draft_batches
from server.draft_batches import DraftBatches

SESSION = EditorSession(
    key="key",
    partner_id=1,
    company_id=1,
    user_id=1,
    document_id=None,
    new_kind=DocumentKind.INVOICE,
    parent_origin="https://app.example",
    options=EditorOptions(),
    expires_at=dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
)


def _draft(document_id: int, seq: int) -> Draft:
    return Draft(document_id, DocumentKind.INVOICE, "draft", None, {}, seq, None, False)


class Store:
    """Drafts by document id, with the patch number each was stored at."""

    def __init__(self) -> None:
        self.seqs: dict[int, int] = {}
        self.batches: list[list[int]] = []
        self.fail_next = False

    async def save_many(self, saves: Sequence[tuple[EditorSession, Draft, int]]) -> list[bool]:
        await asyncio.sleep(0.01)  # a database round trip: saves pile up meanwhile
        if self.fail_next:
            self.fail_next = False
            raise OSError("the database went away")
        self.batches.append([draft.seq for _, draft, _ in saves])
        stored = []
        for _, draft, expected in saves:
            assert draft.document_id is not None
            ok = self.seqs.get(draft.document_id, 0) == expected
            if ok:
                self.seqs[draft.document_id] = draft.seq
            stored.append(ok)
        return stored

    async def save_one(self, session: EditorSession, draft: Draft, expected: int) -> Draft:
        raise DraftConflict()


def test_saves_that_come_while_one_is_written_go_together() -> None:
    store = Store()

    async def scenario() -> list[Draft]:
        batches = DraftBatches(store.save_many, store.save_one)
        first = asyncio.ensure_future(batches.save(SESSION, _draft(1, 1), 0))
        await asyncio.sleep(0)  # the writer starts with the first save alone
        rest = [batches.save(SESSION, _draft(n, 1), 0) for n in range(2, 12)]
        return [await first, *await asyncio.gather(*rest)]

    saved = asyncio.run(scenario())
    assert [draft.seq for draft in saved] == [1] * 11
    assert [len(batch) for batch in store.batches] == [1, 10]
    assert store.seqs == {n: 1 for n in range(1, 12)}


def test_a_refused_save_gets_its_own_answer_and_the_others_are_stored() -> None:
    store = Store()
    store.seqs[3] = 5  # another process moved this draft on

    async def scenario() -> list[Draft | BaseException]:
        batches = DraftBatches(store.save_many, store.save_one)
        saves = [batches.save(SESSION, _draft(n, 6), 0 if n != 3 else 4) for n in (1, 2, 3, 4)]
        return await asyncio.gather(*saves, return_exceptions=True)

    answers = asyncio.run(scenario())
    assert isinstance(answers[2], DraftConflict)
    assert [getattr(answer, "seq", None) for answer in answers] == [6, 6, None, 6]
    assert store.seqs == {1: 6, 2: 6, 3: 5, 4: 6}


def test_a_failed_write_fails_its_saves_only_and_the_next_ones_are_written() -> None:
    store = Store()
    store.fail_next = True

    async def scenario() -> tuple[list[Draft | BaseException], Draft]:
        batches = DraftBatches(store.save_many, store.save_one)
        failed = await asyncio.gather(
            *(batches.save(SESSION, _draft(n, 1), 0) for n in (1, 2)), return_exceptions=True
        )
        return failed, await batches.save(SESSION, _draft(1, 1), 0)

    failed, later = asyncio.run(scenario())
    assert all(isinstance(answer, OSError) for answer in failed)
    assert later.seq == 1 and store.seqs == {1: 1}


def test_a_cancelled_save_is_left_out_and_the_others_go_on() -> None:
    store = Store()

    async def scenario() -> list[Draft]:
        batches = DraftBatches(store.save_many, store.save_one)
        busy = asyncio.ensure_future(batches.save(SESSION, _draft(1, 1), 0))
        await asyncio.sleep(0)
        cancelled = asyncio.ensure_future(batches.save(SESSION, _draft(2, 1), 0))
        kept = asyncio.ensure_future(batches.save(SESSION, _draft(3, 1), 0))
        await asyncio.sleep(0)
        cancelled.cancel()
        return [await busy, await kept]

    saved = asyncio.run(scenario())
    assert [draft.document_id for draft in saved] == [1, 3]
    assert store.seqs == {1: 1, 3: 1}


def test_a_long_queue_is_written_in_batches_of_bounded_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(draft_batches, "MOST_PER_BATCH", 4)
    store = Store()

    async def scenario() -> None:
        batches = DraftBatches(store.save_many, store.save_one)
        await asyncio.gather(*(batches.save(SESSION, _draft(n, 1), 0) for n in range(10)))

    asyncio.run(scenario())
    assert [len(batch) for batch in store.batches] == [4, 4, 2]


def test_a_writer_cancelled_mid_write_leaves_no_save_waiting() -> None:
    store = Store()

    async def scenario() -> list[BaseException | Draft]:
        batches = DraftBatches(store.save_many, store.save_one)
        first = asyncio.ensure_future(batches.save(SESSION, _draft(1, 1), 0))
        await asyncio.sleep(0)
        queued = asyncio.ensure_future(batches.save(SESSION, _draft(2, 1), 0))
        await asyncio.sleep(0)
        assert batches._writer is not None
        batches._writer.cancel()
        return await asyncio.wait_for(
            asyncio.gather(first, queued, return_exceptions=True), timeout=5
        )

    answers = asyncio.run(scenario())
    assert all(isinstance(answer, asyncio.CancelledError) for answer in answers)
