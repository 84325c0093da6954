"""What one delivery attempt came to: a kind, a severity, a plain message and
the action the partner should take (the integration log shows all four)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Literal

import httpx

from server.webhooks.ssrf import DnsFailure, TargetRefused

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    severity: Severity
    message: str
    action: str | None
    status_code: int | None = None
    delivered: bool = False
    disable: bool = False  # 410 Gone: stop sending, keep the events


# The sentence for each kind; `{timeout}` and `{status}` are filled in.
ACTIONS: dict[str, str] = {
    "redirect": "Your endpoint answered with a redirect, which Blanche does not follow: set the "
    "subscription URL to the final address (PATCH /api/v1/webhooks/{id}).",
    "signature_rejected": "Your endpoint refused the request as unauthorized: check that it "
    "verifies Blanche-Signature with this subscription's current secret (after a rotation, "
    "accept either signature until the grace period ends) and that its clock is on time.",
    "gone": "Your endpoint answered 410 Gone, so the subscription was disabled; new events are "
    "kept. Fix the endpoint, re-enable it (PATCH /api/v1/webhooks/{id} with "
    '{"enabled": true}), then replay the missed period (POST /api/v1/webhooks/{id}/replay).',
    "rate_limited": "Your endpoint is rate limiting Blanche: raise its limit for Blanche's "
    "requests; the event is retried with backoff.",
    "client_error": "Your endpoint rejected the event with HTTP {status}: check its logs for the "
    "reason and answer 2xx once an event is accepted; the event is retried with backoff.",
    "server_error": "Your endpoint failed with HTTP {status}: check its error logs; the event is "
    "retried with backoff for 3 days.",
    "timeout": "Your endpoint did not answer within {timeout} s: answer 2xx at once and process "
    "the event afterwards (queue it); the event is retried with backoff.",
    "connection_refused": "Nothing accepts connections at this address: check that the endpoint "
    "is running and that its port is open to the internet.",
    "connection_error": "The connection to your endpoint failed or was cut before an answer: "
    "check the host, the port, any firewall and the server's logs.",
    "dns": "The endpoint's host name does not resolve: check the host name in the URL and its "
    "DNS records.",
    "tls": "The TLS handshake with your endpoint failed: serve a valid certificate for this host "
    "name (not expired, full chain, TLS 1.2 or later).",
    "url_refused": "The subscription's URL cannot be called, so the subscription was "
    "disabled; new events are kept. Set a valid public https:// URL and re-enable it (PATCH "
    '/api/v1/webhooks/{id} with {"url": "https://...", "enabled": true}), then replay the '
    "missed period (POST /api/v1/webhooks/{id}/replay).",
    "internal_error": "Blanche could not attempt this delivery because of an internal error "
    "(logged for its operators); the event is retried with backoff. If it persists, contact "
    "support with the event id.",
    "target_refused": "The endpoint resolves to a private, loopback or link-local address, which "
    "Blanche does not call: publish the endpoint on a public address.",
}
GAVE_UP_ACTION = (
    "Blanche stopped retrying this event after {window}: fix the endpoint, then send the event "
    "again with POST /api/v1/webhooks/{id}/replay over its time range."
)


def _action(kind: str, **values: object) -> str:
    text = ACTIONS[kind]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def from_status(status: int, timeout: float) -> Outcome:
    if 200 <= status < 300:
        return Outcome("delivered", "info", f"Delivered (HTTP {status}).", None, status, True)
    if status == 410:
        return Outcome(
            "gone",
            "error",
            "HTTP 410 Gone: subscription disabled.",
            _action("gone"),
            status,
            disable=True,
        )
    if status in {401, 403}:
        kind, severity = "signature_rejected", "error"
    elif 300 <= status < 400:
        kind, severity = "redirect", "error"
    elif status == 429:
        kind, severity = "rate_limited", "warning"
    elif 400 <= status < 500:
        kind, severity = "client_error", "error"
    else:
        kind, severity = "server_error", "warning"
    return Outcome(
        kind,
        severity,  # type: ignore[arg-type]
        f"HTTP {status}.",
        _action(kind, status=status, timeout=timeout),
        status,
    )


def url_refused(message: str) -> Outcome:
    """The stored URL is unusable (saved before URLs were normalized, or edited in
    the database): hold the subscription's events until the partner fixes it."""
    return Outcome(
        "url_refused", "error", f"URL refused: {message}.", _action("url_refused"), disable=True
    )


def internal_error(error: BaseException) -> Outcome:
    return Outcome(
        "internal_error",
        "error",
        f"Internal error before the request was sent ({type(error).__name__}).",
        _action("internal_error"),
    )


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def from_error(error: BaseException, timeout: float) -> Outcome:
    chain = _causes(error)
    if isinstance(error, TargetRefused):
        return Outcome("target_refused", "error", f"Refused: {error}.", _action("target_refused"))
    if isinstance(error, DnsFailure) or any(isinstance(e, DnsFailure) for e in chain):
        return Outcome("dns", "error", f"DNS: {error}.", _action("dns"))
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        phase = type(error).__name__.replace("Timeout", "").lower() or "request"
        return Outcome(
            "timeout",
            "warning",
            f"No answer within {timeout} s ({phase} timeout).",
            _action("timeout", timeout=timeout),
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "SSL" in str(error):
        return Outcome("tls", "error", f"TLS: {_short(error)}.", _action("tls"))
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in str(error):
        return Outcome(
            "connection_refused", "warning", "Connection refused.", _action("connection_refused")
        )
    return Outcome(
        "connection_error",
        "warning",
        f"Connection failed: {_short(error)}.",
        _action("connection_error"),
    )


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text[:300]


def excerpt(data: bytes, limit: int = 500) -> str:
    """A response body made safe to show: decoded leniently, control
    characters replaced, bounded."""
    text = data.decode("utf-8", errors="replace")
    cleaned = "".join(
        ch if ch in "\n\t" or (ch.isprintable() and ch not in "\u2028\u2029") else "\ufffd"
        for ch in text[: limit + 1]
    )
    return cleaned[:limit] + ("…" if len(text) > limit else "")
