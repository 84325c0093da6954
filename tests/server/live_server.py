"""The service under a real uvicorn, with its access log: see tests/live_server.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests import live_server as shared


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    with shared.live_server(app, ws="none", access_log=True) as url:
        yield url
