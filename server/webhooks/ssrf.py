"""Refuse webhook targets inside the deployment's network (SSRF).

Endpoint URLs are checked when saved (scheme, literal addresses, local names)
and again at every connection, after DNS resolution: every address the name
resolves to must be public, and the connection is made to the address that
was checked, so a second DNS answer cannot swap in a private one (rebinding).
TLS still verifies the certificate against the host name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import anyio
from httpcore import (
    AnyIOBackend,
    AsyncNetworkBackend,
    AsyncNetworkStream,
    ConnectError,
    ConnectTimeout,
)

from server.settings import WebhookSettings
from server.webhooks.endpoint_urls import UrlRefused, normalize_endpoint_url

__all__ = ["UrlRefused", "check_endpoint_url", "refusal"]

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

_LOCAL_NAMES = ("localhost", "localhost.localdomain")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class TargetRefused(Exception):
    """The host resolved to an address Blanche does not call."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(f"{host} resolves to {address} ({reason})")
        self.host, self.address, self.reason = host, address, reason


class DnsFailure(Exception):
    def __init__(self, host: str, detail: str) -> None:
        super().__init__(f"{host} does not resolve: {detail}")
        self.host = host


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IpAddress) -> str | None:
    """Why `address` is not a public internet address, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = refusal(inner)
            return f"embeds {inner}: {reason}" if reason else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not globally routable", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def _literal_address(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_endpoint_url(url: str, settings: WebhookSettings) -> str:
    """The URL in canonical form (server.webhooks.endpoint_urls) if it may be
    saved as an endpoint, else `UrlRefused` (in English and French)."""
    endpoint = normalize_endpoint_url(url)
    if endpoint.scheme != "https" and not settings.allow_http:
        raise UrlRefused(
            "use an https:// URL (http is only allowed in development)",
            "utilisez une URL https:// (http n'est permis qu'en développement)",
        )
    if settings.allow_private_targets:
        return endpoint.url
    if endpoint.address is not None:
        reason = refusal(endpoint.address)
        if reason:
            raise UrlRefused(
                f"{endpoint.address} is a {reason} address; use a public address",
                f"{endpoint.address} est une adresse non publique ({reason}) ; "
                "utilisez une adresse publique",
            )
    elif _is_local_name(endpoint.host):
        raise UrlRefused(
            f"{endpoint.host} is a local name; use a public host name",
            f"{endpoint.host} est un nom local ; utilisez un nom d'hôte public",
        )
    return endpoint.url


def _is_local_name(host: str) -> bool:
    return host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES) or "." not in host


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise DnsFailure(host, error.strerror or str(error)) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedNetworkBackend(AsyncNetworkBackend):
    """httpcore's network backend, with every target address checked and pinned."""

    def __init__(self, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._inner = AnyIOBackend()

    async def resolve(self, host: str, port: int) -> list[str]:
        literal = _literal_address(host)
        addresses = [str(literal)] if literal is not None else await self._resolver(host, port)
        if not addresses:
            raise DnsFailure(host, "no address")
        if not self._allow_private:
            for address in addresses:
                reason = refusal(ipaddress.ip_address(address))
                if reason:
                    raise TargetRefused(host, address, reason)
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await self.resolve(host, port)
        except TimeoutError:
            raise ConnectTimeout(f"resolving {host} timed out") from None
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except ConnectError as error:
                last_error = error
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncNetworkStream:
        raise ConnectError("unix sockets are not webhook targets")

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)
