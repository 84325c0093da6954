"""Settings of the theme studio and of outgoing email (`BLANCHE_STUDIO_*`,
`BLANCHE_SMTP_*`), read from the environment like `server.settings`.

Kept apart from `Settings` for now; `extra_settings(app)` reads them once per
application (tests set `app.state.extra_settings` to their own values).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from server.settings import SettingsError

DEFAULT_STUDIO_URL = "http://127.0.0.1:8002"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """One SMTP relay per deployment. No host: email is not configured and the
    send endpoints answer `409 email_not_configured`."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True  # upgrade with STARTTLS (refused if the server cannot)
    ssl: bool = False  # implicit TLS from the first byte (port 465)
    from_address: str = ""  # the envelope and header sender, e.g. no-reply@mail.example
    timeout_seconds: float = 10.0

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings:
        ssl = _flag(env, "BLANCHE_SMTP_SSL", False)
        port_text = env.get("BLANCHE_SMTP_PORT", "")
        try:
            port = int(port_text) if port_text else (465 if ssl else 587)
        except ValueError:
            raise SettingsError(f"BLANCHE_SMTP_PORT must be a number, not {port_text!r}") from None
        if not 0 < port < 65536:
            raise SettingsError("BLANCHE_SMTP_PORT must be between 1 and 65535")
        timeout_text = env.get("BLANCHE_SMTP_TIMEOUT_SECONDS", "")
        try:
            timeout = float(timeout_text) if timeout_text else 10.0
        except ValueError:
            raise SettingsError("BLANCHE_SMTP_TIMEOUT_SECONDS must be a number") from None
        if not 0 < timeout <= 300:
            raise SettingsError("BLANCHE_SMTP_TIMEOUT_SECONDS must be between 0 and 300")
        return cls(
            host=env.get("BLANCHE_SMTP_HOST", "").strip(),
            port=port,
            user=env.get("BLANCHE_SMTP_USER", ""),
            password=env.get("BLANCHE_SMTP_PASSWORD", ""),
            starttls=_flag(env, "BLANCHE_SMTP_STARTTLS", not ssl),
            ssl=ssl,
            from_address=env.get("BLANCHE_SMTP_FROM", "").strip(),
            timeout_seconds=timeout,
        )


@dataclass(frozen=True, slots=True)
class StudioSettings:
    public_url: str = DEFAULT_STUDIO_URL  # where login links point

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StudioSettings:
        url = env.get("BLANCHE_STUDIO_URL", "").strip().rstrip("/")
        return cls(public_url=url or DEFAULT_STUDIO_URL)


@dataclass(frozen=True, slots=True)
class ExtraSettings:
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    studio: StudioSettings = field(default_factory=StudioSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ExtraSettings:
        env = os.environ if environ is None else environ
        return cls(smtp=SmtpSettings.from_env(env), studio=StudioSettings.from_env(env))


def extra_settings(app: Any) -> ExtraSettings:
    """The application's extra settings, read from the environment on first use."""
    found = getattr(app.state, "extra_settings", None)
    if not isinstance(found, ExtraSettings):
        found = ExtraSettings.from_env()
        app.state.extra_settings = found
    return found


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text in {"1", "true", "yes"}:
        return True
    if text in {"0", "false", "no"}:
        return False
    raise SettingsError(f"{name} must be 1 or 0, not {text!r}")
