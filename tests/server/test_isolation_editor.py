"""One tenant never stalls another through the editor or heavy work (issue 14): each
attack runs against the real service in its own process while another partner
keeps calling the API and pinging its editor, which must be answered meanwhile,
without errors; and nothing of the attacker's valid work is lost."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from pathlib import Path
from typing import Any

import httpx

from invoicing.limits import MAX_LINES
from tests.server.editor_clients import (
    SilentTab,
    bystander,
    closed_with,
    open_tab,
    until,
)
from tests.server.editor_service import Service, Tenant, onboard, service_process

ORIGIN_A, ORIGIN_B = "https://app.a.example", "https://app.b.example"


def _start(var: Path, **env: str) -> tuple[Any, list[str]]:
    keys = onboard(var, ORIGIN_A, ORIGIN_B)
    return service_process(var, **env), keys


def _quantities(count: int, value: str, first_seq: int = 1) -> list[dict[str, Any]]:
    return [
        {"type": "patch", "seq": first_seq + i, "op": "set", "path": f"lines[{i}].quantity"}
        | {"value": value}
        for i in range(count)
    ]


# --- a hello carrying many pending patches ------------------------------------------------


def test_a_hello_with_pending_patches_on_a_long_draft_stalls_nobody_and_loses_nothing(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    serving, (key_a, key_b) = _start(var)
    with serving as service, httpx.Client(base_url=service.url, timeout=300) as http:
        a = Tenant(http, key_a, ORIGIN_A).setup()
        b = Tenant(http, key_b, ORIGIN_B).setup()
        long_draft = a.draft(lines=MAX_LINES)
        token = a.editor_token(long_draft)
        asyncio.run(_hello_attack(service, a, b, token, long_draft))
        saved = a.call("GET", f"/documents/{long_draft}").json()["document"]
        assert [line["quantity"] for line in saved["lines"]] == ["7"] * MAX_LINES


async def _hello_attack(service: Service, a: Tenant, b: Tenant, token: str, doc: int) -> None:
    loop = asyncio.get_running_loop()
    other = await bystander(service, b)
    running = asyncio.create_task(other.run(service.url))
    try:
        # Beyond the bound: refused at once, with its own code.
        too_many = await open_tab(
            service, token, "attacker-tab-01", pending=_quantities(MAX_LINES + 1, "7")
        )
        assert await closed_with(too_many) == (4413, ["too_many_pending"])

        await asyncio.sleep(0.2)  # the bystander is going
        sent = loop.time()
        ws = await open_tab(service, token, "attacker-tab-01", pending=_quantities(MAX_LINES, "7"))
        welcome = await until(ws, "welcome")
        welcomed = loop.time()
        assert welcome["seq"] == MAX_LINES
        api, pings = other.served_between(sent, welcomed)
        assert api > 0 and pings > 0, (api, pings)  # served while the hello was handled
        await ws.send(json.dumps({"type": "action", "id": "s1", "action": "save"}))
        result = await until(ws, "result", seconds=300)
        assert result["ok"] is True, result
        await ws.close()
    finally:
        other.stop()
        await running
        await other.ws.close()
    assert other.failures == []


# --- a tab that never reads ------------------------------------------------------------------


def test_a_tab_that_never_reads_is_dropped_alone_and_the_writer_goes_on(tmp_path: Path) -> None:
    var = tmp_path / "var"
    serving, (key_a, key_b) = _start(
        var, BLANCHE_EDITOR_SEND_QUEUE_MESSAGES="8", BLANCHE_EDITOR_MESSAGE_BURST="200"
    )
    with serving as service, httpx.Client(base_url=service.url, timeout=300) as http:
        a = Tenant(http, key_a, ORIGIN_A).setup()
        b = Tenant(http, key_b, ORIGIN_B).setup()
        draft = a.draft(lines=MAX_LINES)  # big messages: 1,000 line amounts, long previews
        token = a.editor_token(draft)
        silent = SilentTab(service)
        try:
            asyncio.run(_silent_tab_attack(service, b, token, silent))
        finally:
            silent.close()


async def _silent_tab_attack(service: Service, b: Tenant, token: str, silent: SilentTab) -> None:
    other = await bystander(service, b)
    running = asyncio.create_task(other.run(service.url))
    try:
        writer = await open_tab(service, token, "writer-tab-0001")
        await until(writer, "welcome")
        silent.send_json({"type": "hello", "token": token, "tab": "silent-tab-01", "parent": None})
        silent.read_until_text(b'"type":"welcome"')  # it watches; from now on it never reads
        patches = 150
        for seq in range(1, patches + 1):  # back to back, as a fast typist's
            patch = {"type": "patch", "seq": seq, "op": "set", "value": str(seq % 9 + 1)}
            await writer.send(json.dumps(patch | {"path": f"lines[{seq % 500}].quantity"}))
        for seq in range(1, patches + 1):
            ack = await until(writer, "ack")
            assert (ack["seq"], ack["outcome"]) == (seq, "applied")
        await writer.send('{"type":"ping"}')
        await until(writer, "pong")
        await writer.close()
    finally:
        other.stop()
        await running
        await other.ws.close()
    assert other.failures == []
    assert other.served_pings and other.served_api
    # Reading again, the silent tab finds what was queued before it was dropped, then 4420.
    # (4 MB or so wait in the server's socket buffer before its queue fills.)
    assert await asyncio.to_thread(silent.read_to_the_end) == 4420


# --- Origin, and per-partner limits ---------------------------------------------------------


def test_origin_is_checked_and_per_partner_limits_close_only_that_partner(tmp_path: Path) -> None:
    var = tmp_path / "var"
    serving, (key_a, key_b) = _start(
        var,
        BLANCHE_EDITOR_SESSIONS_PER_PARTNER="2",
        BLANCHE_EDITOR_MESSAGES_PER_SECOND="5",
        BLANCHE_EDITOR_MESSAGE_BURST="20",
    )
    with serving as service, httpx.Client(base_url=service.url, timeout=300) as http:
        a = Tenant(http, key_a, ORIGIN_A).setup()
        b = Tenant(http, key_b, ORIGIN_B).setup()
        tokens = [a.editor_token(a.draft()) for _ in range(3)]
        asyncio.run(_origin_and_limits(service, tokens, b))


async def _origin_and_limits(service: Service, tokens: list[str], b: Tenant) -> None:
    evil = await open_tab(service, tokens[0], "evil-tab-00001", origin="http://evil.example")
    assert await closed_with(evil) == (4403, ["wrong_origin"])
    # The session's parent origin is tolerated (the page is the service's, though).
    framed = await open_tab(service, tokens[0], "framed-tab-0001", origin=ORIGIN_A)
    await until(framed, "welcome")
    await framed.close()

    first = await open_tab(service, tokens[0], "limit-tab-00001")
    second = await open_tab(service, tokens[1], "limit-tab-00002")
    for ws in (first, second):
        await until(ws, "welcome")
    third = await open_tab(service, tokens[2], "limit-tab-00003")
    assert await closed_with(third) == (4429, ["too_many_sessions"])
    other = await bystander(service, b)  # another partner still gets its session
    running = asyncio.create_task(other.run(service.url))
    try:
        for _ in range(60):  # far beyond 5 a second after a burst of 20
            await first.send('{"type":"ping"}')
        code, errors = await closed_with(first)
        assert (code, errors[-1:]) == (4429, ["rate_limited"])
        await second.send('{"type":"ping"}')  # the partner's other tab is not punished
        await until(second, "pong")
        freed = await open_tab(service, tokens[2], "limit-tab-00003")  # a place was freed
        await until(freed, "welcome")
        await freed.close()
    finally:
        other.stop()
        await running
        await other.ws.close()
        await second.close()
    assert other.failures == []
    assert other.served_pings and other.served_api


# --- PDFs: in the work pool, kept by content, bounded in time ------------------------------


def test_a_long_draft_pdf_renders_in_the_pool_while_others_are_served_and_is_kept_by_content(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    serving, (key_a, key_b) = _start(var, BLANCHE_WORK_WORKERS="1", BLANCHE_WORK_PDF_SECONDS="600")
    with serving as service, httpx.Client(base_url=service.url, timeout=900) as http:
        a = Tenant(http, key_a, ORIGIN_A).setup()
        b = Tenant(http, key_b, ORIGIN_B).setup()
        draft = a.draft(lines=MAX_LINES)
        asyncio.run(_long_pdf(service, a, b, draft))


async def _long_pdf(service: Service, a: Tenant, b: Tenant, draft: int) -> None:
    loop = asyncio.get_running_loop()
    other = await bystander(service, b)
    running = asyncio.create_task(other.run(service.url))
    path = f"{service.url}/api/v1/documents/{draft}/pdf"
    try:
        async with httpx.AsyncClient(timeout=900, headers=a.headers) as http:
            memory_before = service.rss_bytes()
            asked = loop.time()
            first = await http.get(path)
            answered = loop.time()
            growth = service.rss_bytes() - memory_before
            assert first.status_code == 200 and first.content.startswith(b"%PDF-")
            api, pings = other.served_between(asked, answered)
            assert api > 0 and pings > 0, (api, pings)  # served while it rendered
            # Rendered elsewhere: the service holds the bytes, not the layout of 1,000
            # lines (in this process, that render grows it by ~110 MB).
            assert growth < 40 * 1024 * 1024, growth >> 20

            workers = service.work_pool_workers()
            assert workers  # the render's worker, alive and warm
            for pid in workers:
                os.kill(pid, signal.SIGSTOP)  # whatever asks it now waits forever
            try:
                again = await http.get(path)  # the same content: kept, not rendered again
            finally:
                for pid in workers:
                    # A worker may have been replaced meanwhile (then there is none to wake).
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGCONT)
            assert again.status_code == 200 and again.content == first.content
    finally:
        other.stop()
        await running
        await other.ws.close()
    assert other.failures == []


def test_a_pdf_past_its_deadline_answers_a_problem_and_its_worker_is_replaced(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    serving, (key_a, key_b) = _start(var, BLANCHE_WORK_WORKERS="1", BLANCHE_WORK_PDF_SECONDS="20")
    with serving as service, httpx.Client(base_url=service.url, timeout=300) as http:
        a = Tenant(http, key_a, ORIGIN_A).setup()
        b = Tenant(http, key_b, ORIGIN_B).setup()
        draft = a.draft(lines=2)
        assert a.call("GET", f"/documents/{draft}/pdf").status_code == 200  # warm
        stuck = service.work_pool_workers()
        for pid in stuck:
            os.kill(pid, signal.SIGSTOP)  # a render that never ends
        changed = a.call("GET", f"/documents/{draft}").json()["document"]
        changed["subject"] = "Stuck"
        assert a.call("PUT", f"/documents/{draft}", json=changed).status_code == 200
        asyncio.run(_deadline(service, a, b, draft))
        assert all(not Path(f"/proc/{pid}").exists() for pid in stuck)  # stopped for good
        fresh = a.call("GET", f"/documents/{draft}/pdf")  # a new worker renders it
        assert fresh.status_code == 200 and fresh.content.startswith(b"%PDF-")


async def _deadline(service: Service, a: Tenant, b: Tenant, draft: int) -> None:
    loop = asyncio.get_running_loop()
    other = await bystander(service, b)
    running = asyncio.create_task(other.run(service.url))
    try:
        async with httpx.AsyncClient(timeout=300, headers=a.headers) as http:
            asked = loop.time()
            late = await http.get(f"{service.url}/api/v1/documents/{draft}/pdf")
            answered = loop.time()
        assert late.status_code == 504
        assert late.json()["code"] == "pdf_timeout"
        assert int(late.headers["retry-after"]) > 0
        api, pings = other.served_between(asked, answered)
        assert api > 0 and pings > 0, (api, pings)
    finally:
        other.stop()
        await running
        await other.ws.close()
    assert other.failures == []
