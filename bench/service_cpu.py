"""CPU seconds spent so far by the service, by process role, and by the PostgreSQL
server: a load phase's figures are the differences across it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import psutil  # type: ignore[import-untyped]

Meter = Callable[[], dict[str, float]]  # role -> CPU seconds so far
SETTLE_POLL_SECONDS = 0.5
SETTLE_IDLE_SHARE = 0.05  # of one core
SETTLE_MAX_SECONDS = 60.0
SERVING = "serving"


def this_process() -> Meter:
    return lambda: {"service": time.process_time()}


def service_tree(root: psutil.Process) -> Meter:
    """`blanche serve --workers N`: each uvicorn process on its own, then its
    webhook and PA workers, the heavy-work pools, and the supervisor."""

    def seconds() -> dict[str, float]:
        totals: dict[str, float] = {}
        family = [root, *_descendants(root)]
        serving = sorted(p.pid for p in family if _role(root, p) == SERVING)
        for process in family:
            try:
                times = process.cpu_times()
                role = _role(root, process)
            except psutil.NoSuchProcess:
                continue
            if role == SERVING:
                role = f"process {serving.index(process.pid) + 1}"
            totals[role] = totals.get(role, 0.0) + times.user + times.system
        return totals

    return seconds


def postgres_server_meter(data_dir: Path) -> Meter:
    """The PostgreSQL server whose postmaster runs `data_dir`, all its processes."""
    postmaster = psutil.Process(int((data_dir / "postmaster.pid").read_text().split()[0]))

    def seconds() -> dict[str, float]:
        total = 0.0
        for process in (postmaster, *_descendants(postmaster)):
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return {"PostgreSQL": total}

    return seconds


def spent(meter: Meter, before: dict[str, float]) -> dict[str, float]:
    return {role: total - before.get(role, 0.0) for role, total in meter().items()}


def settle(meter: Meter) -> None:
    """Wait until the service is idle (its work pools warmed up, the first
    requests' after-effects done): their CPU must not count in a phase."""
    deadline = time.monotonic() + SETTLE_MAX_SECONDS
    while time.monotonic() < deadline:
        before = meter()
        time.sleep(SETTLE_POLL_SECONDS)
        if sum(spent(meter, before).values()) < SETTLE_IDLE_SHARE * SETTLE_POLL_SECONDS:
            return


def _descendants(process: psutil.Process) -> list[psutil.Process]:
    try:
        return list(process.children(recursive=True))
    except psutil.NoSuchProcess:
        return []


def _role(root: psutil.Process, process: psutil.Process) -> str:
    try:
        if process.pid == root.pid:
            return "supervisor"
        command = " ".join(process.cmdline())
        if "webhooks worker" in command:
            return "webhook worker"
        if "pa worker" in command:
            return "PA worker"
        if process.ppid() == root.pid and "spawn_main" in command:
            return SERVING  # one of the serving processes
    except psutil.NoSuchProcess:
        pass
    return "work pools"
