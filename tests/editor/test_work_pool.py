"""The work pool (real worker processes): fair across tenants, bounded per tenant,
and its workers answer after one was stopped for a missed deadline."""

from __future__ import annotations

import asyncio

import pytest

from editor.work_pool import DeadlineMissed, PoolBusy, WorkPool
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice


def test_tenants_take_turns_and_a_tenant_can_only_queue_so_much() -> None:
    async def scenario() -> None:
        pool = WorkPool(1, per_tenant_queue=1, warm=False)  # checks: 8 may wait
        finished: list[str] = []

        async def job(name: str, tenant: str) -> None:
            await pool.check(demo_invoice(1), Profile.EN16931, False, tenant=tenant)
            finished.append(name)

        try:
            await job("warm", "a")  # the worker is up: what follows only waits in turn
            greedy = [asyncio.create_task(job(f"a{n}", "a")) for n in range(1, 9)]
            await asyncio.sleep(0)  # a1-a8 wait (the worker takes a1 next)
            with pytest.raises(PoolBusy):  # a's queue is full
                await pool.check(demo_invoice(1), Profile.EN16931, False, tenant="a")
            polite = asyncio.create_task(job("b1", "b"))
            await asyncio.gather(*greedy, polite)
        finally:
            pool.close()
        # b's only job came in turn with a's, not after all of them.
        assert finished.index("b1") < finished.index("a3"), finished

    asyncio.run(scenario())


def test_a_missed_deadline_stops_its_worker_and_the_next_job_gets_a_fresh_one() -> None:
    async def scenario() -> None:
        pool = WorkPool(1, warm=False)
        try:
            assert (await pool.render_pdf(demo_invoice(1), Profile.EN16931)).startswith(b"%PDF-")
            pool.pdf_seconds = 0.5  # the worker is up: this one starts, and is too long
            long = demo_invoice(1)
            # ~2 s of Typst layout on a quiet machine: well past the deadline under any load.
            long = long.model_copy(update={"lines": long.lines * 5000})
            with pytest.raises(DeadlineMissed):
                await pool.render_pdf(long, Profile.EN16931)
            pool.pdf_seconds = 300
            pdf = await pool.render_pdf(demo_invoice(1), Profile.EN16931)
            assert pdf.startswith(b"%PDF-")
            assert pool.started_workers == 2
        finally:
            pool.close()

    asyncio.run(scenario())
