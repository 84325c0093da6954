"""Endpoint URLs in one canonical form, so that the host checked when a URL is
saved is the host the delivery connects to.

Resolvers and URL parsers disagree on spellings: `127.1`, `0177.0.0.1`,
`0x7f.0.0.1` and `2130706433` are all 127.0.0.1 to the C library (inet_aton)
and to browsers (WHATWG), but names to a naive check; `①②⑦.0.0.1` becomes
`127.0.0.1` after IDNA mapping; `localhost.` is `localhost`. So a URL is
rewritten before it is checked: the host IDNA-mapped (UTS 46) to ASCII, a
trailing dot removed, any numeric IPv4 spelling turned into its dotted quad,
IPv6 addresses compressed; then the whole URL as httpx (the delivery's client)
writes it. Control characters, whitespace, backslashes and percent signs in
the host are refused rather than guessed at.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import idna

MAX_URL_CHARS = 2000
_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")
_HEX_PART = re.compile(r"^0[xX][0-9a-fA-F]*$")

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UrlRefused(ValueError):
    """An endpoint URL that can never be used. `message_en`/`message_fr` say why."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        super().__init__(message_en)
        self.message_en, self.message_fr = message_en, message_fr


@dataclass(frozen=True, slots=True)
class EndpointUrl:
    url: str  # what is stored and what httpx is given
    host: str  # the host in it: a lower-case ASCII name or an address's canonical text
    address: IpAddress | None  # the host, when it is a literal address
    scheme: str
    port: int | None


def _not_an_address(host: str, version: str) -> UrlRefused:
    return UrlRefused(
        f"{host} is not a valid {version} address", f"{host} n'est pas une adresse {version} valide"
    )


def _forbidden_character(text: str) -> str | None:
    for ch in text:
        if ch == "\\" or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return ch
    return None


def _ipv4_part(part: str) -> int | None:
    """One part of a numeric IPv4 spelling (WHATWG / inet_aton): 0x hex,
    leading-0 octal or decimal; None when the part is not a number."""
    if _HEX_PART.match(part):
        return int(part[2:] or "0", 16)
    if not part.isascii() or not part.isdigit():
        return None
    if len(part) > 1 and part.startswith("0"):
        if any(c in "89" for c in part):
            return None
        return int(part, 8)
    return int(part)


def numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a numeric host spells (`127.1`, `0x7f.1`, `2130706433`),
    None when the host is a name. `UrlRefused` when it looks like a number but
    is none (an out-of-range or malformed IPv4: resolvers differ on those)."""
    parts = host.split(".")
    if not parts[-1] or (_ipv4_part(parts[-1]) is None and not parts[-1].isdigit()):
        return None  # the last label is not numeric: a name
    values = [_ipv4_part(part) for part in parts]
    if len(parts) > 4 or any(v is None for v in values):
        raise UrlRefused(
            f"{host} is not a valid IPv4 address", f"{host} n'est pas une adresse IPv4 valide"
        )
    numbers = [v for v in values if v is not None]
    last_limit = 256 ** (5 - len(numbers))
    if any(v > 255 for v in numbers[:-1]) or numbers[-1] >= last_limit:
        raise UrlRefused(
            f"{host} is not a valid IPv4 address", f"{host} n'est pas une adresse IPv4 valide"
        )
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _name(raw: str) -> str:
    try:
        ascii_host = idna.encode(raw, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        if not raw.isascii():
            raise UrlRefused(
                f"{raw} is not a valid international domain name",
                f"{raw} n'est pas un nom de domaine international valide",
            ) from None
        ascii_host = raw  # idna refuses some ASCII that DNS allows (underscores, digits first)
    return ascii_host.lower()


def _host(raw: str) -> tuple[str, IpAddress | None]:
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise UrlRefused(
                "the IPv6 address is not closed by ]", "l'adresse IPv6 n'est pas fermée par ]"
            )
        try:
            address6 = ipaddress.IPv6Address(raw[1:-1])
        except ValueError:
            raise UrlRefused(
                f"{raw} is not a valid IPv6 address", f"{raw} n'est pas une adresse IPv6 valide"
            ) from None
        if address6.scope_id:
            raise UrlRefused("remove the IPv6 zone (%...)", "retirez la zone IPv6 (%...)")
        return str(address6), address6
    if "%" in raw:
        raise UrlRefused(
            "write the host without percent-encoding", "écrivez l'hôte sans encodage %"
        )
    host = _name(raw.lower())
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise UrlRefused("the URL has no host", "l'URL n'a pas d'hôte")
    address4 = numeric_ipv4(host)
    if address4 is not None:
        return str(address4), address4
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise UrlRefused(
            f"{host} is not a valid host name", f"{host} n'est pas un nom d'hôte valide"
        )
    return host, None


def normalize_endpoint_url(url: str) -> EndpointUrl:
    """`url` in canonical form, or `UrlRefused`."""
    if len(url) > MAX_URL_CHARS:
        raise UrlRefused(
            f"the URL is longer than {MAX_URL_CHARS} characters",
            f"l'URL dépasse {MAX_URL_CHARS} caractères",
        )
    bad = _forbidden_character(url)
    if bad is not None:
        raise UrlRefused(
            f"the URL contains a forbidden character ({bad!r}): no spaces, line breaks, "
            "control characters or backslashes",
            f"l'URL contient un caractère interdit ({bad!r}) : ni espace, ni retour à la ligne, "
            "ni caractère de contrôle, ni barre oblique inversée",
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused("not a valid URL", "URL invalide") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlRefused("use an https:// URL", "utilisez une URL https://")
    if "@" in parts.netloc:
        raise UrlRefused(
            "remove the credentials from the URL: the signature authenticates Blanche",
            "retirez les identifiants de l'URL : la signature authentifie Blanche",
        )
    if parts.fragment or url.endswith("#"):
        raise UrlRefused("remove the #fragment", "retirez le #fragment")
    if port == 0:
        raise UrlRefused("port 0 is not a port", "le port 0 n'est pas un port")
    raw_host = parts.netloc
    if port is not None or raw_host.endswith(":"):
        raw_host = raw_host.rsplit(":", 1)[0]
    if not raw_host:
        raise UrlRefused("the URL has no host", "l'URL n'a pas d'hôte")
    host, address = _host(raw_host)
    netloc = f"[{host}]" if isinstance(address, ipaddress.IPv6Address) else host
    if port is not None:
        netloc += f":{port}"
    rebuilt = f"{scheme}://{netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
    try:
        parsed = httpx.URL(rebuilt)
    except httpx.InvalidURL as error:
        raise UrlRefused(f"not a valid URL: {error}", f"URL invalide : {error}") from None
    if parsed.raw_host.decode("ascii") != host:  # the client would call elsewhere: refuse
        raise UrlRefused("not a valid URL", "URL invalide")
    return EndpointUrl(str(parsed), host, address, scheme, port)
