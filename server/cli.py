"""The `blanche` command: the invoicing commands plus the service's own."""

from __future__ import annotations

import argparse
import asyncio
import logging.config
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing import cli as invoicing_cli
from server import operator_tasks as tasks
from server.db.engine import create_engine, session_factory
from server.db.migrate import upgrade_database
from server.documents.journal import JournalSeal, bind_seal
from server.documents.journal import commands as journal_commands
from server.pa import commands as pa_commands
from server.runtime.private_files import make_var_private
from server.settings import Settings, SettingsError, rotate_signing_keys
from server.webhooks import commands as webhook_commands

T = TypeVar("T")


def _run_in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Migrate, then run `work` in one committed transaction."""

    async def run() -> T:
        settings = Settings.from_env()
        make_var_private(settings.var_dir)
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        bind_seal(sessions, JournalSeal.for_settings(settings))
        try:
            await upgrade_database(engine)
            async with sessions() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


# The editor's WebSocket messages are small (an acknowledgement: ~1 KB; a preview:
# ~5 KB at most once a second): compressing them cost a quarter of the socket's CPU
# and ~60 KB of compressor state per open editor, for a few KB a second saved.
WS_DEFLATE = False


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from editor.pool_worker import prewarm
    from server.app import create_app
    from server.process_tuning import prepare_process
    from server.runtime.access_log import uvicorn_log_config
    from server.runtime.private_files import make_var_private
    from server.runtime.serving_processes import ServingProcesses
    from server.runtime.worker_child import WorkerChild

    settings = Settings.from_env()
    make_var_private(settings.var_dir)
    cmd_db_upgrade(args)  # once, before the service's processes and the worker start
    page = None
    if args.host_page_port:
        from server.host_page import host_page_app

        # The example partner page: another origin, on loopback only.
        page = uvicorn.Server(
            uvicorn.Config(
                host_page_app(), host="127.0.0.1", port=args.host_page_port, lifespan="off"
            )
        )
        threading.Thread(target=page.run, daemon=True).start()
    serving: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "proxy_headers": True,
        "ws_per_message_deflate": WS_DEFLATE,
        "log_config": uvicorn_log_config(),  # no signed link or token in the access log
    }
    workers = []
    if not args.no_webhook_worker:
        workers.append(WorkerChild("the webhook worker", ("webhooks", "worker")))
    if not args.no_pa_worker:
        workers.append(WorkerChild("the PA worker", ("pa", "worker")))
    for worker in workers:
        worker.start()
    try:
        if args.workers > 1:  # drafts live in the database: any process serves any request
            logging.config.dictConfig(serving["log_config"])  # the supervisor's own lines
            options = {k: v for k, v in serving.items() if k not in ("host", "port")}
            ServingProcesses(args.workers, args.host, args.port, options).run()
        else:
            app = create_app(settings)
            prepare_process()
            prewarm()  # the work pool's first worker, while uvicorn starts
            uvicorn.run(app, **serving)
    finally:
        if page is not None:
            page.should_exit = True
        for worker in workers:
            worker.stop()
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    async def nothing(session: AsyncSession) -> None:
        return None

    _run_in_session(nothing)
    print("database is up to date")
    return 0


def cmd_partners_create(args: argparse.Namespace) -> int:
    created = _run_in_session(
        lambda s: tasks.create_partner(s, args.name, args.origin, args.ip or [], args.module_name)
    )
    print(f"partner id: {created.partner_id}")
    print(f"API key (shown once, store it now): {created.key.secret}")
    return 0


def cmd_partners_list(args: argparse.Namespace) -> int:
    for partner, companies, keys in _run_in_session(tasks.list_partners):
        origins = " ".join(partner.origins) or "-"
        print(f"{partner.id}\t{partner.name}\t{companies} companies\t{keys} active keys\t{origins}")
    return 0


def cmd_keys_create(args: argparse.Namespace) -> int:
    key = _run_in_session(lambda s: tasks.new_key(s, args.partner_id, args.company))
    print(f"key id: {key.id}")
    print(f"API key (shown once, store it now): {key.secret}")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    _run_in_session(lambda s: tasks.revoke(s, args.key_id))
    print(f"key {args.key_id} revoked")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from server.demo import prepare_demo

    settings = Settings.from_env()
    demo = _run_in_session(
        lambda s: prepare_demo(s, settings, args.host_page_port, args.pa_sandbox_url or None)
    )
    print(f"demo partner API key: {demo.api_key}")
    print(f"standalone editor (24 h): {demo.editor_url}")
    print(f"demo host page: {demo.host_page_url}")
    return 0


def cmd_signing_keys_rotate(args: argparse.Namespace) -> int:
    keys = rotate_signing_keys(Settings.from_env().var_dir)
    print(f"new signing key added; {len(keys)} key(s) verify, the newest signs")
    return 0


def register_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="run the service (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--host-page-port",
        type=int,
        default=0,
        help="also serve the example partner page on 127.0.0.1:PORT (another origin)",
    )
    serve.add_argument(
        "--workers", type=int, default=1, help="processes (each with its own checker)"
    )
    serve.add_argument(
        "--no-webhook-worker",
        action="store_true",
        help="do not start the webhook delivery worker (run `blanche webhooks worker` yourself)",
    )
    serve.add_argument(
        "--no-pa-worker",
        action="store_true",
        help="do not start the PA channel's worker (run `blanche pa worker` yourself)",
    )
    serve.set_defaults(handler=cmd_serve)

    db = commands.add_parser("db", help="database").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply the migrations").set_defaults(handler=cmd_db_upgrade)

    partners = commands.add_parser("partners", help="onboard partners")
    partner_commands = partners.add_subparsers(dest="partners", required=True)
    create = partner_commands.add_parser("create", help="create a partner and its first key")
    create.add_argument("name")
    create.add_argument("--origin", action="append", required=True, help="repeatable")
    create.add_argument("--ip", action="append", help="whitelisted IP, repeatable")
    create.add_argument("--module-name")
    create.set_defaults(handler=cmd_partners_create)
    partner_commands.add_parser("list").set_defaults(handler=cmd_partners_list)

    keys = commands.add_parser("keys", help="partner API keys")
    key_commands = keys.add_subparsers(dest="keys", required=True)
    key_create = key_commands.add_parser("create", help="a new key, printed once")
    key_create.add_argument("partner_id", type=int)
    key_create.add_argument("--company", type=int, help="restrict the key to one company")
    key_create.set_defaults(handler=cmd_keys_create)
    key_revoke = key_commands.add_parser("revoke")
    key_revoke.add_argument("key_id", type=int)
    key_revoke.set_defaults(handler=cmd_keys_revoke)

    journal_commands.register(commands, _run_in_session)

    demo = commands.add_parser("demo", help="set up the demo partner; print its key and URLs")
    demo.add_argument(
        "--host-page-port",
        type=int,
        default=8001,
        help="where `blanche serve --host-page-port` serves the example partner page",
    )
    demo.add_argument(
        "--pa-sandbox-url",
        default="",
        help="connect the demo company to this `blanche pa-sandbox` (e.g. http://127.0.0.1:8003)",
    )
    demo.set_defaults(handler=cmd_demo)

    signing = commands.add_parser("signing-keys", help="editor token signing keys")
    signing_commands = signing.add_subparsers(dest="signing", required=True)
    rotate = signing_commands.add_parser("rotate", help="add a key; keep the previous one")
    rotate.set_defaults(handler=cmd_signing_keys_rotate)

    webhook_commands.register(commands)
    pa_commands.register(commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="blanche", description="Blanche invoicing")
    commands = parser.add_subparsers(dest="command", required=True)
    invoicing_cli.register_commands(commands)
    register_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
    except (tasks.OperatorError, SettingsError, journal_commands.JournalCommandError) as error:
        print(f"blanche: {error}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
