"""`blanche webhooks worker` and `blanche webhooks purge` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.cli import main
from server.settings import Settings, SettingsError, WebhookSettings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("BLANCHE_DATABASE_URL", raising=False)
    return tmp_path / "var"


def test_worker_until_idle_and_purge(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhooks", "worker", "--until-idle"]) == 0
    assert main(["webhooks", "purge"]) == 0
    assert "purged 0 log entries and 0 events" in capsys.readouterr().out


def test_webhook_settings_from_the_environment(tmp_path: Path) -> None:
    base = {"BLANCHE_VAR_DIR": str(tmp_path)}
    assert Settings.from_env(base).webhooks == WebhookSettings()
    custom = Settings.from_env(
        {
            **base,
            "BLANCHE_WEBHOOKS_ALLOW_HTTP": "1",
            "BLANCHE_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
            "BLANCHE_WEBHOOKS_TIMEOUT_SECONDS": "2.5",
            "BLANCHE_WEBHOOKS_RETRY_WINDOW_SECONDS": "60",
            "BLANCHE_WEBHOOKS_CONCURRENCY": "4",
        }
    ).webhooks
    assert custom.allow_http and custom.allow_private_targets
    assert (custom.timeout_seconds, custom.retry_window_seconds) == (2.5, 60.0)
    assert custom.lease_seconds == 60.0 and custom.concurrency == 4
    for bad in (
        {"BLANCHE_WEBHOOKS_TIMEOUT_SECONDS": "fast"},
        {"BLANCHE_WEBHOOKS_TIMEOUT_SECONDS": "0"},
        {"BLANCHE_WEBHOOKS_TIMEOUT_SECONDS": "30", "BLANCHE_WEBHOOKS_LEASE_SECONDS": "20"},
        {"BLANCHE_WEBHOOKS_CONCURRENCY": "0"},
    ):
        with pytest.raises(SettingsError):
            Settings.from_env({**base, **bad})
