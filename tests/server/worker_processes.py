"""Background workers as real processes (`python -m server.cli NAME worker`), shared
by the webhook and PA tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def service_environment(settings: Settings) -> dict[str, str]:
    """The environment a process of the service reads its settings from."""
    return {
        **os.environ,
        "BLANCHE_VAR_DIR": str(settings.var_dir),
        "BLANCHE_DATABASE_URL": settings.database_url,
        "BLANCHE_SIGNING_KEYS": ",".join(settings.signing_keys),
    }


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as a supervisor stops it; killed if it does not stop in 20 s."""
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
def cli_worker(name: str, env: Mapping[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m server.cli NAME worker` until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", name, "worker"],
        cwd=ROOT,
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        stop_process(process)
