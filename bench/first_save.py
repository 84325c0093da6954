"""`python -m bench first-save [--after 0 20] [--workers-of-pool N]`: how long the first
"Enregistrer" of a fresh service process takes (its official check runs in the work
pool, whose first worker the process starts as it starts: editor.pool_worker.prewarm).

For each `--after` delay: a new `python -m server.cli serve` on 127.0.0.1 with its own
SQLite file; once it answers, a company, a 3-line draft and an editor session are made
through the REST API; after the delay (counted from when it answered), one tab opens
the draft and saves it, then saves again. Printed: the first and the second save, from
the request to its result. Wall-clock only (the work is in other processes); compare
runs made on the same machine at the same time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.editor import HOST, onboard, tenant
from bench.editor_load import KEY, _free_port, _wait_until_up


def _draft_body() -> dict[str, Any]:
    from invoicing.samples import demo_invoice

    document = demo_invoice(3).model_copy(
        update={"number": None, "issue_date": None, "payment_reference": None}
    )
    body: dict[str, Any] = document.model_dump(mode="json", exclude_none=True)
    return body


async def _save_twice(ws_url: str, token: str) -> tuple[float, float]:
    from websockets.asyncio.client import connect

    async def until(ws: Any, kind: str) -> dict[str, Any]:
        async with asyncio.timeout(120):
            while True:
                message: dict[str, Any] = json.loads(await ws.recv())
                if message["type"] == kind:
                    return message

    async with connect(ws_url, origin=HOST, max_size=None) as ws:  # type: ignore[arg-type]
        hello = {"type": "hello", "token": token, "tab": "bench-first-save", "parent": None}
        await ws.send(json.dumps({**hello, "pending": []}))
        await until(ws, "welcome")
        took = []
        for number in (1, 2):
            asked = time.monotonic()
            await ws.send(json.dumps({"type": "action", "id": f"s{number}", "action": "save"}))
            result = await until(ws, "result")
            if not result.get("ok"):
                raise RuntimeError(f"the save was refused: {result}")
            took.append(time.monotonic() - asked)
    return took[0], took[1]


def _one_run(after: float, pool_workers: int) -> tuple[float, float]:
    import httpx

    var = Path(tempfile.mkdtemp(prefix="blanche-first-save-"))
    port = _free_port()
    service = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BLANCHE_VAR_DIR": str(var),
        "BLANCHE_PUBLIC_URL": service,
        "BLANCHE_SIGNING_KEYS": KEY,
        "BLANCHE_WORK_WORKERS": str(pool_workers),
    }
    api_key = onboard(f"sqlite+aiosqlite:///{var / 'blanche.db'}", HOST)
    log = (var / "service.log").open("wb")
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
    command += ["--no-webhook-worker", "--no-pa-worker"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(service, process, timeout=120)
        answered = time.monotonic()
        with httpx.Client(base_url=service, timeout=120) as http:
            owner = tenant(http, api_key)
            headers = {"Authorization": f"Bearer {api_key}"}
            draft = http.post(
                f"/api/v1/companies/{owner.company_id}/documents",
                headers=headers,
                json=_draft_body(),
            )
            draft.raise_for_status()
            session = http.post(
                "/api/v1/editor-sessions",
                headers=headers,
                json={
                    "company_id": owner.company_id,
                    "user_id": owner.user_id,
                    "document": {"id": draft.json()["id"]},
                    "parent_origin": HOST,
                },
            )
            session.raise_for_status()
            token = str(session.json()["token"])
        time.sleep(max(0.0, after - (time.monotonic() - answered)))
        return asyncio.run(_save_twice(f"ws://127.0.0.1:{port}/editor/ws", token))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(var, ignore_errors=True)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench first-save", description=__doc__)
    parser.add_argument(
        "--after", type=float, nargs="+", default=[0.0, 20.0], help="seconds after start"
    )
    parser.add_argument("--workers-of-pool", type=int, default=2, help="BLANCHE_WORK_WORKERS")
    args = parser.parse_args(argv)
    for after in args.after:
        first, second = _one_run(after, args.workers_of_pool)
        print(
            f"save {after:g} s after the service answered: first {first:.2f} s, next {second:.2f} s"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0
