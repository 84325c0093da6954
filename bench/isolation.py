"""Issue 14's isolation benchmark: one tenant never stalls another.

The real service (`python -m server.cli serve`, SQLite, default limits) runs in its
own process on 127.0.0.1; this process plays two partners. Partner B uses the
service normally for each phase: its backend reads through the REST API (a list of
documents and one document, two loops) and its user types into a 20-line draft in
the editor (5 patches a second over the WebSocket). Partner A does nothing (the
baseline) or runs one attack for the phase:

- slow body: 8 POSTs announcing 1,000 bytes, 9 sent, sockets held open;
- hello: a `hello` carrying 2,000 pending patches on a 1,000-line draft, again and
  again (the service refuses more than 1,000), alternating with hellos carrying
  1,000 (the most it accepts), each on a new connection;
- PDFs: the 1,000-line draft's PDF requested by 2 loops;
- never-reading tab: a second tab on A's 1,000-line draft with a 4 KB receive
  buffer that never reads, while A's first tab types 20 patches a second.

Targets: partner B's API p99 and editor ack p99 <= 200 ms, and no error.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.api import draft_body
from bench.context import Context
from bench.editor_load import P99Row
from bench.report import Row
from bench.timing import Samples
from invoicing.samples import demo_invoice

TARGET_MS = 200.0
PHASE_SECONDS = 8.0
BIG_LINES = 1000
KEYS = ("bench-isolation-signing-key-0123456789",)
HOST_A, HOST_B = "https://app.a.example", "https://app.b.example"
API = "/api/v1"
ANSWERS = ('{"type":"ack"', '{"type":"nack"')


@dataclass
class Sink:
    """Latencies (ns) and errors of one kind of request of partner B."""

    durations: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def samples(self) -> Samples:
        ordered = tuple(sorted(self.durations))
        return Samples(ordered, ordered)


@dataclass(frozen=True, slots=True)
class World:
    base: str
    key_a: str
    key_b: str
    company_a: int
    company_b: int
    draft_b: int
    token_b: str
    big_draft_a: int
    token_a: str
    ws_url: str


def rows(ctx: Context) -> list[Row]:
    seconds = max(3.0, PHASE_SECONDS * ctx.scale)
    try:
        with _service() as (base, database_url):
            world = _world(base, database_url)
            results = asyncio.run(_phases(world, seconds))
    except (OSError, RuntimeError, httpx.HTTPError) as error:
        return [Row("isolation: partner B while partner A attacks", None, None, str(error)[:120])]
    out: list[Row] = []
    for phase, (api, editor) in results.items():
        for what, sink in (("API p99", api), ("editor ack p99", editor)):
            samples = sink.samples()
            first = f"; first error: {sink.errors[0][:60]}" if sink.errors else ""
            out.append(
                P99Row(
                    f"isolation: partner B {what}, {phase}",
                    TARGET_MS,
                    samples if samples.n else None,
                    f"{samples.n} requests in {seconds:.0f} s, {len(sink.errors)} errors{first}; "
                    "service in its own process, SQLite; cpu = wall (client-side timing)",
                    errors=len(sink.errors),
                )
            )
    return out


# --- the service and the two partners ------------------------------------------------------


@contextlib.contextmanager
def _service() -> Iterator[tuple[str, str]]:
    from server.settings import Settings, sqlite_url
    from tests.server.service_process import service_process

    with tempfile.TemporaryDirectory(prefix="blanche-bench-isolation-") as directory:
        var = Path(directory) / "var"
        settings = Settings(
            var_dir=var,
            database_url=sqlite_url(var / "blanche.db"),
            signing_keys=KEYS,
            account_creations_per_hour=1000,
        )
        with service_process(settings) as base:
            yield base, settings.database_url


def _world(base: str, url: str) -> World:
    from bench.editor import onboard

    with httpx.Client(base_url=base, timeout=120) as http:
        key_a = onboard(url, HOST_A)
        key_b = onboard(url, HOST_B)
        company_a, user_a = _tenant(http, key_a)
        company_b, user_b = _tenant(http, key_b)
        draft_b = _create(http, key_b, company_b, draft_body())
        big = demo_invoice(BIG_LINES).model_copy(
            update={"number": None, "issue_date": None, "payment_reference": None}
        )
        big_draft_a = _create(
            http, key_a, company_a, big.model_dump(mode="json", exclude_none=True)
        )
        token_b = _session(http, key_b, company_b, user_b, draft_b, HOST_B)
        token_a = _session(http, key_a, company_a, user_a, big_draft_a, HOST_A)
    return World(
        base,
        key_a,
        key_b,
        company_a,
        company_b,
        draft_b,
        token_b,
        big_draft_a,
        token_a,
        base.replace("http://", "ws://") + "/editor/ws",
    )


def _tenant(http: httpx.Client, key: str) -> tuple[int, int]:
    from invoicing.samples import FRENCH_LEGAL_NOTES, seller

    headers = {"Authorization": f"Bearer {key}"}
    company = http.post(
        API + "/companies",
        headers=headers,
        json={
            "name": "Atelier",
            "seller": seller().model_dump(mode="json", exclude_none=True),
            "legal_notes": [note.model_dump(mode="json") for note in FRENCH_LEGAL_NOTES],
        },
    )
    company.raise_for_status()
    company_id = int(company.json()["id"])
    user = http.post(f"{API}/companies/{company_id}/users", headers=headers, json={"name": "Léa"})
    user.raise_for_status()
    return company_id, int(user.json()["id"])


def _create(http: httpx.Client, key: str, company_id: int, body: dict[str, Any]) -> int:
    response = http.post(
        f"{API}/companies/{company_id}/documents",
        headers={"Authorization": f"Bearer {key}"},
        json=body,
    )
    response.raise_for_status()
    return int(response.json()["id"])


def _session(
    http: httpx.Client, key: str, company_id: int, user_id: int, document_id: int, host: str
) -> str:
    response = http.post(
        API + "/editor-sessions",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "company_id": company_id,
            "user_id": user_id,
            "document": {"id": document_id},
            "parent_origin": host,
        },
    )
    response.raise_for_status()
    return str(response.json()["token"])


# --- phases ----------------------------------------------------------------------------------

Attack = Callable[[World, asyncio.Event], Coroutine[Any, Any, None]]


async def _phases(world: World, seconds: float) -> dict[str, tuple[Sink, Sink]]:
    attacks: dict[str, Attack | None] = {
        "no attack (baseline)": None,
        "A: slow body (8 x 9 of 1,000 bytes, held)": _slow_bodies,
        f"A: hello with 2,000 pending patches, {BIG_LINES}-line draft": _big_hellos,
        f"A: {BIG_LINES}-line draft PDF, 2 loops": _pdfs,
        "A: never-reading second tab": _never_reading_tab,
    }
    results: dict[str, tuple[Sink, Sink]] = {}
    for name, attack in attacks.items():
        stop = asyncio.Event()
        attacker: asyncio.Task[None] | None = None
        if attack is not None:
            attacker = asyncio.create_task(attack(world, stop))
        await asyncio.sleep(0.5 if attack is not None else 0)  # the attack under way
        api, editor = Sink(), Sink()
        await asyncio.gather(
            _api_loop(world, seconds, api, f"/companies/{world.company_b}/documents"),
            _api_loop(world, seconds, api, f"/documents/{world.draft_b}"),
            _typing(world, seconds, editor),
        )
        stop.set()
        if attacker is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(attacker, 30)
        results[name] = (api, editor)
        await asyncio.sleep(1.0)  # let the service settle between phases
    return results


async def _api_loop(world: World, seconds: float, sink: Sink, path: str) -> None:
    headers = {"Authorization": f"Bearer {world.key_b}"}
    async with httpx.AsyncClient(base_url=world.base + API, headers=headers, timeout=60) as http:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            start = time.perf_counter_ns()
            try:
                response = await http.get(path)
            except httpx.HTTPError as error:
                sink.errors.append(f"{type(error).__name__}")
                continue
            sink.durations.append(time.perf_counter_ns() - start)
            if response.status_code >= 400:
                sink.errors.append(f"{path} {response.status_code}")
            await asyncio.sleep(0.02)


async def _hello(ws: Any, token: str, tab: str, pending: list[dict[str, Any]] | None = None) -> Any:
    hello: dict[str, Any] = {"type": "hello", "token": token, "tab": tab}
    if pending:
        hello["pending"] = pending
    await ws.send(json.dumps(hello))
    while True:
        text = await asyncio.wait_for(ws.recv(), 60)
        message = json.loads(text)
        if message["type"] in ("welcome", "error"):
            return message


async def _typing(world: World, seconds: float, sink: Sink) -> None:
    """Partner B's user: 5 patches a second into line 0's quantity; each ack timed."""
    from websockets.asyncio.client import connect

    try:
        async with connect(world.ws_url, max_size=16 * 1024 * 1024, open_timeout=30) as ws:
            welcome = await _hello(ws, world.token_b, f"bench-b-{time.monotonic_ns()}")
            if welcome["type"] != "welcome":
                sink.errors.append(str(welcome)[:80])
                return
            seq = int(welcome["seq"])
            sent: dict[int, int] = {}

            async def read() -> None:
                async for text in ws:
                    if isinstance(text, str) and text.startswith(
                        ('{"type":"ack"', '{"type":"nack"')
                    ):
                        message = json.loads(text)
                        started = sent.pop(message.get("seq", -1), None)
                        if message["type"] == "nack" or message.get("outcome") != "applied":
                            sink.errors.append(text[:80])
                        elif started is not None:
                            sink.durations.append(time.perf_counter_ns() - started)

            reader = asyncio.create_task(read())
            deadline = time.monotonic() + seconds
            values = ("2", "3", "2,5", "12")
            while time.monotonic() < deadline:
                seq += 1
                sent[seq] = time.perf_counter_ns()
                patch = {"type": "patch", "seq": seq, "op": "set", "path": "lines[0].quantity"}
                patch["value"] = values[seq % len(values)]
                await ws.send(json.dumps(patch))
                await asyncio.sleep(0.2)
            waited = time.monotonic() + 10
            while sent and time.monotonic() < waited:
                await asyncio.sleep(0.05)
            sink.errors += [f"no ack for {seq}" for seq in sent]
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
    except Exception as error:  # a dropped connection is an error of the run
        sink.errors.append(f"{type(error).__name__}: {error}"[:120])


# --- the attacks -----------------------------------------------------------------------------


async def _slow_bodies(world: World, stop: asyncio.Event) -> None:
    from tests.server.raw_http import partial_body

    path = f"{API}/companies/{world.company_a}/contacts"
    with contextlib.ExitStack() as held:
        for _ in range(8):
            await asyncio.to_thread(held.enter_context, partial_body(world.base, path, world.key_a))
        await stop.wait()


async def _big_hellos(world: World, stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    seq, round_ = 0, 0
    while not stop.is_set():
        round_ += 1
        count = 2000 if round_ % 2 else 1000
        pending = [
            {"seq": seq + i, "op": "set", "path": f"lines[{i % BIG_LINES}].quantity", "value": "2"}
            for i in range(1, count + 1)
        ]
        with contextlib.suppress(Exception):
            async with connect(world.ws_url, max_size=64 * 1024 * 1024, open_timeout=30) as ws:
                answer = await _hello(ws, world.token_a, f"bench-a-{round_:06d}", pending)
                if answer["type"] == "welcome":
                    seq = int(answer["seq"])


async def _pdfs(world: World, stop: asyncio.Event) -> None:
    headers = {"Authorization": f"Bearer {world.key_a}"}

    async def loop() -> None:
        async with httpx.AsyncClient(
            base_url=world.base + API, headers=headers, timeout=300
        ) as http:
            while not stop.is_set():
                with contextlib.suppress(httpx.HTTPError):
                    await http.get(f"/documents/{world.big_draft_a}/pdf")

    await asyncio.gather(loop(), loop())


async def _never_reading_tab(world: World, stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    url = world.ws_url.removeprefix("ws://").split("/", 1)[0]
    host, port = url.split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    async with connect(world.ws_url, open_timeout=30) as writer:
        welcome = await _hello(writer, world.token_a, f"bench-a-writer-{time.monotonic_ns()}")
        seq = int(welcome.get("seq", 0))
        async with connect(world.ws_url, sock=sock, max_queue=1, open_timeout=30) as idle:
            await idle.send(
                json.dumps({"type": "hello", "token": world.token_a, "tab": "bench-a-idle-tab"})
            )

            async def drain() -> None:  # the writer reads its own acks
                async for _ in writer:
                    pass

            drainer = asyncio.create_task(drain())
            while not stop.is_set():
                seq += 1
                line = seq % BIG_LINES
                patch = {"type": "patch", "seq": seq, "op": "set", "path": f"lines[{line}].name"}
                patch["value"] = f"Article {seq}"
                with contextlib.suppress(Exception):
                    await writer.send(json.dumps(patch))
                await asyncio.sleep(0.05)
            drainer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await drainer
