"""Delivery workers as real processes (`python -m server.cli webhooks worker`)."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from server.settings import Settings
from tests.server.worker_processes import cli_worker, service_environment


def worker_environment(settings: Settings, **overrides: str) -> dict[str, str]:
    hooks = settings.webhooks
    env = {
        **service_environment(settings),
        "BLANCHE_WEBHOOKS_ALLOW_HTTP": "1" if hooks.allow_http else "",
        "BLANCHE_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1" if hooks.allow_private_targets else "",
        "BLANCHE_WEBHOOKS_TIMEOUT_SECONDS": str(hooks.timeout_seconds),
        "BLANCHE_WEBHOOKS_LEASE_SECONDS": str(hooks.lease_seconds),
        "BLANCHE_WEBHOOKS_RETRY_BASE_SECONDS": str(hooks.retry_base_seconds),
        "BLANCHE_WEBHOOKS_RETRY_CAP_SECONDS": str(hooks.retry_cap_seconds),
        # Long enough that a busy database never makes a retried event give up here.
        "BLANCHE_WEBHOOKS_RETRY_WINDOW_SECONDS": "120",
        "BLANCHE_WEBHOOKS_POLL_SECONDS": str(hooks.poll_seconds),
        "BLANCHE_WEBHOOKS_CONCURRENCY": str(hooks.concurrency),
    }
    env.update(overrides)
    return env


@contextmanager
def worker_process(settings: Settings, **overrides: str) -> Iterator[subprocess.Popen[bytes]]:
    with cli_worker("webhooks", worker_environment(settings, **overrides)) as process:
        yield process


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
