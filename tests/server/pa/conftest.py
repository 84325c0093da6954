"""Fixtures of the PA channel tests: the sandbox PA as its own process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.server.pa.channel import FAST
from tests.server.pa.processes import sandbox_process


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with sandbox_process("--approve-seconds", "0.3", "--refuse-seconds", "0.6") as url:
        yield url


@pytest.fixture
def private_pa(app: Any) -> None:
    """The service may reach the sandbox on loopback (BLANCHE_PA_ALLOW_PRIVATE_TARGETS=1)."""
    app.state.pa_settings = FAST
