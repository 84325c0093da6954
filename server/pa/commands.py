"""`blanche pa worker` (the transmission worker) and `blanche pa-sandbox`
(the local test double of a plateforme agréée)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from server.db.engine import create_engine
from server.db.migrate import upgrade_database
from server.pa.worker import PaWorker
from server.runtime.lifetime import die_with_parent_from_env
from server.settings import Settings


async def run_worker(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
    finally:
        await engine.dispose()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    worker = PaWorker(settings)
    try:
        await worker.run_forever(stop)
    finally:
        await worker.close()


def cmd_worker(args: argparse.Namespace) -> int:
    die_with_parent_from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(run_worker(Settings.from_env()))
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    import uvicorn

    from server.pa.sandbox import SandboxOptions, sandbox_app

    options = SandboxOptions(
        client_secret=args.client_secret,
        token_seconds=args.token_seconds,
        approve_seconds=args.approve_seconds,
        refuse_seconds=args.refuse_seconds,
    )
    print(f"PA sandbox on http://{args.host}:{args.port} (a test double: nothing leaves it)")
    uvicorn.run(sandbox_app(options), host=args.host, port=args.port, log_level="warning")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pa = commands.add_parser("pa", help="the plateforme agréée channel")
    sub = pa.add_subparsers(dest="pa", required=True)
    worker = sub.add_parser("worker", help="send flows, read statuses (stop with SIGTERM)")
    worker.set_defaults(handler=cmd_worker)

    sandbox = commands.add_parser("pa-sandbox", help="a local test double of a PA")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8003)
    sandbox.add_argument("--client-secret", default="sandbox-secret")
    sandbox.add_argument("--token-seconds", type=float, default=3600.0)
    sandbox.add_argument("--approve-seconds", type=float, default=1.0)
    sandbox.add_argument("--refuse-seconds", type=float, default=3.0)
    sandbox.set_defaults(handler=cmd_sandbox)
