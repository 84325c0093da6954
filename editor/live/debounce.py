"""The timer behind autosave, the preview and the official check: it runs its
action when the user pauses."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Coroutine
from typing import Any


class Debounce:
    """Runs `action` once the calls stop for `idle` seconds (or `longest` after the
    first), and never sooner than `spacing` seconds after its last run.

    `spacing` is also multiplied by `load_stretch()` (the process's load, see
    editor.loop_lag). `longest` and `spacing` are stretched by a random factor in
    1 ± `jitter`, drawn each round: drafts that started together (a crowd reconnecting
    after a restart) drift apart instead of saving and rendering all in the same instant.

    A poke only moves the deadline; the one timer, when it rings early, sleeps
    again until the deadline (a keystroke costs no timer of its own)."""

    def __init__(
        self,
        idle: float,
        longest: float | None,
        action: Callable[[], Coroutine[Any, Any, None]],
        spacing: float = 0.0,
        jitter: float = 0.0,
        load_stretch: Callable[[], float] | None = None,
    ):
        self._idle, self._longest, self._action = idle, longest, action
        self._spacing, self._jitter = spacing, jitter
        self._load_stretch = load_stretch
        self._stretch = 1.0
        self._handle: asyncio.TimerHandle | None = None
        self._first: float | None = None
        self._deadline = 0.0
        self._last_run = float("-inf")
        self._tasks: set[asyncio.Task[None]] = set()

    def poke(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._first is None:
            self._first = now
            self._stretch = random.uniform(1 - self._jitter, 1 + self._jitter)
        self._deadline = now + self._idle
        if self._longest is not None:
            self._deadline = min(self._deadline, self._first + self._longest * self._stretch)
        spacing = self._spacing * self._stretch
        if self._load_stretch is not None:
            spacing *= self._load_stretch()
        self._deadline = max(self._deadline, self._last_run + spacing)
        if self._handle is None:
            self._handle = loop.call_at(self._deadline, self._ring)

    def _ring(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() < self._deadline:
            self._handle = loop.call_at(self._deadline, self._ring)
            return
        self._handle, self._first, self._last_run = None, None, loop.time()
        task = loop.create_task(self._action())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle, self._first = None, None

    async def drain(self) -> None:
        """Wait for the runs already started."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
