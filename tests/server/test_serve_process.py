"""`blanche serve` as a person runs it: one command starts the service and the
webhook worker; var/ stays private; the log holds no token or signed link; a
`kill -9` of the service takes its worker processes with it."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import httpx
import psutil

from server.editor.pdf import PdfLink, PdfLinks
from tests.server.helpers import company_body, document_body
from tests.server.serve_process import (
    SIGNING_KEY,
    new_partner,
    service_environment,
    serving,
    wait_gone,
)
from tests.server.webhooks.receiver import running_receiver

SECRET_QUERY_TOKEN = "tok-7c1e0a9b52d84f06a3"


def _worker_children(processes: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in processes if "webhooks" in p.cmdline() and "worker" in p.cmdline()]


def _not_private(var_dir: Path) -> list[str]:
    loose = []
    for directory, _, files in os.walk(var_dir):
        for path in [Path(directory), *(Path(directory) / name for name in files)]:
            mode = path.lstat().st_mode
            if not stat.S_ISLNK(mode) and mode & 0o077:
                loose.append(f"{oct(stat.S_IMODE(mode))} {path.relative_to(var_dir)}")
    return loose


def test_one_command_runs_everything_privately_and_dies_whole(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    (var_dir / "files" / "old").mkdir(parents=True)
    os.chmod(var_dir / "files", 0o755)
    left_over = var_dir / "files" / "old" / "readable.pdf"
    left_over.write_bytes(b"%PDF-")  # as an earlier version left it: 0644
    os.chmod(left_over, 0o644)
    env = service_environment(var_dir)
    with running_receiver() as receiver, serving(env, tmp_path / "serve.log") as service:
        [worker] = _worker_children(service.descendants())
        [pa_worker] = [p for p in service.descendants() if p.cmdline()[-2:] == ["pa", "worker"]]
        key = new_partner(env)
        api = httpx.Client(
            base_url=f"{service.base_url}/api/v1",
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,  # the first PDF starts the heavy-work pool
        )
        with api:
            api.post("/webhooks", json={"url": receiver.url("/hook"), "events": ["*"]})
            company = api.post("/companies", json=company_body()).json()
            draft = api.post(f"/companies/{company['id']}/documents", json=document_body()).json()
            finalized = api.post(f"/documents/{draft['id']}/finalize").json()
            assert finalized["number"], finalized
            assert api.get(f"/documents/{draft['id']}/pdf").status_code == 200
        link = PdfLinks([SIGNING_KEY], service.base_url).url(
            PdfLink(
                partner_id=int(company["partner_id"]) if "partner_id" in company else 1,
                company_id=company["id"],
                document_id=draft["id"],
                locale="fr",
            )
        )
        signed = link.rsplit("/", 1)[1]
        httpx.get(link, timeout=120)
        httpx.get(f"{service.base_url}/editor?p={signed}")
        httpx.get(f"{service.base_url}/api/v1/companies?token={SECRET_QUERY_TOKEN}&limit=5")

        deadline = time.monotonic() + 60  # the worker started by `serve` delivers
        while not receiver.requests("/hook") and time.monotonic() < deadline:
            time.sleep(0.1)
        types = {r.event["type"] for r in receiver.requests("/hook")}
        assert "company.created" in types, service.output()

        assert _not_private(var_dir) == []
        assert {p.name for p in var_dir.iterdir()} >= {
            "blanche.db",
            "signing-keys",
            "journal-keys",
            "files",
        } - {"signing-keys"}  # the keys come from BLANCHE_SIGNING_KEYS here

        family = [psutil.Process(service.process.pid), *service.descendants()]
        assert worker in family and pa_worker in family
        # the heavy-work pool that rendered the PDF: spawned processes of the service
        assert any("spawn_main" in " ".join(p.cmdline()) for p in family), family
        service.process.kill()  # kill -9: no cleanup runs in the service
        service.process.wait()
        assert wait_gone(family) == []

    log = service.output()
    assert "GET /editor/pdf/[redacted]" in log, log
    assert "p=[redacted]" in log and "token=[redacted]&limit=5" in log
    for secret in (signed, SECRET_QUERY_TOKEN, signed.split(".")[-1]):
        assert secret not in log
    assert receiver.url("/hook") not in log  # endpoint URLs may carry secrets too


def test_the_worker_can_be_left_to_a_process_of_its_own(tmp_path: Path) -> None:
    env = service_environment(tmp_path / "var")
    with serving(env, tmp_path / "serve.log", "--no-webhook-worker") as service:
        assert _worker_children(service.descendants()) == []
