"""How late the process's event loop runs: the editor's measure of its own load.

When keystrokes queue up, what can wait does: the preview, which follows the user's
pauses, is spaced further apart (`stretch`), so that acknowledging keystrokes (the
form's totals, the findings) keeps its pace. A timer that should ring every 0.1 s
measures how late it rings; the lateness is smoothed over about a second.
"""

from __future__ import annotations

import asyncio
import contextlib

PERIOD = 0.1
SMOOTHING = 0.2  # weight of the newest sample
CALM = 0.005  # lateness under which nothing is stretched, in seconds
PER_STRETCH = 0.010  # each 10 ms of lateness over CALM adds 1 to the stretch
MOST_STRETCH = 4.0


def stretch_for(lateness: float) -> float:
    """1 when the loop is on time, up to 4 when it runs 35 ms late or more."""
    return min(MOST_STRETCH, 1.0 + max(0.0, lateness - CALM) / PER_STRETCH)


class LoopLag:
    def __init__(self) -> None:
        self.lateness = 0.0  # seconds, smoothed
        self._task: asyncio.Task[None] | None = None

    def stretch(self) -> float:
        return stretch_for(self.lateness)

    def start(self) -> None:
        """Start measuring in the running loop (once)."""
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._measure())

    async def _measure(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            expected = loop.time() + PERIOD
            await asyncio.sleep(PERIOD)
            late = max(0.0, loop.time() - expected)
            self.lateness += SMOOTHING * (late - self.lateness)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
