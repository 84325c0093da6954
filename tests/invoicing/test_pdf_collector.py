"""The cyclic garbage collector is off while a PDF renders, and as it was afterwards."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from invoicing import pdf
from invoicing.pdf import render_pdf
from invoicing.samples import demo_invoice


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations the collector starts on, as they happen."""
    started: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield started
    finally:
        gc.callbacks.remove(record)


def test_no_collection_runs_during_a_rendering(
    collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    render = pdf._render_pdf
    seen: list[tuple[bool, int]] = []

    def observed(*args: Any) -> bytes:
        collections.clear()
        result = render(*args)
        seen.append((gc.isenabled(), len(collections)))
        return result

    monkeypatch.setattr(pdf, "_render_pdf", observed)
    document = demo_invoice(30)
    render_pdf(document)  # the first rendering also imports and builds caches
    render_pdf(document)
    assert seen == [(False, 0), (False, 0)]
    assert gc.isenabled()
    gc.collect()
    assert collections  # the recorder sees collections when there are some


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        render_pdf(demo_invoice(1))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_on_again_after_concurrent_renderings() -> None:
    errors: list[BaseException] = []

    def render() -> None:
        try:
            render_pdf(demo_invoice(5))
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=render) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert gc.isenabled()
