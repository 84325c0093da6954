"""The sandbox PA and the PA worker as real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from server.settings import Settings
from tests.live_server import loopback_socket

ROOT = Path(__file__).resolve().parents[3]
CLIENT_SECRET = "sandbox-test-secret"


def free_port() -> int:
    sock = loopback_socket()
    try:
        return int(sock.getsockname()[1])
    finally:
        sock.close()


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stderr is not None:
        process.stderr.close()


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
        **os.environ,
        "BLANCHE_VAR_DIR": str(settings.var_dir),
        "BLANCHE_DATABASE_URL": settings.database_url,
        "BLANCHE_SIGNING_KEYS": ",".join(settings.signing_keys),
        "BLANCHE_PA_ALLOW_PRIVATE_TARGETS": "1",
        "BLANCHE_PA_POLL_SECONDS": "0.05",
        "BLANCHE_PA_STATUS_POLL_SECONDS": "0.2",
        **overrides,
    }


@contextmanager
def worker_process(settings: Settings, **overrides: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "pa", "worker"],
        cwd=ROOT,
        env=worker_environment(settings, **overrides),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        stop_process(process)
