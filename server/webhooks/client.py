"""The HTTP client deliveries go through: SSRF-guarded, bounded timeouts, no
redirects, no proxies from the environment."""

from __future__ import annotations

import httpcore
import httpx

from server.settings import WebhookSettings
from server.webhooks.ssrf import GuardedNetworkBackend, Resolver, system_resolver

USER_AGENT = "Blanche-Webhooks/1"


class GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(
        self, allow_private: bool, limits: httpx.Limits, resolver: Resolver = system_resolver
    ) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedNetworkBackend(allow_private, resolver),
        )


def guarded_client(
    *,
    allow_private: bool,
    limits: httpx.Limits,
    timeout_seconds: float,
    user_agent: str,
    resolver: Resolver = system_resolver,
) -> httpx.AsyncClient:
    """An HTTP client whose every connection is SSRF-guarded (the address checked is
    the one used), with bounded timeouts, no redirects and no proxies."""
    return httpx.AsyncClient(
        transport=GuardedTransport(allow_private, limits, resolver),
        timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 5.0)),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": user_agent},
    )


def delivery_client(
    settings: WebhookSettings, resolver: Resolver = system_resolver
) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=settings.concurrency,  # one per delivery in flight
        max_keepalive_connections=settings.concurrency,
        keepalive_expiry=30,
    )
    return guarded_client(
        allow_private=settings.allow_private_targets,
        limits=limits,
        timeout_seconds=settings.timeout_seconds,
        user_agent=USER_AGENT,
        resolver=resolver,
    )
