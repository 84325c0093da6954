"""`blanche webhooks worker` and `blanche webhooks purge`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from server.db.engine import create_engine
from server.db.migrate import upgrade_database
from server.runtime.lifetime import die_with_parent_from_env
from server.runtime.private_files import make_var_private
from server.settings import Settings
from server.webhooks.worker import WebhookWorker


async def _migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
    finally:
        await engine.dispose()


async def run_worker(settings: Settings, until_idle: bool) -> None:
    await _migrate(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with WebhookWorker(settings) as worker:
        await worker.run(stop, until_idle=until_idle)


def cmd_worker(args: argparse.Namespace) -> int:
    die_with_parent_from_env()  # started by `blanche serve`: gone with it, even on kill -9
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # endpoint URLs may carry secrets
    settings = Settings.from_env()
    make_var_private(settings.var_dir)
    asyncio.run(run_worker(settings, args.until_idle))
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def run() -> None:
        await _migrate(settings)
        async with WebhookWorker(settings) as worker:
            purged = await worker.purge()
        print(f"purged {purged.attempts} log entries and {purged.events} events")

    asyncio.run(run())
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    webhooks = commands.add_parser("webhooks", help="webhook delivery")
    sub = webhooks.add_subparsers(dest="webhooks", required=True)
    worker = sub.add_parser("worker", help="deliver events (stop with SIGTERM or Ctrl-C)")
    worker.add_argument(
        "--until-idle", action="store_true", help="exit once nothing is pending, retries included"
    )
    worker.set_defaults(handler=cmd_worker)
    purge = sub.add_parser("purge", help="delete log entries and events older than the retention")
    purge.set_defaults(handler=cmd_purge)
