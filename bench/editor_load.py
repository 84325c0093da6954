"""`python -m bench editor-load [--sessions 500] [--seconds 60] [--rate 2]`: the
editor under load (issue 4), opt-in because it takes over a minute.

The real service (`python -m server.cli serve`: uvicorn, SQLite, the editor's
WebSocket) runs in its own process on 127.0.0.1; this process is the crowd: it
onboards a partner, mints one editor session per simulated user through the
REST API, opens every WebSocket (hello -> welcome), measures the server's
memory with the sessions idle, then has each user send `rate` patches per
second for `seconds` seconds (typing into a line: quantity, price, name) and
times each patch's round trip (sent -> its `ack`). Like a browser, the client
offers permessage-deflate. Targets: p99 round trip <= 50 ms, no error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvloop

from bench.editor import HOST, editor_url, onboard, tenant
from bench.report import Row, environment, render_table, write_json
from bench.timing import Samples

P99_TARGET_MS = 50.0
ACK_TIMEOUT_S = 10.0
KEY = "bench-editor-load-signing-key-0123456789"
VALUES = (
    ("lines[0].quantity", ("2", "3", "2,5", "12")),
    ("lines[0].net_price", ("65", "7,90", "35", "120")),
    ("lines[0].name", ("Pose", "Pose de carrelage", "Intervention", "Câble RJ45")),
)


@dataclass(frozen=True, slots=True)
class P99Row(Row):
    """A round-trip row whose target applies to p99, and to no error at all."""

    errors: int = 0

    @property
    def verdict(self) -> str:
        if self.samples is None:
            return "n/a"
        ok = self.samples.p99_ms <= (self.target_ms or 0) and self.errors == 0
        return "PASS" if ok else "MISS"

    def cells(self) -> tuple[str, ...]:
        cells = list(Row.cells(self))
        cells[1] = f"p99 <= {self.target_ms:.0f} ms"
        return tuple(cells)


@dataclass
class User:
    token: str
    tab: str
    seq: int = 0
    sent: dict[int, int] = field(default_factory=dict)  # seq -> perf_counter_ns
    round_trips_ns: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/editor", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("the service did not start")


def _patch(user: User) -> dict[str, Any]:
    user.seq += 1
    if user.seq == 1:
        return {"type": "patch", "seq": 1, "op": "add_line"}
    path, values = VALUES[user.seq % len(VALUES)]
    return {
        "type": "patch",
        "seq": user.seq,
        "op": "set",
        "path": path,
        "value": values[(user.seq // len(VALUES)) % len(values)],
    }


async def _read(ws: Any, user: User) -> None:
    async for text in ws:
        # The server writes `type` first: skip pushes (preview, official, saved) unparsed.
        if text.startswith('{"type":"ack"') or text.startswith('{"type":"nack"'):
            message = json.loads(text)
            if message["type"] == "nack":
                user.errors.append(f"nack {message.get('expected')}")
                continue
            sent = user.sent.pop(message["seq"], None)
            if sent is not None:
                user.round_trips_ns.append(time.perf_counter_ns() - sent)
            if message.get("outcome") != "applied":
                user.errors.append(f"ack {message.get('outcome')}")
        elif text.startswith('{"type":"error"') or text.startswith('{"type":"read_only"'):
            user.errors.append(text[:80])


async def _connect(url: str, user: User, gate: asyncio.Semaphore) -> Any:
    from websockets.asyncio.client import connect

    async with gate:
        ws = await connect(url, max_size=16 * 1024 * 1024, open_timeout=30)
        await ws.send(json.dumps({"type": "hello", "token": user.token, "tab": user.tab}))
        while True:
            text = await asyncio.wait_for(ws.recv(), 30)
            if isinstance(text, str) and text.startswith('{"type":"welcome"'):
                return ws
            if isinstance(text, str) and text.startswith('{"type":"error"'):
                raise RuntimeError(text[:200])


async def _type(ws: Any, user: User, seconds: float, rate: float) -> None:
    reader = asyncio.create_task(_read(ws, user))
    period = 1.0 / rate
    await asyncio.sleep(random.uniform(0, period))  # users do not type in step
    loop = asyncio.get_running_loop()
    start = next_at = loop.time()
    try:
        while loop.time() - start < seconds:
            message = _patch(user)
            user.sent[message["seq"]] = time.perf_counter_ns()
            await ws.send(json.dumps(message, separators=(",", ":")))
            next_at += period
            await asyncio.sleep(max(0.0, next_at - loop.time()))
        deadline = loop.time() + ACK_TIMEOUT_S
        while user.sent and loop.time() < deadline:
            await asyncio.sleep(0.05)
        user.errors += [f"no ack for {seq}" for seq in user.sent]
    except Exception as error:  # a dropped connection is an error of the run
        user.errors.append(f"{type(error).__name__}: {error}"[:120])
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader
        with contextlib.suppress(Exception):
            await ws.close()


@dataclass
class Result:
    users: list[User]
    connect_s: float
    warm: int  # sessions opened before `rss_before`
    rss_before: int
    rss_idle: int
    rss_peak: int
    server_cpu_s: float
    client_cpu_s: float
    seconds: float


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [
        int(child) for task in tasks.iterdir() for child in (task / "children").read_text().split()
    ]


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc)."""
    found = [pid]
    for child in _children(pid):
        found += _tree(child)
    return found


def _rss(pids: list[int]) -> int:
    """Resident memory of processes, in bytes (Linux /proc)."""
    pages = sum(int(Path(f"/proc/{pid}/statm").read_text().split()[1]) for pid in pids)
    return pages * os.sysconf("SC_PAGE_SIZE")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (Linux /proc)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


