"""Running the delivery worker in-process, until nothing is pending."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from server.settings import Settings
from server.webhooks.ssrf import Resolver, system_resolver
from server.webhooks.worker import WebhookWorker


def drain(
    settings: Settings,
    timeout: float = 30.0,
    resolver: Resolver = system_resolver,
    **webhook_changes: Any,
) -> None:
    if webhook_changes:
        hooks = dataclasses.replace(settings.webhooks, **webhook_changes)
        settings = dataclasses.replace(settings, webhooks=hooks)

    async def run() -> None:
        async with WebhookWorker(settings, resolver=resolver) as worker:
            await worker.run(until_idle=True, timeout=timeout)

    asyncio.run(run())
