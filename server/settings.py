"""Service settings, read once from `BLANCHE_*` environment variables.

Defaults are safe for the embedded mode: a SQLite file and signing keys under
`./var/`, the server on 127.0.0.1. See docs/settings.md.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

SIGNING_KEYS_FILE = "signing-keys"
MAX_EDITOR_TOKEN_SECONDS = 24 * 3600


class SettingsError(ValueError):
    """A `BLANCHE_*` variable holds a value that cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    var_dir: Path
    database_url: str
    signing_keys: tuple[str, ...] = field(repr=False)
    public_url: str = "http://127.0.0.1:8000"
    account_creations_per_hour: int = 3
    whitelisted_account_creations_per_minute: int = 1
    users_per_company: int = 2
    max_body_bytes: int = 1_048_576
    editor_token_seconds: int = 3600
    database_echo: bool = False

    @property
    def files_dir(self) -> Path:
        return self.var_dir / "files"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("BLANCHE_VAR_DIR", "var")).resolve()
        database_url = env.get("BLANCHE_DATABASE_URL") or sqlite_url(var_dir / "blanche.db")
        keys_text = env.get("BLANCHE_SIGNING_KEYS", "")
        keys = tuple(k.strip() for k in keys_text.split(",") if k.strip())
        editor_seconds = _int(env, "BLANCHE_EDITOR_TOKEN_SECONDS", 3600)
        if not 60 <= editor_seconds <= MAX_EDITOR_TOKEN_SECONDS:
            raise SettingsError("BLANCHE_EDITOR_TOKEN_SECONDS must be between 60 and 86400")
        return cls(
            var_dir=var_dir,
            database_url=database_url,
            signing_keys=keys or load_or_create_signing_keys(var_dir),
            public_url=env.get("BLANCHE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
            account_creations_per_hour=_int(env, "BLANCHE_ACCOUNT_CREATIONS_PER_HOUR", 3),
            whitelisted_account_creations_per_minute=_int(
                env, "BLANCHE_WHITELISTED_ACCOUNT_CREATIONS_PER_MINUTE", 1
            ),
            users_per_company=_int(env, "BLANCHE_USERS_PER_COMPANY", 2),
            max_body_bytes=_int(env, "BLANCHE_MAX_BODY_BYTES", 1_048_576),
            editor_token_seconds=editor_seconds,
            database_echo=env.get("BLANCHE_DATABASE_ECHO", "") == "1",
        )


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, not {text!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value


def new_signing_key() -> str:
    return secrets.token_urlsafe(48)


def signing_keys_path(var_dir: Path) -> Path:
    return var_dir / SIGNING_KEYS_FILE


def load_or_create_signing_keys(var_dir: Path) -> tuple[str, ...]:
    """The keys in `var/signing-keys` (oldest first, the last one signs),
    creating the file with one fresh key when absent."""
    path = signing_keys_path(var_dir)
    if not path.exists():
        write_signing_keys(var_dir, (new_signing_key(),))
    keys = tuple(line.strip() for line in path.read_text().splitlines() if line.strip())
    if not keys:
        raise SettingsError(f"{path} holds no key")
    return keys


def write_signing_keys(var_dir: Path, keys: tuple[str, ...]) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    path = signing_keys_path(var_dir)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("\n".join(keys) + "\n")
    temporary.replace(path)


def rotate_signing_keys(var_dir: Path, keep: int = 2) -> tuple[str, ...]:
    """Append a new signing key; keep the `keep` newest so tokens signed with
    the previous key still verify until they expire (at most 24 h)."""
    keys = (*load_or_create_signing_keys(var_dir), new_signing_key())[-keep:]
    write_signing_keys(var_dir, keys)
    return keys
