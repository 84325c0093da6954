"""From a stored connection to a platform client."""

from __future__ import annotations

from pathlib import Path

import httpx

from server.db.pa import PaConnection
from server.pa.adapter import Platform
from server.pa.afnor import AfnorPlatform
from server.pa.secrets import decrypt
from server.pa.settings import PaSettings
from server.webhooks.client import guarded_client
from server.webhooks.ssrf import Resolver, system_resolver

USER_AGENT = "Blanche-PA/1"


def platform_client(
    settings: PaSettings, resolver: Resolver = system_resolver
) -> httpx.AsyncClient:
    """SSRF-guarded like webhook deliveries."""
    return guarded_client(
        allow_private=settings.allow_private_targets,
        limits=httpx.Limits(max_connections=settings.concurrency * 2, keepalive_expiry=30),
        timeout_seconds=settings.timeout_seconds,
        user_agent=USER_AGENT,
        resolver=resolver,
    )


def open_platform(
    connection: PaConnection,
    settings: PaSettings,
    var_dir: Path,
    resolver: Resolver = system_resolver,
) -> Platform:
    secret = decrypt(var_dir, connection.secret_ciphertext)
    return AfnorPlatform(
        connection.url, connection.client_id, secret, platform_client(settings, resolver)
    )
