"""Benchmark rows, the plain-text table and the JSON file."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.timing import Samples

COLUMNS = ("name", "target", "p50", "p99", "n", "verdict", "cpu p50", "note")


@dataclass(frozen=True, slots=True)
class Row:
    """One measured (or unavailable) benchmark. `target_ms` applies to p50."""

    name: str
    target_ms: float | None
    samples: Samples | None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.samples is None:
            return "n/a"
        if self.target_ms is None:
            return "-"
        if self.samples.p50_ms <= self.target_ms:
            return "PASS"
        # Still a miss, but flag when only other processes' load made it one.
        return "MISS*" if self.samples.cpu_p50_ms <= self.target_ms else "MISS"

    def cells(self) -> tuple[str, ...]:
        target = f"<= {format_ms(self.target_ms)}" if self.target_ms is not None else "-"
        if self.samples is None:
            return (self.name, target, "-", "-", "0", self.verdict, "-", self.note)
        return (
            self.name,
            target,
            format_ms(self.samples.p50_ms),
            format_ms(self.samples.p99_ms),
            str(self.samples.n),
            self.verdict,
            format_ms(self.samples.cpu_p50_ms),
            self.note,
        )

    def as_dict(self) -> dict[str, Any]:
        samples = self.samples
        return {
            "name": self.name,
            "target_p50_ms": self.target_ms,
            "p50_ms": samples.p50_ms if samples else None,
            "p99_ms": samples.p99_ms if samples else None,
            "n": samples.n if samples else 0,
            "cpu_p50_ms": samples.cpu_p50_ms if samples else None,
            "verdict": self.verdict,
            "note": self.note,
        }


def format_ms(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 1:
        return f"{value:.2f} ms"
    return f"{value:.3f} ms"


def ratio(numerator: Samples | None, denominator: Samples | None) -> str:
    """'12.3x': how many times the p50 of `numerator` exceeds that of `denominator`."""
    if numerator is None or denominator is None or denominator.p50_ms == 0:
        return "?"
    value = numerator.p50_ms / denominator.p50_ms
    if value >= 10:
        return f"{value:.0f}x"
    return f"{value:.2f}x" if value < 1 else f"{value:.1f}x"


def render_table(rows: list[Row]) -> str:
    grid = [COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in grid) for i in range(len(COLUMNS))]
    right_aligned = {2, 3, 4, 6}

    def fmt(line: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(width) if i in right_aligned else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        return " | ".join(cells).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([fmt(grid[0]), rule, *(fmt(line) for line in grid[1:])])


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def write_json(path: Path, rows: list[Row], before: dict[str, Any], after: dict[str, Any]) -> None:
    payload = {
        "environment_before": before,
        "environment_after": after,
        "rows": [row.as_dict() for row in rows],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
