"""Repeated wall-clock timing of one callable, with warm-up and a time budget."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass

_NS_PER_MS = 1_000_000


def _percentile_ms(sorted_ns: tuple[int, ...], fraction: float) -> float:
    """Nearest-rank percentile in milliseconds (`fraction` in (0, 1])."""
    # ceil(permille * n / 1000) in integers: 0.99 * 100 is not 99 in floats.
    permille = round(fraction * 1000)
    rank = max(1, -(-permille * len(sorted_ns) // 1000))
    return sorted_ns[rank - 1] / _NS_PER_MS


@dataclass(frozen=True, slots=True)
class Samples:
    """Sorted wall-clock and CPU durations (ns) of the timed runs of one callable.

    The CPU time of this process barely moves when other processes compete
    for the cores; a wall p50 well above the CPU p50 means the run was
    crowded out (or the work waited, e.g. on I/O).
    """

    durations_ns: tuple[int, ...]
    cpu_ns: tuple[int, ...]

    @property
    def n(self) -> int:
        return len(self.durations_ns)

    @property
    def p50_ms(self) -> float:
        return _percentile_ms(self.durations_ns, 0.5)

    @property
    def p99_ms(self) -> float:
        return _percentile_ms(self.durations_ns, 0.99)

    @property
    def cpu_p50_ms(self) -> float:
        return _percentile_ms(self.cpu_ns, 0.5)


def measure(
    action: Callable[[], object],
    *,
    warmup: int,
    min_runs: int,
    max_runs: int,
    budget_s: float,
) -> Samples:
    """Run `action` `warmup` times untimed, then time it at least `min_runs`
    and at most `max_runs` times, stopping once `budget_s` seconds are spent.

    The garbage collector stays on (the service runs with it) but starts each
    series from a clean heap so one series does not pay for the previous one.
    """
    for _ in range(warmup):
        action()
    gc.collect()
    clock, cpu_clock = time.perf_counter_ns, time.process_time_ns
    deadline = clock() + int(budget_s * 1e9)
    durations: list[int] = []
    cpu: list[int] = []
    while len(durations) < max_runs:
        # The CPU clock is read outside the wall-clock window (it is a syscall).
        cpu_start = cpu_clock()
        start = clock()
        action()
        end = clock()
        cpu.append(cpu_clock() - cpu_start)
        durations.append(end - start)
        if len(durations) >= min_runs and end >= deadline:
            break
    return Samples(tuple(sorted(durations)), tuple(sorted(cpu)))
