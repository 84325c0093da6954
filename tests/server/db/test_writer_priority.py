"""Work that can wait steps back for the loop's due writers, a bounded number of times."""

from __future__ import annotations

import asyncio
import threading

from server.db.writer_priority import MAX_STEPS_BACK, after_due_writers, due_writers


async def _passes_while(work: asyncio.Task[None]) -> int:
    """How many passes of the loop `work` takes to finish."""
    passes = 0
    while not work.done():
        await asyncio.sleep(0)
        passes += 1
    return passes


def test_nothing_due_costs_no_pass_of_the_loop() -> None:
    async def scenario() -> int:
        return await _passes_while(asyncio.create_task(after_due_writers()))

    assert asyncio.run(scenario()) <= 1  # the task's own first step


def test_work_steps_back_until_the_due_writer_has_run() -> None:
    async def scenario() -> list[str]:
        order: list[str] = []
        due = due_writers()
        marked = threading.Thread(target=due.mark)  # taken on a connection's thread
        marked.start()
        marked.join()

        async def work() -> None:
            await after_due_writers()
            order.append("work")

        async def writer() -> None:
            for _ in range(3):  # the writer's resumption: a few passes of the loop
                await asyncio.sleep(0)
            order.append("writer")
            due.clear()

        await asyncio.gather(work(), writer())
        assert not due
        return order

    assert asyncio.run(scenario()) == ["writer", "work"]


def test_a_writer_that_never_comes_back_holds_the_other_work_a_bounded_time() -> None:
    async def scenario() -> int:
        due_writers().mark()  # and never cleared
        return await _passes_while(asyncio.create_task(after_due_writers()))

    assert MAX_STEPS_BACK <= asyncio.run(scenario()) <= MAX_STEPS_BACK + 2


def test_each_loop_has_its_own_due_writers() -> None:
    async def marked() -> None:
        due_writers().mark()

    asyncio.run(marked())

    async def fresh() -> bool:
        return bool(due_writers())

    assert asyncio.run(fresh()) is False
