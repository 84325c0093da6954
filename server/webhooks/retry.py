"""When to try again: exponential backoff with full jitter, for a bounded window."""

from __future__ import annotations

import datetime as dt
import random

from server.settings import WebhookSettings


def backoff_seconds(attempts: int, settings: WebhookSettings, rng: random.Random) -> float:
    """The wait after the `attempts`-th failed attempt: uniform in
    [0, min(cap, base * 2^(attempts-1))] (full jitter spreads retries of many
    events so a recovering endpoint is not hit all at once)."""
    exponent = min(max(attempts - 1, 0), 60)
    ceiling = min(settings.retry_cap_seconds, settings.retry_base_seconds * 2.0**exponent)
    return rng.uniform(0, ceiling)


def next_attempt(
    first_attempt_at: dt.datetime,
    now: dt.datetime,
    attempts: int,
    settings: WebhookSettings,
    rng: random.Random,
) -> dt.datetime | None:
    """When to retry, or None when the retry window (3 days) is over."""
    deadline = first_attempt_at + dt.timedelta(seconds=settings.retry_window_seconds)
    if now >= deadline:
        return None
    at = now + dt.timedelta(seconds=backoff_seconds(attempts, settings, rng))
    return min(at, deadline)
