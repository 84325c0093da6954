"""The editor's apps under a real uvicorn (WebSockets on): see tests/live_server.py."""

from __future__ import annotations

from tests.live_server import live_server

__all__ = ["live_server"]
