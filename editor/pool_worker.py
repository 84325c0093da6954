"""The work pool's workers: what runs in a worker process (the jobs, warm-up, its
loop over the pipe), and, in the service process, the handle on one worker, the
thread that starts them and the idle ones kept for the next pool
(`editor.work_pool`)."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from invoicing.model import Document
from invoicing.profiles import Profile

logger = logging.getLogger("blanche.work")


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def check_document(document_json: str, profile: str, french: bool) -> dict[str, Any]:
    """Write the CII XML and run the official checks."""
    from invoicing.cii.writer import to_xml_bytes
    from invoicing.official import official_check

    document = Document.model_validate_json(document_json)
    xml = to_xml_bytes(document, Profile(profile))
    return official_check(xml, Profile(profile), french=french).as_dict()


def render_document_pdf(
    document_json: str,
    profile: str,
    locale: str,
    logo: bytes | None = None,
    logo_mime: str | None = None,
    theme_css: str = "",
) -> bytes:
    from invoicing.pdf.render import render_pdf

    document = Document.model_validate_json(document_json)
    return render_pdf(
        document,
        Profile(profile),
        locale=locale,
        logo=logo,
        logo_mime=logo_mime,
        theme_css=theme_css,
    )


JOBS: dict[str, Callable[..., Any]] = {
    "check": check_document,
    "pdf": render_document_pdf,
}


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _warm_up(compile_checks: bool) -> None:
    """Imports (saxonche: seconds) and the PDF compiler with its fonts (a tenth of a
    second); with `compile_checks`, also the official check of a sample, which
    compiles its stylesheets (the first save's job). Never a PDF: the first job may
    be a user's check, which should not wait for a PDF to be rendered first."""
    import invoicing.official
    import invoicing.pdf.render  # noqa: F401
    from invoicing.pdf.pages import renderer

    renderer()

    if compile_checks:
        from invoicing.samples import demo_invoice

        check_document(demo_invoice(1).model_dump_json(), Profile.EN16931.value, True)


def worker_main(connection: Connection, warm: bool, compile_checks: bool = False) -> None:
    """A worker's life: warm up, then answer jobs until the pipe closes."""
    _die_with_parent()
    if warm:
        try:
            _warm_up(compile_checks)
        except Exception:  # a worker that cannot warm up still serves (and says why)
            logger.exception("work pool warm-up failed")
    connection.send(("ready", _rss_bytes()))
    while True:
        try:
            name, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            result = JOBS[name](*args)
        except Exception as error:
            connection.send((False, f"{type(error).__name__}: {error}", _rss_bytes()))
        else:
            connection.send((True, result, _rss_bytes()))


# --- in the service process: the worker processes ------------------------------------


class Worker:
    """One worker process and the service's end of its pipe (one call at a time)."""

    def __init__(self, warm: bool, compile_checks: bool = False) -> None:
        self.in_use = threading.Lock()  # held for a whole call: answers never cross
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=worker_main,
            args=(child, warm, compile_checks),
            name="blanche-work",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.rss = 0

    def wait_ready(self) -> None:
        message = self.connection.recv()
        self.rss = int(message[1])

    def call(self, name: str, args: tuple[Any, ...]) -> tuple[bool, Any]:
        with self.in_use:
            self.connection.send((name, args))
            ok, result, rss = self.connection.recv()
        self.rss = int(rss)
        return bool(ok), result

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


# Idle workers of pools closed in this process, for the next pool to take over:
# starting one costs seconds (spawn, imports, compiled stylesheets). A service builds
# one pool for its life; a test suite builds hundreds of apps, each with its pool.
_PARKED: list[Worker] = []
_PARKED_LOCK = threading.Lock()
MAX_PARKED = 2


# Workers are started from one thread that lives as long as the process: the kernel
# kills a worker (PR_SET_PDEATHSIG) when the thread that started it ends, and a pool's
# own threads end with the pool.
_STARTER: ThreadPoolExecutor | None = None


def start_worker(warm: bool, compile_checks: bool = False) -> Worker:
    global _STARTER
    with _PARKED_LOCK:
        if _STARTER is None:
            _STARTER = ThreadPoolExecutor(1, thread_name_prefix="blanche-work-start")
        starter = _STARTER
    return starter.submit(Worker, warm, compile_checks).result()


# A service process starts its first worker as it starts (`prewarm`), in the
# background: spawning it, its imports and the official check's stylesheets take
# seconds, which the first save of the process would otherwise wait for. The worker
# is parked; the process's first pool takes it, waiting for it if it is still warming
# (sooner than a worker started then).
_PREWARMED: threading.Event | None = None


def prewarm() -> None:
    """Start one worker now, in the background, for this process's first pool."""
    global _PREWARMED
    with _PARKED_LOCK:
        if _PREWARMED is not None:
            return
        _PREWARMED = done = threading.Event()

    def warm() -> None:
        try:
            worker = start_worker(True, compile_checks=True)
            worker.wait_ready()
            if not park(worker):
                worker.stop()
        except Exception:
            logger.exception("work pool: the worker started in advance did not start")
        finally:
            done.set()

    threading.Thread(target=warm, name="blanche-work-prewarm", daemon=True).start()


def wait_prewarmed() -> None:
    """Wait for the worker `prewarm` started, if it is still warming up."""
    event = _PREWARMED
    if event is not None:
        event.wait()


def take_parked() -> Worker | None:
    with _PARKED_LOCK:
        while _PARKED:
            worker = _PARKED.pop()
            if worker.process.is_alive():
                return worker
            worker.stop()
    return None


def park(worker: Worker) -> bool:
    """Keep an idle, healthy worker for later; False when it must be stopped."""
    if not worker.process.is_alive() or not worker.in_use.acquire(blocking=False):
        return False  # dead, or a call is still running on it
    try:
        with _PARKED_LOCK:
            if len(_PARKED) >= MAX_PARKED:
                return False
            _PARKED.append(worker)
            return True
    finally:
        worker.in_use.release()
