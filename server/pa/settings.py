"""The PA channel's settings (`BLANCHE_PA_*`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PaSettings:
    # Loopback and private addresses as PA endpoints: tests, the sandbox, on-premise.
    allow_private_targets: bool = False
    poll_seconds: float = 0.25  # how often the worker looks for due transmissions
    status_poll_seconds: float = 2.0  # how often it asks each platform for new statuses
    timeout_seconds: float = 20.0
    concurrency: int = 4
    max_attempts: int = 25  # about a day of backoff, then a person is asked
    lease_seconds: float = 120.0  # a worker that dies frees its flows after this
    report_check_seconds: float = 300.0  # how often ended e-reporting periods are looked for

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PaSettings:
        env = os.environ if environ is None else environ
        return cls(
            allow_private_targets=env.get("BLANCHE_PA_ALLOW_PRIVATE_TARGETS", "") == "1",
            poll_seconds=float(env.get("BLANCHE_PA_POLL_SECONDS") or 0.25),
            status_poll_seconds=float(env.get("BLANCHE_PA_STATUS_POLL_SECONDS") or 2.0),
            timeout_seconds=float(env.get("BLANCHE_PA_TIMEOUT_SECONDS") or 20.0),
            concurrency=int(env.get("BLANCHE_PA_CONCURRENCY") or 4),
            max_attempts=int(env.get("BLANCHE_PA_MAX_ATTEMPTS") or 25),
            lease_seconds=float(env.get("BLANCHE_PA_LEASE_SECONDS") or 120.0),
            report_check_seconds=float(env.get("BLANCHE_PA_REPORT_CHECK_SECONDS") or 300.0),
        )
