"""Issue 4's editor targets: server time per patch (20-line invoice), the page's
weight, and the time from iframe insertion to interactive in headless Chromium.

The load test (500 WebSocket sessions for 60 s) takes over a minute: it is
`python -m bench editor-load` (bench/editor_load.py), not part of the table.
"""

from __future__ import annotations

import asyncio
import gc
import json
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket

from bench.context import SMALL_LINES, Context
from bench.report import Row, format_ms
from bench.timing import Samples
from editor.assets import Assets
from editor.demo import demo_world
from editor.live.connection import Connection, utcnow
from editor.parent_origin import ParentOrigins
from editor.routes import Editor
from invoicing.samples import demo_invoice

PATCH_TARGET_MS = 2.0
WEIGHT_TARGET_BYTES = 30 * 1024
INTERACTIVE_TARGET_MS = 300.0
CHROMIUM = Path("/usr/bin/chromium")
KEYS = ("bench-editor-signing-key-0123456789",)
HOST = "https://app.partner.example"


@dataclass(frozen=True, slots=True)
class SizeRow(Row):
    """A size against a ceiling (the table's time columns hold bytes here)."""

    size_bytes: int = 0
    target_bytes: int = 0

    @property
    def verdict(self) -> str:
        return "PASS" if self.size_bytes <= self.target_bytes else "MISS"

    def cells(self) -> tuple[str, ...]:
        size = f"{self.size_bytes / 1024:.1f} KB"
        target = f"<= {self.target_bytes / 1024:.0f} KB"
        return (self.name, target, size, "-", "1", self.verdict, "-", self.note)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target_bytes": self.target_bytes,
            "bytes": self.size_bytes,
            "verdict": self.verdict,
            "note": self.note,
        }


def rows(ctx: Context) -> list[Row]:
    return [*patch_rows(ctx), weight_row(), interactive_row(ctx)]


# --- server time per patch ---------------------------------------------------------------


def _timed(durations: list[int], cpu: list[int]) -> Samples:
    return Samples(tuple(sorted(durations)), tuple(sorted(cpu)))


