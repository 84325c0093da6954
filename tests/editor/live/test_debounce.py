"""The timers behind autosave, preview and the official check (editor.live.debounce)."""

from __future__ import annotations

import asyncio
import itertools

from editor.live.debounce import Debounce


async def _typing(debounce: Debounce, every: float, times: int) -> float:
    """Pokes `times` times, `every` seconds apart; the loop's time of the last poke."""
    loop = asyncio.get_running_loop()
    last = loop.time()
    for _ in range(times):
        last = loop.time()
        debounce.poke()
        await asyncio.sleep(every)
    return last


def test_it_runs_once_the_pokes_stop_and_keeps_a_single_timer() -> None:
    async def scenario() -> list[float]:
        loop = asyncio.get_running_loop()
        runs: list[float] = []

        async def action() -> None:
            runs.append(loop.time())

        # The delay is 30 times the keystrokes' spacing: a loaded machine stretched a
        # 10 ms sleep past a 50 ms delay, and the action ran mid-typing.
        debounce = Debounce(0.3, None, action)
        start = loop.time()
        timers_before = len(loop._scheduled)  # type: ignore[attr-defined]
        for _ in range(20):
            debounce.poke()
        assert len(loop._scheduled) == timers_before + 1  # type: ignore[attr-defined]
        # ~0.1 s of keystrokes; the time is the last poke's, not the end of the sleep
        # after it (which a loaded machine can stretch past the debounce's delay).
        last_poke = await _typing(debounce, 0.01, 10)
        await asyncio.sleep(0.6)
        await debounce.drain()
        assert len(runs) == 1
        assert runs[0] >= last_poke + 0.29 and runs[0] - start >= 0.39
        return runs

    asyncio.run(scenario())


def test_longest_and_spacing_bound_the_wait_and_the_rate() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        runs: list[float] = []

        async def action() -> None:
            runs.append(loop.time())

        # Pokes every 20 ms for 0.6 s: never idle for 50 ms, so `longest` decides,
        # and `spacing` keeps runs 0.25 s apart at least.
        debounce = Debounce(0.05, 0.1, action, spacing=0.25)
        start = loop.time()
        await _typing(debounce, 0.02, 30)
        await asyncio.sleep(0.4)
        await debounce.drain()
        assert 0.09 <= runs[0] - start <= 0.4
        gaps = [b - a for a, b in itertools.pairwise(runs)]
        assert len(runs) >= 2 and all(gap >= 0.24 for gap in gaps)

    asyncio.run(scenario())


def test_jitter_stretches_each_round_within_its_bounds() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()

        async def action() -> None:
            return None

        waits = []
        for _ in range(20):
            debounce = Debounce(1.0, 0.05, action, spacing=0.3, jitter=0.5)
            start = loop.time()
            debounce.poke()  # `idle` is long: `longest` x (1 ± 0.5) decides
            waits.append(debounce._deadline - start)
            debounce.cancel()
        assert all(0.025 <= wait <= 0.075 for wait in waits), waits
        assert max(waits) - min(waits) > 0.005  # drawn, not fixed

    asyncio.run(scenario())


def test_a_loaded_process_spaces_its_previews_further_apart() -> None:
    from editor.loop_lag import LoopLag, stretch_for

    assert stretch_for(0.0) == stretch_for(0.005) == 1.0
    assert abs(stretch_for(0.015) - 2.0) < 1e-9 and stretch_for(1.0) == 4.0

    async def scenario() -> None:
        loop = asyncio.get_running_loop()

        async def action() -> None:
            return None

        load = [1.0]
        debounce = Debounce(0.01, None, action, spacing=0.2, load_stretch=lambda: load[0])
        debounce._last_run = loop.time()
        debounce.poke()
        assert abs(debounce._deadline - debounce._last_run - 0.2) < 0.01
        debounce.cancel()
        load[0] = 3.0
        debounce.poke()
        assert abs(debounce._deadline - debounce._last_run - 0.6) < 0.01
        debounce.cancel()

        lag = LoopLag()
        lag.start()
        await asyncio.sleep(0.35)
        calm = lag.lateness
        for _ in range(6):  # keystrokes that hold the loop 60 ms each
            deadline = loop.time() + 0.06
            while loop.time() < deadline:
                pass
            await asyncio.sleep(0)
        await asyncio.sleep(0.25)
        assert lag.lateness > calm and lag.stretch() > 1.0
        await lag.stop()

    asyncio.run(scenario())
