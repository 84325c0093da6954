"""Fixtures shared by every test package: Debian's Chromium for Playwright."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Playwright drives Debian's Chromium, which `make test` installs from Debian."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: `make test` installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url() -> str | None:
    # pytest-playwright 0.10 provides this fixture as a method of a plugin
    # object, which pytest 9 deprecates (a warning, so an error here).
    return None


def _uses_a_browser(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "page" in names or "browser" in names or "context" in names


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in
    the main thread for the rest of the session, and `asyncio.run` refuses to
    start inside one."""
    items.sort(key=_uses_a_browser)
