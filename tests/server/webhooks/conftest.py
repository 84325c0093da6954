"""Webhook test fixtures: a fast retry schedule, loopback targets allowed, a receiver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.settings import Settings, WebhookSettings
from tests.server.webhooks.receiver import Receiver, running_receiver

FAST = WebhookSettings(
    allow_http=True,
    allow_private_targets=True,
    timeout_seconds=1.0,
    retry_base_seconds=0.05,
    retry_cap_seconds=0.2,
    retry_window_seconds=1.5,
    lease_seconds=5.0,
    poll_seconds=0.02,
    concurrency=16,
)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url=database_url,
        signing_keys=("test-signing-key",),
        public_url="https://blanche.test",
        webhooks=FAST,
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running
