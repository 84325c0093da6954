"""Two `blanche serve` processes on one SQLite file: their writers queue on the
writers' file lock (server/db/sqlite/writers.py), so concurrent creates and
finalizations from both succeed, numbering stays gapless, and a process killed in
the middle of the load leaves the other writing."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx

from tests.server.helpers import company_body, document_body
from tests.server.serve_process import new_partner, service_environment, serving, wait_gone

CREATES = 40  # per service
FINALIZATIONS = 8
CLIENTS = 8  # per service


def test_two_processes_write_to_one_sqlite_file_side_by_side(tmp_path: Path) -> None:
    env = service_environment(tmp_path / "var")
    env["BLANCHE_API_RATE_PER_SECOND"] = "1000"
    env["BLANCHE_API_BURST"] = "1000"
    with ExitStack() as stack:
        first = stack.enter_context(serving(env, tmp_path / "first.log"))
        second = stack.enter_context(serving(env, tmp_path / "second.log"))
        headers = {"Authorization": f"Bearer {new_partner(env)}"}
        apis = [
            stack.enter_context(
                httpx.Client(base_url=f"{s.base_url}/api/v1", headers=headers, timeout=120)
            )
            for s in (first, second)
        ]
        company = apis[0].post("/companies", json=company_body()).json()
        documents = f"/companies/{company['id']}/documents"
        body = document_body()

        def create(api: httpx.Client) -> int:
            answer = api.post(documents, json=body)
            assert answer.status_code == 201, answer.text
            return int(answer.json()["id"])

        with ThreadPoolExecutor(2 * CLIENTS) as pool:
            ids = list(pool.map(create, [api for api in apis for _ in range(CREATES)]))
            assert len(set(ids)) == 2 * CREATES

            def finalize(pair: tuple[httpx.Client, int]) -> str:
                api, document_id = pair
                answer = api.post(f"/documents/{document_id}/finalize")
                assert answer.status_code == 200, answer.text
                return str(answer.json()["number"])

            numbers = list(
                pool.map(finalize, zip(itertools.cycle(apis), ids[:FINALIZATIONS], strict=False))
            )
        prefix = numbers[0].rsplit("-", 1)[0]
        assert sorted(numbers) == [f"{prefix}-{n:05d}" for n in range(1, FINALIZATIONS + 1)]

        # kill -9 of the first process while both are writing: the second goes on.
        stop = threading.Event()

        def keep_creating(api: httpx.Client) -> list[int]:
            statuses = []
            while not stop.is_set():
                try:
                    statuses.append(api.post(documents, json=body).status_code)
                except httpx.HTTPError:
                    break  # its process is gone
            return statuses

        with ThreadPoolExecutor(2 * CLIENTS) as pool:
            loads = [pool.submit(keep_creating, api) for api in apis for _ in range(CLIENTS)]
            for _ in range(10):  # both processes are writing by now
                create(apis[1])
            children = first.descendants()
            first.process.kill()
            first.process.wait()
            for _ in range(10):
                create(apis[1])
            stop.set()
            statuses = [status for load in loads for status in load.result()]
        assert set(statuses) == {201}
        assert wait_gone(children) == []
    # The survivor's output: the killed one's pool workers may report their pipe gone.
    assert "Traceback" not in second.output()
