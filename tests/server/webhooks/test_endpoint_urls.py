"""Endpoint URLs are normalized before the SSRF check, and what is saved is what
the delivery connects to."""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import socket

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from server.settings import Settings, WebhookSettings
from server.webhooks.endpoint_urls import UrlRefused, normalize_endpoint_url, numeric_ipv4
from server.webhooks.ssrf import GuardedNetworkBackend, check_endpoint_url, refusal
from tests.server.helpers import Partner

PRODUCTION = WebhookSettings()
DEVELOPMENT = WebhookSettings(allow_http=True, allow_private_targets=True)

# Every spelling of 127.0.0.1 the issue found accepted, and a few more.
LOOPBACK_SPELLINGS = [
    "127.1",
    "127.0.1",
    "0177.0.0.1",
    "0x7f.0.0.1",
    "0x7F.0x0.0.01",
    "2130706433",
    "0x7f000001",
    "017700000001",
    "127.0x0.1",
    "①②⑦.0.0.1",
    "１２７.０.０.１",
    "127。0。0。1",
    "127.0.0.1.",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:7f00:1]",
]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_every_spelling_of_a_loopback_address_is_refused(host: str) -> None:
    with pytest.raises(UrlRefused) as refused:
        check_endpoint_url(f"https://{host}/hook", PRODUCTION)
    assert "127.0.0.1" in refused.value.message_en or "7f00:1" in refused.value.message_en
    assert "adresse" in refused.value.message_fr
    endpoint = normalize_endpoint_url(f"https://{host}/hook")
    assert endpoint.address is not None and refusal(endpoint.address) is not None


@pytest.mark.parametrize(
    ("url", "saved"),
    [
        ("http://127.1:9000/hook", "http://127.0.0.1:9000/hook"),
        ("http://0x7f.1/x?y=1", "http://127.0.0.1/x?y=1"),
        ("http://LOCALHOST.:8080", "http://localhost:8080/"),
        ("http://[0:0::1]:8443/a", "http://[::1]:8443/a"),
        ("https://Hooks.Example.COM./a/b", "https://hooks.example.com/a/b"),
        ("https://bücher.example/p?q=ü", "https://xn--bcher-kva.example/p?q=%C3%BC"),
        ("https://ＨＯＯＫＳ．example.com/", "https://hooks.example.com/"),
    ],
)
def test_urls_are_saved_in_canonical_form(url: str, saved: str) -> None:
    assert check_endpoint_url(url, DEVELOPMENT) == saved
    assert check_endpoint_url(saved, DEVELOPMENT) == saved  # idempotent


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/a\r\nX-Injected: 1",
        "https://hooks.example.com\r\n/",
        "https://hooks.example.com/a b",
        "https://hooks.example.com/\ta",
        "https://hooks.example.com/\x00",
        "https://hooks.example.com/\x7f",
        "https://hooks.example.com/\u200b",  # zero-width space (format character)
        "https://hooks.example.com/\u2028",
        " https://hooks.example.com/",
        "https://hooks.example.com\\@127.0.0.1/",
        "https://ex%61mple.com/",
        "https://256.0.0.1/",
        "https://1.2.3.4.5/",
        "https://08.0.0.1/",
        "https://hooks..example.com/",
        "https://[fe80::1%25eth0]/",
        "https://[::1/",
        "https://exa$mple.com/",
        "https://" + "a" * 2000 + ".com/",
    ],
)
def test_malformed_urls_are_refused_even_where_private_targets_are_allowed(url: str) -> None:
    with pytest.raises(UrlRefused) as refused:
        check_endpoint_url(url, DEVELOPMENT)
    assert refused.value.message_en and refused.value.message_fr


def test_the_api_refuses_with_a_field_error_in_the_callers_language(
    partner_a: Partner, settings: Settings
) -> None:
    production = dataclasses.replace(settings, webhooks=PRODUCTION)
    from server.app import create_app
    from tests.server.asgi_client import app_client

    with app_client(create_app(production), "https://blanche.test") as http:
        partner = Partner(partner_a.id, partner_a.key, http)
        for url in [
            "https://127.1/",
            "https://①②⑦.0.0.1/",
            "https://localhost./",
            "https://a.fr/\r\n",
        ]:
            english = partner.post("/webhooks", {"url": url, "events": ["*"]})
            assert english.status_code == 422, url
            assert english.json()["code"] == "webhook_url_refused"
            assert english.json()["errors"][0]["field"] == "url"
            french = partner.post(
                "/webhooks", {"url": url, "events": ["*"]}, headers={"Accept-Language": "fr-FR"}
            )
            message = french.json()["errors"][0]["message"]
            assert french.status_code == 422 and message != english.json()["errors"][0]["message"]
            assert any(word in message for word in ("adresse", "nom local", "caractère"))
        assert partner.get("/webhooks").json()["items"] == []


