"""The service in a process of its own, as `blanche serve` runs it (the app from the
environment's settings, the process prepared, uvicorn with the same options), on a
socket this process binds first (127.0.0.1, no port race), with a SQLite file.

Partners are onboarded before it starts (as an operator does, in the database);
`Tenant` then makes a company, a user, documents and editor sessions through the
REST API, like a partner backend."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from server.settings import sqlite_url
from tests.live_server import loopback_socket, url_of
from tests.server.helpers import company_body, document_body

SIGNING_KEY = "service-process-tests-signing-key-0123456789"

_SERVE = """
import sys
import uvicorn
from editor.pool_worker import prewarm
from server.app import create_app
from server.cli import WS_DEFLATE
from server.process_tuning import prepare_process
from server.settings import Settings

app = create_app(Settings.from_env())
prepare_process()
prewarm()
uvicorn.run(
    app, fd=int(sys.argv[1]), proxy_headers=True, ws_per_message_deflate=WS_DEFLATE,
    log_level="warning",
)
"""


@dataclass
class Service:
    url: str
    pid: int
    var: Path

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http") + "/editor/ws"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def rss_bytes(self) -> int:
        """The service process's resident memory (not its workers')."""
        with open(f"/proc/{self.pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def work_pool_workers(self) -> list[int]:
        """Its work pool's worker processes (spawned by multiprocessing)."""
        found = []
        for pid in self.children():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"multiprocessing.spawn" in command and b"resource_tracker" not in command:
                found.append(pid)
        return found

    def children(self) -> list[int]:
        """Its child processes, whichever of its threads started them."""
        found = []
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            children = task / "children"
            if children.exists():
                found += [int(pid) for pid in children.read_text().split()]
        return found


def onboard(var: Path, *origins: str) -> list[str]:
    """One partner per origin, created in the database: their API keys."""
    from server import operator_tasks
    from server.db.engine import create_engine, session_factory
    from server.db.migrate import upgrade_database

    async def work() -> list[str]:
        engine = create_engine(sqlite_url(var / "blanche.db"))
        try:
            await upgrade_database(engine)
            keys = []
            for number, origin in enumerate(origins):
                async with session_factory(engine)() as session, session.begin():
                    created = await operator_tasks.create_partner(
                        session, f"Partner {number}", [origin], []
                    )
                    keys.append(created.key.secret)
            return keys
        finally:
            await engine.dispose()

    var.mkdir(parents=True, exist_ok=True)
    return asyncio.run(work())


@contextlib.contextmanager
def service_process(var: Path, **env: str) -> Iterator[Service]:
    """Serve until the block ends; the process is stopped (SIGINT, then killed)."""
    sock = loopback_socket()
    sock.listen(128)
    url = url_of(sock)
    environment = {
        **os.environ,
        "BLANCHE_VAR_DIR": str(var),
        "BLANCHE_PUBLIC_URL": url,
        "BLANCHE_SIGNING_KEYS": SIGNING_KEY,
        **env,
    }
    log = (var / "service.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(sock.fileno())],
        pass_fds=[sock.fileno()],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(url, process)
        yield Service(url, process.pid, var)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        sock.close()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/editor", timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("the service did not start")


@dataclass
class Tenant:
    """A partner's backend: its API key, one company and one user."""

    http: httpx.Client
    key: str
    origin: str
    company_id: int = 0
    user_id: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, f"/api/v1{path}", headers=self.headers, **kwargs)

    def setup(self) -> Tenant:
        company = self.call("POST", "/companies", json=company_body())
        company.raise_for_status()
        self.company_id = company.json()["id"]
        user = self.call("POST", f"/companies/{self.company_id}/users", json={"name": "Claire"})
        user.raise_for_status()
        self.user_id = user.json()["id"]
        return self

    def draft(self, lines: int = 3) -> int:
        body = document_body(lines=1)
        body["lines"] = body["lines"] * lines
        created = self.call("POST", f"/companies/{self.company_id}/documents", json=body)
        created.raise_for_status()
        return int(created.json()["id"])

    def editor_token(self, document_id: int) -> str:
        minted = self.call(
            "POST",
            "/editor-sessions",
            json={
                "company_id": self.company_id,
                "user_id": self.user_id,
                "document": {"id": document_id},
                "parent_origin": self.origin,
            },
        )
        minted.raise_for_status()
        return str(minted.json()["token"])
