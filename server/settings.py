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

from editor.live.limits import LiveLimits

SIGNING_KEYS_FILE = "signing-keys"
MAX_EDITOR_TOKEN_SECONDS = 24 * 3600
MAX_KEY_CACHE_SECONDS = 60.0


class SettingsError(ValueError):
    """A `BLANCHE_*` variable holds a value that cannot be used."""


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """Webhook delivery (see docs/webhooks.md). The defaults are production's:
    https only, public addresses only, retries for 3 days."""

    allow_http: bool = False  # development: http:// endpoint URLs
    allow_private_targets: bool = False  # loopback, private, link-local... (tests, on-premise)
    timeout_seconds: float = 10.0
    retry_base_seconds: float = 30.0
    retry_cap_seconds: float = 6 * 3600.0
    retry_window_seconds: float = 3 * 86400.0
    lease_seconds: float = 60.0
    poll_seconds: float = 0.5
    concurrency: int = 16
    log_days: int = 30

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WebhookSettings:
        timeout = _float(env, "BLANCHE_WEBHOOKS_TIMEOUT_SECONDS", 10.0)
        lease = _float(env, "BLANCHE_WEBHOOKS_LEASE_SECONDS", max(60.0, 3 * timeout))
        if lease <= timeout:
            raise SettingsError("BLANCHE_WEBHOOKS_LEASE_SECONDS must exceed the timeout")
        concurrency = _int(env, "BLANCHE_WEBHOOKS_CONCURRENCY", 16)
        if concurrency < 1:
            raise SettingsError("BLANCHE_WEBHOOKS_CONCURRENCY must be at least 1")
        return cls(
            allow_http=env.get("BLANCHE_WEBHOOKS_ALLOW_HTTP", "") == "1",
            allow_private_targets=env.get("BLANCHE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "") == "1",
            timeout_seconds=timeout,
            retry_base_seconds=_float(env, "BLANCHE_WEBHOOKS_RETRY_BASE_SECONDS", 30.0),
            retry_cap_seconds=_float(env, "BLANCHE_WEBHOOKS_RETRY_CAP_SECONDS", 6 * 3600.0),
            retry_window_seconds=_float(env, "BLANCHE_WEBHOOKS_RETRY_WINDOW_SECONDS", 3 * 86400.0),
            lease_seconds=lease,
            poll_seconds=_float(env, "BLANCHE_WEBHOOKS_POLL_SECONDS", 0.5),
            concurrency=concurrency,
            log_days=_int(env, "BLANCHE_WEBHOOKS_LOG_DAYS", 30),
        )


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """Per-partner limits on the REST API, per process (server/request_limits.py)."""

    rate_per_second: float = 100.0
    burst: int = 200
    partner_in_flight: int = 64
    work_slots: int = 16
    partner_work_slots: int = 8
    queue_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LimitSettings:
        limits = cls(
            rate_per_second=_float(env, "BLANCHE_API_RATE_PER_SECOND", 100.0),
            burst=_int(env, "BLANCHE_API_BURST", 200),
            partner_in_flight=_int(env, "BLANCHE_API_PARTNER_IN_FLIGHT", 64),
            work_slots=_int(env, "BLANCHE_API_WORK_SLOTS", 16),
            partner_work_slots=_int(env, "BLANCHE_API_PARTNER_WORK_SLOTS", 8),
            queue_seconds=_float(env, "BLANCHE_API_QUEUE_SECONDS", 10.0),
        )
        for name in ("burst", "partner_in_flight", "work_slots", "partner_work_slots"):
            if getattr(limits, name) < 1:
                raise SettingsError(f"BLANCHE_API_{name.upper()} must be at least 1")
        return limits


@dataclass(frozen=True, slots=True)
class HeavyWorkSettings:
    """The work pool (editor.work_pool): PDF rendering and the official check, in
    worker processes, with deadlines (see docs/settings.md)."""

    workers: int = 2
    pdf_seconds: float = 60.0
    check_seconds: float = 30.0
    per_partner_queue: int = 8
    worker_max_mb: int = 1024
    draft_pdf_cache_mb: int = 64

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HeavyWorkSettings:
        workers = _int(env, "BLANCHE_WORK_WORKERS", 2)
        queue = _int(env, "BLANCHE_WORK_QUEUE_PER_PARTNER", 8)
        if workers < 1 or queue < 1:
            raise SettingsError("BLANCHE_WORK_WORKERS and _QUEUE_PER_PARTNER must be at least 1")
        return cls(
            workers=workers,
            pdf_seconds=_float(env, "BLANCHE_WORK_PDF_SECONDS", 60.0),
            check_seconds=_float(env, "BLANCHE_WORK_CHECK_SECONDS", 30.0),
            per_partner_queue=queue,
            worker_max_mb=_int(env, "BLANCHE_WORK_WORKER_MAX_MB", 1024),
            draft_pdf_cache_mb=_int(env, "BLANCHE_DRAFT_PDF_CACHE_MB", 64),
        )


def editor_limits_from_env(env: Mapping[str, str]) -> LiveLimits:
    """Per-partner limits of the editor's WebSocket (editor.live.limits)."""
    default = LiveLimits()
    limits = LiveLimits(
        sessions_per_partner=_int(
            env, "BLANCHE_EDITOR_SESSIONS_PER_PARTNER", default.sessions_per_partner
        ),
        messages_per_second=_float(
            env, "BLANCHE_EDITOR_MESSAGES_PER_SECOND", default.messages_per_second
        ),
        message_burst=_int(env, "BLANCHE_EDITOR_MESSAGE_BURST", default.message_burst),
        partner_messages_per_second=_float(
            env,
            "BLANCHE_EDITOR_PARTNER_MESSAGES_PER_SECOND",
            default.partner_messages_per_second,
        ),
        partner_message_burst=_int(
            env, "BLANCHE_EDITOR_PARTNER_MESSAGE_BURST", default.partner_message_burst
        ),
        partner_busy_share=_float(
            env, "BLANCHE_EDITOR_PARTNER_BUSY_SHARE", default.partner_busy_share
        ),
        max_pending=_int(env, "BLANCHE_EDITOR_MAX_PENDING", default.max_pending),
        send_queue_messages=_int(
            env, "BLANCHE_EDITOR_SEND_QUEUE_MESSAGES", default.send_queue_messages
        ),
    )
    smallest = min(limits.sessions_per_partner, limits.message_burst, limits.send_queue_messages)
    if limits.partner_busy_share > 1 or smallest < 1:
        raise SettingsError(
            "BLANCHE_EDITOR_PARTNER_BUSY_SHARE is at most 1; sessions, bursts, queues at least 1"
        )
    return limits


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
    body_seconds: float = 10.0
    # How long a process trusts an API key it verified (server/verified_keys.py); 0: not at all.
    api_key_cache_seconds: float = 5.0
    editor_token_seconds: int = 3600
    database_echo: bool = False
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    # The journal's seal keys (server/documents/journal/seal.py); empty: <var>/journal-keys.
    journal_keys: tuple[str, ...] = field(default=(), repr=False)
    limits: LimitSettings = field(default_factory=LimitSettings)
    work: HeavyWorkSettings = field(default_factory=HeavyWorkSettings)
    editor_limits: LiveLimits = field(default_factory=LiveLimits)

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
        key_cache_seconds = _float(env, "BLANCHE_API_KEY_CACHE_SECONDS", 5.0)
        if key_cache_seconds > MAX_KEY_CACHE_SECONDS:
            # The longest a revoked key may keep working in another process.
            raise SettingsError("BLANCHE_API_KEY_CACHE_SECONDS must be at most 60")
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
            body_seconds=_float(env, "BLANCHE_BODY_SECONDS", 10.0),
            api_key_cache_seconds=key_cache_seconds,
            editor_token_seconds=editor_seconds,
            database_echo=env.get("BLANCHE_DATABASE_ECHO", "") == "1",
            webhooks=WebhookSettings.from_env(env),
            journal_keys=tuple(
                k.strip() for k in env.get("BLANCHE_JOURNAL_KEYS", "").split(",") if k.strip()
            ),
            limits=LimitSettings.from_env(env),
            work=HeavyWorkSettings.from_env(env),
            editor_limits=editor_limits_from_env(env),
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


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {text!r}") from None
    if not 0 < value < 1e9:
        raise SettingsError(f"{name} must be a positive number")
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
