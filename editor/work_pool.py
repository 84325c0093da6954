"""Heavy work off the event loop: the official check and PDF rendering, in a small
pool of spawned worker processes, with deadlines, fair across tenants.

saxonche holds the GIL for a whole transform and a long document's PDF takes
hundreds of milliseconds: neither may run on the event loop's thread,
nor in the service process at all (its memory would keep what a render grew to).
Each worker is a process of its own (spawn start: no inherited locks or sockets),
warmed up once (its imports), and compiles the stylesheets on its first check
(invoicing/official.py).

- Fair: jobs wait in one queue per tenant and the workers take them round robin,
  so a tenant asking for many PDFs waits behind its own jobs only; a tenant with
  `per_tenant_queue` jobs waiting is refused at once (`PoolBusy`); official checks,
  which every open editor asks for when its user pauses, may wait 8 times more.
- Deadlines: a job not done `deadline` seconds after it was asked for is
  answered `DeadlineMissed`; its worker, if it had started it, is killed and
  replaced (a process cannot be interrupted otherwise), so a render that would
  take minutes holds a worker for the deadline at most.
- Bounded memory: a worker whose resident memory grew past `max_rss_bytes` after
  a job is replaced by a fresh one.
- A worker dies with the service process (PR_SET_PDEATHSIG on Linux, and it
  stops when its pipe to the service closes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from editor.pool_worker import Worker, park, start_worker, take_parked, wait_prewarmed
from invoicing.model import Document
from invoicing.profiles import Profile

logger = logging.getLogger("blanche.work")

Tenant = int | str
CHECK_QUEUE_FACTOR = 8


class PoolBusy(Exception):
    """The tenant has too many jobs waiting: ask again later."""


class DeadlineMissed(Exception):
    """The job was not done in time (its worker was stopped)."""


class WorkFailed(Exception):
    """The job raised in the worker (the message says what), or its worker died."""


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _fail(job: _Job, error: Exception) -> None:
    job.future.set_exception(error)
    job.future.exception()  # marked retrieved: its caller may have given up already


@dataclass(eq=False)
class _Job:
    name: str
    args: tuple[Any, ...]
    tenant: Tenant
    deadline: float  # loop time
    future: asyncio.Future[Any] = field(repr=False)


class WorkPool:
    """`await pool.check(...)`, `await pool.render_pdf(...)`; `close()` at shutdown.
    Workers start on first use (or `start()`), each in a process of its own."""

    def __init__(
        self,
        workers: int = 1,
        *,
        check_seconds: float = 30.0,
        pdf_seconds: float = 60.0,
        per_tenant_queue: int = 8,
        max_rss_bytes: int = 1024 * 1024 * 1024,
        warm: bool = True,
    ) -> None:
        if workers < 1:
            raise ValueError("at least one worker")
        self.workers = workers
        self.check_seconds, self.pdf_seconds = check_seconds, pdf_seconds
        self.per_tenant_queue = per_tenant_queue
        self.max_rss_bytes = max_rss_bytes
        self.warm = warm
        self._waiting: dict[Tenant, deque[_Job]] = {}
        self._turns: deque[Tenant] = deque()  # tenants with jobs waiting, in turn
        self._wakeup: asyncio.Event | None = None
        self._slots: list[asyncio.Task[None]] = []
        self._live: list[Worker | None] = [None] * workers
        self._available = [False] * workers  # idle with a worker, or warming the first one
        self._threads: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.started_workers = 0  # how many worker processes it started or took over

    # --- asking ---------------------------------------------------------------------

    async def check(
        self, document: Document, profile: Profile, french: bool, *, tenant: Tenant = 0
    ) -> dict[str, Any]:
        result: dict[str, Any] = await self.run(
            "check",
            (document.model_dump_json(), profile.value, french),
            tenant=tenant,
            seconds=self.check_seconds,
        )
        return result

    async def render_pdf(
        self,
        document: Document,
        profile: Profile,
        locale: str = "fr",
        *,
        logo: tuple[bytes, str] | None = None,  # the seller's: (content, media type)
        theme_css: str = "",
        tenant: Tenant = 0,
    ) -> bytes:
        logo_content, logo_mime = logo if logo is not None else (None, None)
        result: bytes = await self.run(
            "pdf",
            (document.model_dump_json(), profile.value, locale, logo_content, logo_mime, theme_css),
            tenant=tenant,
            seconds=self.pdf_seconds,
        )
        return result

    async def run(self, name: str, args: tuple[Any, ...], *, tenant: Tenant, seconds: float) -> Any:
        loop = asyncio.get_running_loop()
        self._start_slots(loop)
        waiting = self._waiting.setdefault(tenant, deque())
        limit = self.per_tenant_queue * (CHECK_QUEUE_FACTOR if name == "check" else 1)
        if len(waiting) >= limit:
            raise PoolBusy(f"{len(waiting)} jobs of this tenant are waiting")
        job = _Job(name, args, tenant, loop.time() + seconds, loop.create_future())
        if not waiting:
            self._turns.append(tenant)
        waiting.append(job)
        assert self._wakeup is not None
        self._wakeup.set()
        try:
            return await asyncio.wait_for(asyncio.shield(job.future), seconds)
        except TimeoutError:
            raise DeadlineMissed(f"{name} not done in {seconds:g} s") from None
        finally:
            if not job.future.done():
                job.future.cancel()  # not started yet: skipped; started: its worker stops

    def _next_job(self) -> _Job | None:
        while self._turns:
            tenant = self._turns.popleft()
            waiting = self._waiting.get(tenant)
            if not waiting:
                self._waiting.pop(tenant, None)
                continue
            job = waiting.popleft()
            if waiting:
                self._turns.append(tenant)
            else:
                del self._waiting[tenant]
            if not job.future.done():
                return job
        return None

    # --- the workers ----------------------------------------------------------------

    def start(self) -> None:
        """Start the workers now (they warm up in the background)."""
        self._start_slots(asyncio.get_running_loop())

    def _start_slots(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._slots:
            return
        self._wakeup = asyncio.Event()
        self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="blanche-work")
        self._slots = [loop.create_task(self._serve(slot)) for slot in range(self.workers)]

    def _spawn(self) -> Worker:
        parked = take_parked()
        if parked is None:
            wait_prewarmed()  # the worker started with the process: sooner than a new one
            parked = take_parked()
        if parked is not None:
            with self._lock:
                self.started_workers += 1
            return parked
        worker = start_worker(self.warm)  # one at a time: spawning in parallel is not safe
        with self._lock:
            self.started_workers += 1
        worker.wait_ready()
        return worker

    async def _worker(self, slot: int) -> Worker:
        worker = self._live[slot]
        if worker is None or not worker.process.is_alive():
            if worker is not None:
                worker.stop()
            loop = asyncio.get_running_loop()
            worker = await loop.run_in_executor(self._threads, self._spawn)
            self._live[slot] = worker
        return worker

    def _others_available(self, slot: int) -> bool:
        return any(self._available[other] for other in range(self.workers) if other != slot)

    def _retire(self, slot: int) -> None:
        worker = self._live[slot]
        self._live[slot] = None
        if worker is not None:
            worker.stop()

    async def _serve(self, slot: int) -> None:
        loop = asyncio.get_running_loop()
        assert self._wakeup is not None
        if slot == 0:  # the first worker warms up before the first job; others on demand
            self._available[slot] = True
            with contextlib.suppress(Exception):
                await self._worker(slot)
        while True:
            job = None
            if self._live[slot] is not None:
                job = self._next_job()
            elif self._turns and not self._others_available(slot):
                # Jobs wait and no slot with a worker is free: start one first, leaving the
                # jobs queued for whichever slot frees up first (a worker takes seconds to
                # start; a job it took would wait for it beside a warm worker done sooner).
                self._available[slot] = True
                try:
                    await self._worker(slot)
                except Exception as error:
                    logger.exception("work pool: a worker did not start")
                    self._available[slot] = False
                    failed = self._next_job()
                    if failed is not None:
                        _fail(failed, WorkFailed(f"no worker: {error}"))
                continue
            if job is None:
                self._available[slot] = self._live[slot] is not None
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            self._available[slot] = False
            if self._turns:  # more jobs wait: a slot without a worker may start one now
                self._wakeup.set()
            try:
                worker = await self._worker(slot)
            except Exception as error:
                logger.exception("work pool: a worker did not start")
                if not job.future.done():
                    _fail(job, WorkFailed(f"no worker: {error}"))
                continue
            call = loop.run_in_executor(self._threads, worker.call, job.name, job.args)
            call.add_done_callback(_retrieved)  # also when this slot stops (shutdown)
            remaining = job.deadline - loop.time()
            try:
                done, _ = await asyncio.wait(
                    {call, job.future},
                    timeout=max(remaining, 0),
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if call not in done:  # deadline, or nobody waits any more
                    self._retire(slot)  # its pipe closes: `call` ends with EOFError
                    with contextlib.suppress(Exception):
                        await call
                    if not job.future.done():
                        _fail(job, DeadlineMissed(job.name))
                    continue
                ok, result = call.result()
            except (EOFError, OSError) as error:
                self._retire(slot)
                if not job.future.done():
                    _fail(job, WorkFailed(f"the worker died: {error}"))
                continue
            if not job.future.done():
                if ok:
                    job.future.set_result(result)
                else:
                    _fail(job, WorkFailed(str(result)))
            if worker.rss > self.max_rss_bytes:
                logger.info("work pool: a worker grew to %d MB; replaced", worker.rss >> 20)
                self._retire(slot)

    def close(self) -> None:
        for task in self._slots:
            task.cancel()
        self._slots = []
        for slot in range(self.workers):
            worker = self._live[slot]
            self._live[slot] = None
            healthy = worker is not None and worker.rss <= self.max_rss_bytes
            if worker is not None and not (healthy and park(worker)):
                worker.stop()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
            self._threads = None
        for waiting in self._waiting.values():
            for job in waiting:
                if not job.future.done():
                    job.future.cancel()
        self._waiting.clear()
        self._turns.clear()