async def _patch_samples(runs: int) -> tuple[Samples, Samples, int]:
    """What the server does for one keystroke's patch on a 20-line invoice, as the
    live channel does it (apply, totals, fast rules, fragments, findings, the JSON
    answer), without the socket; and the preview rendered when the user pauses."""
    world = demo_world(KEYS)
    document = demo_invoice(SMALL_LINES).model_copy(update={"number": None})
    document_id = world.backend.add_document(world.company, document)
    token = world.backend.mint(
        company=world.company, user_id=world.user_id, parent_origin=HOST, document_id=document_id
    )
    editor = Editor(world.backend, ParentOrigins(KEYS))
    session = await world.backend.resolve_session(token)
    connection = Connection(cast(WebSocket, None), editor.drafts, utcnow)
    connection.session = session
    connection.branding = await world.backend.branding(session)
    connection.tab = "bench-tab-0001"
    await connection.attach(await editor.drafts.open(session))
    live = connection.live_draft
    values = ("3", "4", "2,5", "12")
    patch_ns: list[int] = []
    patch_cpu: list[int] = []
    answer = 0
    gc.collect()
    # Nothing below suspends: the debounced work (autosave, preview, official
    # check) stays scheduled and never runs inside a timed patch.
    for seq in range(live.state.seq + 1, live.state.seq + 1 + runs):
        message = {
            "seq": seq,
            "op": "set",
            "path": f"lines[{seq % SMALL_LINES}].quantity",
            # Each pass over the lines types other values: the totals move every time.
            "value": values[(seq // SMALL_LINES) % len(values)],
        }
        cpu_start, start = time.process_time_ns(), time.perf_counter_ns()
        result = await connection.apply(message)
        answer = len(json.dumps(connection.update(result), separators=(",", ":")))
        patch_ns.append(time.perf_counter_ns() - start)
        patch_cpu.append(time.process_time_ns() - cpu_start)
        assert result.receipt.outcome == "applied", result.receipt
    preview_ns: list[int] = []
    preview_cpu: list[int] = []
    for _ in range(max(10, runs // 10)):
        cpu_start, start = time.process_time_ns(), time.perf_counter_ns()
        live.preview_for(connection.branding, connection.locale)
        preview_ns.append(time.perf_counter_ns() - start)
        preview_cpu.append(time.process_time_ns() - cpu_start)
    await editor.drafts.leave(live, connection)
    await editor.aclose()
    return _timed(patch_ns, patch_cpu), _timed(preview_ns, preview_cpu), answer


def patch_rows(ctx: Context) -> list[Row]:
    runs = max(50, round(2000 * ctx.scale))
    patch, preview, answer = asyncio.run(_patch_samples(runs))
    ctx.measured["editor_patch20"] = patch
    ctx.measured["editor_preview20"] = preview
    return [
        Row(
            f"editor: server time per patch, {SMALL_LINES} lines",
            PATCH_TARGET_MS,
            patch,
            f"apply + totals + rules + fragments + JSON ({answer:,} bytes)",
        ),
        Row(
            f"editor: preview HTML, {SMALL_LINES} lines",
            None,
            preview,
            "when the user pauses (0.12 s); about once a second while typing",
        ),
    ]


# --- page weight -------------------------------------------------------------------------


def weight_row() -> Row:
    assets = Assets()
    page = assets.page_weight(("editor.js", "editor.css"))
    theme = assets.page_weight(("theme-default.css",))
    js, css = assets.page_weight(("editor.js",)), assets.page_weight(("editor.css",))
    return SizeRow(
        "editor: page weight, JS + CSS gzipped",
        None,
        None,
        f"editor.js {js / 1024:.1f} KB + editor.css {css / 1024:.1f} KB + theme "
        f"{theme / 1024:.1f} KB",
        size_bytes=page + theme,
        target_bytes=WEIGHT_TARGET_BYTES,
    )


# --- iframe insertion to interactive -----------------------------------------------------

HOST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
</head><body><div id="slot"></div><script src="/embed.global.js"></script>
<script src="/bench.js"></script></body></html>"""
# Insert the editor's iframe (through the SDK) and resolve when it says `ready`.
BENCH_JS = """
window.openEditor = function (url) {
  return new Promise(function (resolve) {
    var start = performance.now();
    var handle = Blanche.mount(document.getElementById("slot"), {
      url: url,
      minHeight: 400,
      onEvent: function (event) {
        if (event.type !== "ready") return;
        var elapsed = performance.now() - start;
        setTimeout(function () { handle.unmount(); resolve(elapsed); }, 0);
      },
    });
  });
};
"""


def host_app() -> Starlette:
    from embed import SDK_DIR

    sdk = (SDK_DIR / "embed.global.js").read_bytes()

    async def page(request: Any) -> Response:
        return HTMLResponse(HOST_PAGE)

    async def script(request: Any) -> Response:
        return Response(sdk, media_type="text/javascript")

    async def bench(request: Any) -> Response:
        return Response(BENCH_JS, media_type="text/javascript")

    return Starlette(
        routes=[Route("/", page), Route("/embed.global.js", script), Route("/bench.js", bench)]
    )


def loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(app: Any, sock: socket.socket) -> Iterator[str]:
    """`app` under uvicorn in a thread, on a pre-bound loopback socket."""
    import uvicorn

    config = uvicorn.Config(
        app, log_config=None, access_log=False, ws="websockets-sansio", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@dataclass(frozen=True, slots=True)
class Tenant:
    api_key: str
    company_id: int
    user_id: int


def onboard(database_url: str, origin: str) -> str:
    """A partner, as the operator creates one (`blanche partners create`): its API key."""
    from server import operator_tasks
    from server.db.engine import create_engine, session_factory
    from server.db.migrate import upgrade_database

    async def work() -> str:
        engine = create_engine(database_url)
        try:
            await upgrade_database(engine)
            async with session_factory(engine)() as session, session.begin():
                created = await operator_tasks.create_partner(session, "Bench", [origin], [])
                return created.key.secret
        finally:
            await engine.dispose()

    return asyncio.run(work())


def tenant(http: Any, api_key: str) -> Tenant:
    """A company (with its legal notes) and a user, through the REST API."""
    from invoicing.samples import FRENCH_LEGAL_NOTES, seller

    headers = {"Authorization": f"Bearer {api_key}"}
    company = http.post(
        "/api/v1/companies",
        headers=headers,
        json={
            "name": "Atelier Blanc",
            "seller": seller().model_dump(mode="json", exclude_none=True),
            "legal_notes": [note.model_dump(mode="json") for note in FRENCH_LEGAL_NOTES],
        },
    )
    company.raise_for_status()
    company_id = company.json()["id"]
    user = http.post(
        f"/api/v1/companies/{company_id}/users", headers=headers, json={"name": "Claire"}
    )
    user.raise_for_status()
    return Tenant(api_key, company_id, user.json()["id"])


def editor_url(http: Any, tenant: Tenant, parent_origin: str) -> str:
    response = http.post(
        "/api/v1/editor-sessions",
        headers={"Authorization": f"Bearer {tenant.api_key}"},
        json={
            "company_id": tenant.company_id,
            "user_id": tenant.user_id,
            "document": {"new": "invoice"},
            "parent_origin": parent_origin,
        },
    )
    response.raise_for_status()
    return str(response.json()["url"])


def _launch_args() -> dict[str, Any]:
    return {
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


def interactive_row(ctx: Context) -> Row:
    name = "editor: iframe insertion to interactive (ready), Chromium"
    if not CHROMIUM.exists():
        return Row(name, INTERACTIVE_TARGET_MS, None, "Debian's chromium is not installed")
    import httpx
    from playwright.sync_api import sync_playwright

    from server.app import create_app
    from server.settings import Settings, sqlite_url

    runs = max(5, round(40 * ctx.scale))
    var = Path(tempfile.mkdtemp(prefix="blanche-bench-"))
    service_sock, host_sock = loopback_socket(), loopback_socket()
    service = f"http://127.0.0.1:{service_sock.getsockname()[1]}"
    host = f"http://127.0.0.1:{host_sock.getsockname()[1]}"
    settings = Settings(
        var_dir=var,
        database_url=sqlite_url(var / "blanche.db"),
        signing_keys=KEYS,
        public_url=service,
    )
    try:
        api_key = onboard(settings.database_url, host)
        with (
            serving(create_app(settings), service_sock),
            serving(host_app(), host_sock),
            httpx.Client(base_url=service, timeout=30) as http,
            sync_playwright() as playwright,
        ):
            owner = tenant(http, api_key)
            browser = playwright.chromium.launch(**_launch_args())
            page = browser.new_page()
            page.goto(host)
            first = float(page.evaluate("u => openEditor(u)", editor_url(http, owner, host)))
            durations: list[int] = []
            for _ in range(runs):
                url = editor_url(http, owner, host)
                elapsed_ms = float(page.evaluate("u => openEditor(u)", url))
                durations.append(round(elapsed_ms * 1e6))
            browser.close()
    finally:
        shutil.rmtree(var, ignore_errors=True)
    # Measured by the browser's clock: there is no CPU time of ours to report.
    samples = Samples(tuple(sorted(durations)), tuple(sorted(durations)))
    ctx.measured["editor_interactive"] = samples
    return Row(
        name,
        INTERACTIVE_TARGET_MS,
        samples,
        f"SDK mount -> page, assets, WebSocket hello/welcome -> ready; new invoice each; "
        f"first (cold cache) {format_ms(first)}",
    )
