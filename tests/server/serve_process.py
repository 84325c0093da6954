"""`blanche serve` as a real process, with its log captured."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
SIGNING_KEY = "serve-process-test-signing-key"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def service_environment(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "BLANCHE_VAR_DIR": str(var_dir),
        "BLANCHE_SIGNING_KEYS": SIGNING_KEY,
        "BLANCHE_WEBHOOKS_ALLOW_HTTP": "1",
        "BLANCHE_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
        "BLANCHE_WEBHOOKS_POLL_SECONDS": "0.05",
        "BLANCHE_WEBHOOKS_RETRY_BASE_SECONDS": "0.05",
        "BLANCHE_WEBHOOKS_RETRY_CAP_SECONDS": "0.2",
        "BLANCHE_WEBHOOKS_LEASE_SECONDS": "10",
        "BLANCHE_WEBHOOKS_TIMEOUT_SECONDS": "3",
    }
    if database_url is not None:
        env["BLANCHE_DATABASE_URL"] = database_url
    return env


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def descendants(self) -> list[psutil.Process]:
        try:
            return list(psutil.Process(self.process.pid).children(recursive=True))
        except psutil.NoSuchProcess:
            return []


def wait_until_ready(service: Service, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise AssertionError(f"blanche serve exited:\n{service.output()}")
        try:
            if httpx.get(f"{service.base_url}/api/v1/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"blanche serve did not answer:\n{service.output()}")


@contextmanager
def serving(env: dict[str, str], log: Path, *options: str) -> Iterator[Service]:
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port), *options],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    service = Service(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_ready(service)
        yield service
    finally:
        stop(service)


def stop(service: Service) -> None:
    children = service.descendants()
    if service.process.poll() is None:
        service.process.send_signal(signal.SIGTERM)
        try:
            service.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()
    for child in children:
        if child.is_running():
            child.kill()


def wait_gone(processes: list[psutil.Process], seconds: float = 30.0) -> list[psutil.Process]:
    """The processes still alive after `seconds` (a liveness wait, not a timing)."""
    _, alive = psutil.wait_procs(processes, timeout=seconds)
    return [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def new_partner(env: dict[str, str], name: str = "Serve test") -> str:
    out = cli(env, "partners", "create", name, "--origin", "https://app.example.com")
    return next(line.split(": ", 1)[1] for line in out.splitlines() if "API key" in line)