def test_the_api_stores_the_normalized_url(partner_a: Partner) -> None:
    created = partner_a.ok(
        partner_a.post("/webhooks", {"url": "http://0x7f.1:9/Hook?a=1", "events": ["*"]}), 201
    )
    assert created["url"] == "http://127.0.0.1:9/Hook?a=1"
    patched = partner_a.ok(
        partner_a.patch(f"/webhooks/{created['id']}", {"url": "http://LOCALHOST.:9/x"})
    )
    assert patched["url"] == "http://localhost:9/x"


# -- properties -------------------------------------------------------------

_DIGITS = {  # other Unicode spellings of each digit that IDNA maps back to it
    str(d): [str(d), chr(0xFF10 + d)] + ([chr(0x2460 + d - 1)] if d else []) for d in range(10)
}


def _spell_part(value: int, radix: str) -> str:
    if radix == "hex":
        return hex(value)
    if radix == "oct":
        return "0" + oct(value)[2:]
    return str(value)


@st.composite
def numeric_ipv4_spellings(draw: st.DrawFn) -> tuple[str, ipaddress.IPv4Address]:
    address = ipaddress.IPv4Address(draw(st.integers(0, 2**32 - 1)))
    octets = list(address.packed)
    count = draw(st.integers(1, 4))
    head = octets[: count - 1]
    tail = int.from_bytes(bytes(octets[count - 1 :]), "big")
    parts = [_spell_part(v, draw(st.sampled_from(["dec", "hex", "oct"]))) for v in (*head, tail)]
    text = ".".join(parts)
    if draw(st.booleans()):
        text = "".join(draw(st.sampled_from(_DIGITS[c])) if c.isdigit() else c for c in text)
    if draw(st.booleans()):
        text = text.upper() if draw(st.booleans()) else text
    if draw(st.booleans()):
        text += "."
    return text, address


_LABEL_TEXT = st.text(
    alphabet=st.sampled_from("abcxyz019-_.éü①ＡΩ%@:[]/\\ \r\nx"), min_size=1, max_size=20
)
HOSTS = st.one_of(
    numeric_ipv4_spellings().map(lambda pair: pair[0]),
    st.ip_addresses(v=6).map(lambda a: f"[{a}]"),
    st.ip_addresses(v=4).map(lambda a: f"[::ffff:{a}]"),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}(\.[a-z0-9][a-z0-9-]{0,10}){0,3}\.?", fullmatch=True),
    _LABEL_TEXT,
)


class _Recorder:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return ["93.184.216.34"]


def _inet_aton(host: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


@hypothesis_settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(host=HOSTS, port=st.one_of(st.none(), st.integers(1, 65535)), production=st.booleans())
def test_whatever_is_saved_is_the_host_that_was_checked(
    host: str, port: int | None, production: bool
) -> None:
    url = f"https://{host}" + (f":{port}" if port else "") + "/hook"
    hooks = PRODUCTION if production else DEVELOPMENT
    try:
        saved = check_endpoint_url(url, hooks)
    except UrlRefused:
        return
    checked = normalize_endpoint_url(saved)
    assert normalize_endpoint_url(url) == checked  # saving is idempotent
    client_url = httpx.URL(saved)  # what the delivery's client is given
    assert client_url.raw_host.decode() == checked.host
    assert client_url.port == checked.port
    if checked.address is None:
        # A name: no resolver takes it for a number (inet_aton is what getaddrinfo uses)...
        assert _inet_aton(checked.host) is None
        # ...and the guard resolves exactly that name.
        recorder = _Recorder()
        guard = GuardedNetworkBackend(allow_private=not production, resolver=recorder)
        asyncio.run(guard.resolve(client_url.raw_host.decode(), port or 443))
        assert recorder.asked == [checked.host]
    else:
        guard = GuardedNetworkBackend(allow_private=not production, resolver=_Recorder())
        addresses = asyncio.run(guard.resolve(client_url.raw_host.decode(), port or 443))
        assert [ipaddress.ip_address(a) for a in addresses] == [checked.address]
        if production:
            assert refusal(checked.address) is None
    if isinstance(checked.address, ipaddress.IPv4Address):
        # The address is the one the C library reads from what the user typed, when it reads one.
        typed = host.rstrip(".")
        if typed.isascii() and "[" not in typed:
            assert _inet_aton(typed) in (None, checked.address)


@given(numeric_ipv4_spellings())
def test_numeric_spellings_read_as_the_c_library_reads_them(
    spelled: tuple[str, ipaddress.IPv4Address],
) -> None:
    text, address = spelled
    assert normalize_endpoint_url(f"http://{text}/").address == address
    ascii_text = text.rstrip(".")
    if ascii_text.isascii():
        assert numeric_ipv4(ascii_text.lower()) == address
        assert _inet_aton(ascii_text) == address
