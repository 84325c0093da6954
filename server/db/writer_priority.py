"""Write transactions first: a loop's other work waits for the writers it owes a turn.

On SQLite the writers of every process take turns on one lock (server/db/sqlite/
writers.py). A writer whose turn comes while its event loop is busy holds the lock,
and every other process's writers wait, until the loop comes back to it: under load,
behind each request queued on the loop before it (measured: 2.3 ms per hand-off,
with 1 ms of work in the transaction itself). So the writer says it is due, and the
work that would run before it and can wait (reading and checking a request's body,
building a draft) steps back until it has run. A writer never waits for this: it is
the only work that holds what other processes need.
"""

from __future__ import annotations

import asyncio
import threading
import weakref

# Each step back is one pass through the loop's ready callbacks, where the writer's
# resumption already is: a few at most. Bounded, so that a writer that never comes
# back (its task cancelled meanwhile) cannot hold the loop's other work for good.
MAX_STEPS_BACK = 32


class DueWriters:
    """How many writers of one event loop hold their turn and wait for the loop to
    run them. Marked from any thread, cleared on the loop."""

    __slots__ = ("_count", "_state")

    def __init__(self) -> None:
        self._state = threading.Lock()
        self._count = 0

    def mark(self) -> None:
        with self._state:
            self._count += 1

    def clear(self) -> None:
        with self._state:
            self._count = max(0, self._count - 1)

    def __bool__(self) -> bool:
        return self._count > 0


_BY_LOOP: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, DueWriters] = (
    weakref.WeakKeyDictionary()
)


def due_writers() -> DueWriters:
    """The running loop's."""
    loop = asyncio.get_running_loop()
    due = _BY_LOOP.get(loop)
    if due is None:
        due = _BY_LOOP[loop] = DueWriters()
    return due


async def after_due_writers() -> None:
    """Step back until the running loop's due writers have run (at most
    `MAX_STEPS_BACK` passes of the loop)."""
    due = _BY_LOOP.get(asyncio.get_running_loop())
    steps = 0
    while due and steps < MAX_STEPS_BACK:
        await asyncio.sleep(0)
        steps += 1
