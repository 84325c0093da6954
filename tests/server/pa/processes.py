"""The sandbox PA and the PA worker as real processes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from server.settings import Settings
from tests.live_server import loopback_socket
from tests.server.worker_processes import ROOT, cli_worker, service_environment, stop_process

CLIENT_SECRET = "sandbox-test-secret"


def free_port() -> int:
    sock = loopback_socket()
    try:
        return int(sock.getsockname()[1])
    finally:
        sock.close()


@contextmanager
def sandbox_process(*options: str) -> Iterator[str]:
    """`blanche pa-sandbox` on a free loopback port; yields its URL."""
    for _ in range(5):  # the port may be taken between finding and binding it
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "pa-sandbox",
                "--port",
                str(port),
                "--client-secret",
                CLIENT_SECRET,
                *options,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/sandbox/flows", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        if process.poll() is None:
            try:
                yield url
            finally:
                stop_process(process)
            return
        stop_process(process)
    raise RuntimeError("the PA sandbox did not start")


def worker_environment(settings: Settings, **overrides: str) -> dict[str, str]:
    return {
        **service_environment(settings),
        "BLANCHE_PA_ALLOW_PRIVATE_TARGETS": "1",
        "BLANCHE_PA_POLL_SECONDS": "0.05",
        "BLANCHE_PA_STATUS_POLL_SECONDS": "0.2",
        **overrides,
    }


@contextmanager
def worker_process(settings: Settings, **overrides: str) -> Iterator[subprocess.Popen[bytes]]:
    with cli_worker("pa", worker_environment(settings, **overrides)) as process:
        yield process
