from __future__ import annotations

import stat
from pathlib import Path

import pytest

from server.settings import Settings, SettingsError, rotate_signing_keys


def test_defaults_are_embedded_and_generate_a_signing_key(tmp_path: Path) -> None:
    settings = Settings.from_env({"BLANCHE_VAR_DIR": str(tmp_path / "var")})
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'var' / 'blanche.db'}"
    assert settings.is_sqlite
    assert settings.account_creations_per_hour == 3
    assert settings.whitelisted_account_creations_per_minute == 1
    assert settings.public_url == "http://127.0.0.1:8000"
    key_file = tmp_path / "var" / "signing-keys"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(settings.signing_keys) == 1 and len(settings.signing_keys[0]) >= 64
    again = Settings.from_env({"BLANCHE_VAR_DIR": str(tmp_path / "var")})
    assert again.signing_keys == settings.signing_keys
    assert settings.signing_keys[0] not in repr(settings)


def test_environment_overrides(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "BLANCHE_VAR_DIR": str(tmp_path),
            "BLANCHE_DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1/blanche",
            "BLANCHE_SIGNING_KEYS": "old, new",
            "BLANCHE_PUBLIC_URL": "https://invoices.example/",
            "BLANCHE_ACCOUNT_CREATIONS_PER_HOUR": "10",
            "BLANCHE_USERS_PER_COMPANY": "5",
            "BLANCHE_EDITOR_TOKEN_SECONDS": "86400",
        }
    )
    assert not settings.is_sqlite
    assert settings.signing_keys == ("old", "new")
    assert settings.public_url == "https://invoices.example"
    assert (settings.account_creations_per_hour, settings.users_per_company) == (10, 5)
    assert not (tmp_path / "signing-keys").exists()


@pytest.mark.parametrize(
    "env",
    [
        {"BLANCHE_USERS_PER_COMPANY": "two"},
        {"BLANCHE_ACCOUNT_CREATIONS_PER_HOUR": "-1"},
        {"BLANCHE_EDITOR_TOKEN_SECONDS": "90000"},
    ],
)
def test_bad_values_are_refused(tmp_path: Path, env: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env({"BLANCHE_VAR_DIR": str(tmp_path), **env})


def test_rotation_keeps_the_previous_key(tmp_path: Path) -> None:
    first = Settings.from_env({"BLANCHE_VAR_DIR": str(tmp_path)}).signing_keys
    rotated = rotate_signing_keys(tmp_path)
    assert rotated[0] == first[0] and len(rotated) == 2
    again = rotate_signing_keys(tmp_path)
    assert again[0] == rotated[1] and len(again) == 2
    assert Settings.from_env({"BLANCHE_VAR_DIR": str(tmp_path)}).signing_keys == again
