"""The service as its own process (`python -m server.cli serve`), as it runs in
production, on a loopback port; its settings passed through `BLANCHE_*` variables."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import psutil  # type: ignore[import-untyped]

from server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 120.0


def service_environment(settings: Settings) -> dict[str, str]:
    limits = settings.limits
    return {
        **os.environ,
        "BLANCHE_VAR_DIR": str(settings.var_dir),
        "BLANCHE_DATABASE_URL": settings.database_url,
        "BLANCHE_SIGNING_KEYS": ",".join(settings.signing_keys),
        "BLANCHE_PUBLIC_URL": settings.public_url,
        "BLANCHE_ACCOUNT_CREATIONS_PER_HOUR": str(settings.account_creations_per_hour),
        "BLANCHE_MAX_BODY_BYTES": str(settings.max_body_bytes),
        "BLANCHE_BODY_SECONDS": str(settings.body_seconds),
        "BLANCHE_API_RATE_PER_SECOND": str(limits.rate_per_second),
        "BLANCHE_API_BURST": str(limits.burst),
        "BLANCHE_API_PARTNER_IN_FLIGHT": str(limits.partner_in_flight),
        "BLANCHE_API_WORK_SLOTS": str(limits.work_slots),
        "BLANCHE_API_PARTNER_WORK_SLOTS": str(limits.partner_work_slots),
        "BLANCHE_API_QUEUE_SECONDS": str(limits.queue_seconds),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def service_process(settings: Settings) -> Iterator[str]:
    """`blanche serve` on 127.0.0.1 with these settings, until the block ends: its URL.
    The database is migrated by the service as it starts."""
    with running_service(settings) as (base, _):
        yield base


@contextmanager
def running_service(settings: Settings, workers: int = 1) -> Iterator[tuple[str, int]]:
    """`blanche serve --workers N` on 127.0.0.1: its URL and its process id."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=service_environment(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(process, base, log)
            if workers > 1:
                _wait_until_listening(process, port, workers, log)
            yield base, process.pid
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_until_serving(process: subprocess.Popen[bytes], base: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited ({process.returncode}): {_tail(log)}")
        try:
            if httpx.get(base + "/api/v1/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the service did not start: {_tail(log)}")


def listening_processes(pid: int, port: int) -> list[psutil.Process]:
    """The processes under `pid` that listen on `port` (each service process has a
    socket of its own with `--workers N`)."""
    listening = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            sockets = child.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        if any(s.status == psutil.CONN_LISTEN and s.laddr.port == port for s in sockets):
            listening.append(child)
    return listening


def _wait_until_listening(
    process: subprocess.Popen[bytes], port: int, workers: int, log: IO[bytes]
) -> None:
    """One process answered: wait for the others to listen too, so that the kernel
    spreads the first connections over all of them."""
    deadline = time.monotonic() + START_SECONDS
    while len(listening_processes(process.pid, port)) < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{workers} service processes did not all listen: {_tail(log)}")
        time.sleep(0.1)


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read()[-3000:].decode(errors="replace")
