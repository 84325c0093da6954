"""From a stored connection to a platform client."""

from __future__ import annotations

from pathlib import Path

import httpx

from server.db.pa import PaConnection
from server.pa.adapter import Platform
from server.pa.afnor import AfnorPlatform
from server.pa.secrets import decrypt
from server.pa.settings import PaSettings
from server.webhooks.client import GuardedTransport
from server.webhooks.ssrf import Resolver, system_resolver

USER_AGENT = "Blanche-PA/1"


def platform_client(
    settings: PaSettings, resolver: Resolver = system_resolver
) -> httpx.AsyncClient:
    """SSRF-guarded like webhook deliveries: the address checked is the one used."""
    limits = httpx.Limits(max_connections=settings.concurrency * 2, keepalive_expiry=30)
    timeout = settings.timeout_seconds
    return httpx.AsyncClient(
        transport=GuardedTransport(settings.allow_private_targets, limits, resolver),
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT},
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
