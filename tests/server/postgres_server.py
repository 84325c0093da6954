"""A throwaway PostgreSQL 15 for the test session (see FIELD-NOTES: as root,
initdb and pg_ctl run as the `postgres` user; trust auth; 127.0.0.1 only)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("BLANCHE_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    root: Path
    port: int = 0

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "--auth=trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--locale=C",
                ]
            ),
            check=True,
            cwd="/",
            capture_output=True,
        )
        last_error = b""
        for _attempt in range(5):
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
            )
            started = subprocess.run(
                _as_postgres(
                    [
                        str(PG_BIN / "pg_ctl"),
                        "-D",
                        str(self.data_dir),
                        "-o",
                        options,
                        "-l",
                        str(self.root / "log"),
                        "-w",
                        "start",
                    ]
                ),
                cwd="/",
                capture_output=True,
            )
            if started.returncode == 0:
                return
            last_error = started.stdout + started.stderr
        raise RuntimeError(f"PostgreSQL did not start: {last_error.decode(errors='replace')}")

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"]
            ),
            cwd="/",
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def new_server() -> PostgresServer:
    return PostgresServer(Path(tempfile.mkdtemp(prefix="blanche-pg-")))


def database_name() -> str:
    return f"t_{uuid.uuid4().hex[:16]}"
