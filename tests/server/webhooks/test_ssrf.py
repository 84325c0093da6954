"""SSRF: endpoint URLs and every resolved address are checked; the connection
goes to the address that was checked."""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress

import httpx
import pytest

from server.settings import Settings, WebhookSettings
from server.webhooks.client import delivery_client
from server.webhooks.ssrf import (
    GuardedNetworkBackend,
    TargetRefused,
    UrlRefused,
    check_endpoint_url,
    refusal,
)
from tests.server.helpers import Partner
from tests.server.webhooks.receiver import Receiver
from tests.server.webhooks.worker_runs import drain

PRODUCTION = WebhookSettings()

REFUSED = [
    "127.0.0.1",
    "127.255.0.9",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.10",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::7f00:1",
    "2002:7f00:1::1",
    "2001:db8::1",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_and_special_addresses_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # http outside development
        "https://127.0.0.1/x",
        "https://[::1]:8443/x",
        "https://10.0.0.5/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:127.0.0.1]/x",
        "https://localhost/x",
        "https://printer.local/x",
        "https://intranet/x",
        "https://user:pass@hooks.example.com/x",
        "ftp://hooks.example.com/x",
        "https:///x",
        "https://hooks.example.com:99999/x",
    ],
)
def test_unusable_endpoint_urls_are_refused(url: str) -> None:
    with pytest.raises(UrlRefused):
        check_endpoint_url(url, PRODUCTION)


def test_public_https_urls_pass_and_a_deployment_may_allow_local_ones() -> None:
    assert check_endpoint_url("https://hooks.example.com/b?x=1", PRODUCTION)
    assert check_endpoint_url("https://8.8.8.8:8443/b", PRODUCTION)
    development = WebhookSettings(allow_http=True, allow_private_targets=True)
    assert check_endpoint_url("http://127.0.0.1:9000/hook", development)


def test_every_resolved_address_is_checked() -> None:
    async def mixed(host: str, port: int) -> list[str]:
        return ["8.8.8.8", "10.0.0.1"]

    backend = GuardedNetworkBackend(allow_private=False, resolver=mixed)
    with pytest.raises(TargetRefused) as refused:
        asyncio.run(backend.connect_tcp("hooks.example.com", 443, timeout=1))
    assert refused.value.address == "10.0.0.1" and refused.value.reason == "private"


def test_the_connection_goes_to_the_checked_address(receiver: Receiver) -> None:
    """The name is resolved once, by the guard, and the socket connects to that
    address: nothing else resolves `hooks.example` here, yet the request arrives
    with its Host header intact."""
    calls: list[str] = []
    port = int(receiver.base_url.rsplit(":", 1)[1])

    async def pinned(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    async def post() -> int:
        hooks = WebhookSettings(allow_http=True, allow_private_targets=True)
        async with delivery_client(hooks, pinned) as client:
            response = await client.post(f"http://hooks.example:{port}/pinned", content=b"{}")
            return response.status_code

    assert asyncio.run(post()) == 200
    assert calls == ["hooks.example"]
    [request] = receiver.requests("/pinned")
    assert request.headers["Host"] == f"hooks.example:{port}"


def test_redirects_are_not_followed(receiver: Receiver) -> None:
    async def post() -> httpx.Response:
        hooks = WebhookSettings(allow_http=True, allow_private_targets=True)
        async with delivery_client(hooks) as client:
            return await client.post(receiver.url("/moved"), content=b"{}")

    from tests.server.webhooks.receiver import Answer

    receiver.script["/moved"] = [Answer(302)]
    assert asyncio.run(post()).status_code == 302
    assert len(receiver.requests()) == 1


def test_the_api_refuses_private_endpoints_in_production(
    partner_a: Partner, settings: Settings
) -> None:
    assert settings.webhooks.allow_private_targets  # the suite's setting...
    production = dataclasses.replace(settings, webhooks=PRODUCTION)
    from server.app import create_app
    from tests.server.asgi_client import app_client

    with app_client(create_app(production), "https://blanche.test") as http:
        partner = Partner(partner_a.id, partner_a.key, http)
        for url in ["https://127.0.0.1/hook", "http://hooks.example.com/", "https://localhost/"]:
            response = partner.post("/webhooks", {"url": url, "events": ["*"]})
            assert response.status_code == 422, url
            problem = response.json()
            assert problem["code"] == "webhook_url_refused"
            assert problem["errors"][0]["field"] == "url"
        created = partner.post("/webhooks", {"url": "https://hooks.example.com/", "events": ["*"]})
        assert created.status_code == 201
        patched = partner.patch(f"/webhooks/{created.json()['id']}", {"url": "https://[::1]/hook"})
        assert patched.json()["code"] == "webhook_url_refused"


def test_a_name_resolving_to_loopback_is_refused_at_delivery(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    """Saved while the deployment allowed private targets; delivered after it
    stopped allowing them: the worker checks the resolved address."""
    port = int(receiver.base_url.rsplit(":", 1)[1])
    hook = partner_a.ok(
        partner_a.post(
            "/webhooks", {"url": f"http://localhost:{port}/hook", "events": ["company.created"]}
        ),
        201,
    )
    partner_a.company()
    drain(settings, allow_private_targets=False)
    assert receiver.requests() == []
    log = partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}/deliveries"))["items"]
    assert log and {entry["kind"] for entry in log} == {"target_refused"}
    assert all(entry["severity"] == "error" for entry in log)
    assert "127.0.0.1" in log[-1]["message"] and "public address" in log[-1]["action"]
    assert "stopped retrying" in log[0]["action"] and "public address" in log[0]["action"]