async def _settle(servers: list[int], longest: float = 120.0) -> None:
    quiet = 0.05  # cores
    deadline = time.monotonic() + longest
    before = _cpu_seconds([p for s in servers for p in _tree(s)])
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        now = _cpu_seconds([p for s in servers for p in _tree(s)])
        if now - before < quiet:
            return
        before = now


async def _crowd(
    ws_url: str, tokens: list[str], seconds: float, rate: float, servers: list[int]
) -> Result:
    """`servers`: the processes holding the sessions (memory); their descendants
    (the official check's workers) count for CPU too."""
    users = [User(token, f"load-tab-{index:06d}") for index, token in enumerate(tokens)]
    gate = asyncio.Semaphore(50)
    # A few sessions first, so that what every process loads once (templates,
    # the checker) is not counted as the cost of a session.
    warm = max(1, len(users) // 20)
    sockets = list(await asyncio.gather(*(_connect(ws_url, u, gate) for u in users[:warm])))
    await _settle(servers)
    rss_before = _rss(servers)
    started = time.monotonic()
    sockets += await asyncio.gather(*(_connect(ws_url, user, gate) for user in users[warm:]))
    connect_s = time.monotonic() - started
    # Idle until the service is quiet: each new draft's first official check has run.
    await _settle(servers)
    rss_idle = _rss(servers)
    # The crowd's own collector would pause every user at once: what it holds now
    # lives until the end, and what it makes while typing is acyclic.
    gc.collect()
    gc.freeze()
    cpu_before = _cpu_seconds([p for s in servers for p in _tree(s)])
    client_before = time.process_time()
    peak = rss_idle

    async def sample_memory() -> None:
        nonlocal peak
        while True:
            await asyncio.sleep(1)
            peak = max(peak, _rss(servers))

    sampler = asyncio.create_task(sample_memory())
    await asyncio.gather(
        *(_type(ws, user, seconds, rate) for ws, user in zip(sockets, users, strict=True))
    )
    sampler.cancel()
    return Result(
        users=users,
        connect_s=connect_s,
        warm=warm,
        rss_before=rss_before,
        rss_idle=rss_idle,
        rss_peak=peak,
        server_cpu_s=_cpu_seconds([p for s in servers for p in _tree(s)]) - cpu_before,
        client_cpu_s=time.process_time() - client_before,
        seconds=seconds,
    )


def _rows(result: Result, rate: float) -> tuple[list[Row], int]:
    trips = sorted(ns for user in result.users for ns in user.round_trips_ns)
    errors = [error for user in result.users for error in user.errors]
    sessions = len(result.users)
    samples = Samples(tuple(trips), tuple(trips)) if trips else None
    per_session = (result.rss_idle - result.rss_before) / (sessions - result.warm)
    kinds = sorted({error.split(" ")[0] for error in errors})
    rows: list[Row] = [
        P99Row(
            f"editor load: patch round trip, {sessions} sessions x {rate:g}/s",
            P99_TARGET_MS,
            samples,
            f"{len(trips):,} patches in {result.seconds:.0f} s, {len(errors)} errors"
            + (f" ({', '.join(kinds)[:60]})" if errors else ""),
            errors=len(errors),
        ),
        Row(
            "editor load: server memory per idle session",
            None,
            None,
            f"{per_session / 1024:.0f} KB (RSS {result.rss_before / 2**20:.0f} MB -> "
            f"{result.rss_idle / 2**20:.0f} MB idle, {result.rss_peak / 2**20:.0f} MB peak); "
            f"{sessions - result.warm} sessions opened in {result.connect_s:.1f} s",
        ),
        Row(
            "editor load: CPU used",
            None,
            None,
            f"server {result.server_cpu_s / result.seconds:.2f} cores, client (this process) "
            f"{result.client_cpu_s / result.seconds:.2f} cores, of {os.cpu_count()}",
        ),
    ]
    return rows, len(errors)


def run(argv: list[str]) -> int:
    import httpx

    parser = argparse.ArgumentParser(prog="python -m bench editor-load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=2.0, help="patches per second per user")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="service processes"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    before = environment()
    var = Path(tempfile.mkdtemp(prefix="blanche-load-"))
    port = _free_port()
    service = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BLANCHE_VAR_DIR": str(var),
        "BLANCHE_PUBLIC_URL": service,
        "BLANCHE_SIGNING_KEYS": KEY,
    }
    database_url = f"sqlite+aiosqlite:///{var / 'blanche.db'}"
    api_key = onboard(database_url, HOST)
    log = (var / "service.log").open("wb")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "server.cli", "serve"),
            *("--port", str(port), "--workers", str(args.workers)),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(service, process)
        with httpx.Client(base_url=service, timeout=60) as http:
            owner = tenant(http, api_key)
            tokens = [
                editor_url(http, owner, HOST).partition("#t=")[2] for _ in range(args.sessions)
            ]
        ws_url = f"ws://127.0.0.1:{port}/editor/ws"
        servers = _children(process.pid) if args.workers > 1 else [process.pid]
        # The crowd runs on uvloop, as the service does: the load generator's own
        # overhead should not be what the round trips measure.
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            result = runner.run(_crowd(ws_url, tokens, args.seconds, args.rate, servers))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(var, ignore_errors=True)
    rows, errors = _rows(result, args.rate)
    after = environment()
    print(render_table(rows))
    print(
        f"\nPython {before['python']}, {before['cpus']} CPUs; load average "
        f"{before['load_average']} before, {after['load_average']} after. The service "
        "and this client share the machine."
    )
    if args.json is not None:
        write_json(args.json, rows, before, after)
    return 0 if rows[0].verdict == "PASS" and errors == 0 else 1
