"""Events reach a real receiver, signed, in order, and each attempt is logged."""

from __future__ import annotations

import datetime as dt
import socket
import time

from server.settings import Settings
from server.webhooks.signing import verify
from server.webhooks.ssrf import DnsFailure, system_resolver
from tests.server.helpers import Partner
from tests.server.webhooks.receiver import Answer, Receiver
from tests.server.webhooks.worker_runs import drain


def subscribe(partner: Partner, url: str, **fields: object) -> dict[str, object]:
    body = {"url": url, "events": ["*"], **fields}
    return partner.ok(partner.post("/webhooks", body), 201)  # type: ignore[no-any-return]


def test_events_are_delivered_signed_and_in_order(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    hook = subscribe(partner_a, receiver.url("/hook"))
    secret = str(hook["secret"])
    company = partner_a.company()
    draft = partner_a.draft(company["id"])
    partner_a.ok(partner_a.post(f"/documents/{draft['id']}/finalize"))
    drain(settings)
    got = receiver.requests("/hook")
    assert [r.event["type"] for r in got] == [
        "company.created",
        "document.created",
        "document.finalized",
    ]
    for request in got:
        event = request.event
        assert request.headers["Blanche-Event-Id"] == event["id"]
        assert request.headers["Blanche-Event-Type"] == event["type"]
        assert verify(request.headers["Blanche-Signature"], request.body, secret, int(time.time()))
        assert not verify(
            request.headers["Blanche-Signature"], request.body + b" ", secret, int(time.time())
        )
        assert event["partner_id"] == partner_a.id
        assert event["company_id"] == company["id"]
    finalized = got[2].event["data"]
    assert finalized["object_type"] == "document"
    assert finalized["link"] == f"/api/v1/documents/{draft['id']}"
    assert finalized["object"]["status"] == "finalized"
    assert finalized["object"]["number"].startswith("F-")
    log = partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}/deliveries"))["items"]
    assert [entry["severity"] for entry in log] == ["info"] * 3
    assert {entry["kind"] for entry in log} == {"delivered"}
    assert all(entry["status_code"] == 200 and entry["latency_ms"] >= 0 for entry in log)
    shown = partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}"))
    assert "secret" not in shown
    assert shown["queue"] == {"pending": 0, "held": 0, "failed": 0, "delivered": 3}


def _contact(partner: Partner, company_id: int, name: str) -> int:
    body = {"kind": "person", "name": name}
    return int(partner.ok(partner.post(f"/companies/{company_id}/contacts", body), 201)["id"])


def _log(partner: Partner, hook_id: object, **params: str) -> list[dict[str, object]]:
    response = partner.get(f"/webhooks/{hook_id}/deliveries", params=params)
    return list(reversed(partner.ok(response)["items"]))  # oldest first


def test_server_errors_are_retried_then_given_up_with_an_error_entry(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    hook = subscribe(partner_a, receiver.url("/down"), events=["contact.created"])
    receiver.script["/down"] = [Answer(500, body=b"database unavailable")]
    _contact(partner_a, company["id"], "Jeanne")
    drain(settings)
    attempts = receiver.requests("/down")
    assert len(attempts) >= 3
    assert len({r.event["id"] for r in attempts}) == 1
    assert [r.headers["Blanche-Delivery-Attempt"] for r in attempts] == [
        str(n) for n in range(1, len(attempts) + 1)
    ]
    log = _log(partner_a, hook["id"])
    assert len(log) == len(attempts)
    assert {e["kind"] for e in log} == {"server_error"}
    assert [e["severity"] for e in log[:-1]] == ["warning"] * (len(log) - 1)
    assert all(e["will_retry"] for e in log[:-1])
    last = log[-1]
    assert last["severity"] == "error" and not last["will_retry"]
    assert "replay" in str(last["action"]) and "Gave up" in str(last["message"])
    assert last["response_excerpt"] == "database unavailable"
    assert partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}"))["queue"]["failed"] == 1
    errors = _log(partner_a, hook["id"], severity="error")
    assert errors == [last]


def test_an_endpoint_receives_its_next_event_only_after_the_earlier_one(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    subscribe(partner_a, receiver.url("/ordered"), events=["contact.created"])
    subscribe(partner_a, receiver.url("/other"), events=["contact.created"])
    receiver.script["/ordered"] = [Answer(500), Answer(503), Answer(200)]
    names = ["first", "second", "third"]
    for name in names:
        _contact(partner_a, company["id"], name)
    drain(settings)
    seen = [r.event["data"]["object"]["name"] for r in receiver.requests("/ordered")]
    assert seen == ["first", "first", "first", "second", "third"]
    assert [r.event["data"]["object"]["name"] for r in receiver.requests("/other")] == names


def test_gone_disables_the_endpoint_keeps_events_and_replay_sends_them(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    hook = subscribe(partner_a, receiver.url("/gone"), events=["contact.created"])
    receiver.script["/gone"] = [Answer(410), Answer(200)]
    _contact(partner_a, company["id"], "one")
    drain(settings)
    shown = partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}"))
    assert shown["status"] == "disabled" and "410" in shown["disabled_reason"]
    [entry] = _log(partner_a, hook["id"])
    assert (entry["kind"], entry["severity"], entry["status_code"]) == ("gone", "error", 410)
    assert "re-enable" in str(entry["action"])
    _contact(partner_a, company["id"], "two")
    drain(settings)
    assert len(receiver.requests("/gone")) == 1
    assert partner_a.ok(partner_a.get(f"/webhooks/{hook['id']}"))["queue"]["held"] == 2
    refused = partner_a.post(
        f"/webhooks/{hook['id']}/replay",
        {"from": before.isoformat(), "to": dt.datetime.now(dt.UTC).isoformat()},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "webhook_disabled"
    partner_a.ok(partner_a.patch(f"/webhooks/{hook['id']}", {"enabled": True}))
    replayed = partner_a.ok(
        partner_a.post(
            f"/webhooks/{hook['id']}/replay",
            {"from": before.isoformat(), "to": dt.datetime.now(dt.UTC).isoformat()},
        ),
        202,
    )
    assert replayed["queued"] == 2
    drain(settings)
    got = receiver.requests("/gone")
    assert [r.event["data"]["object"]["name"] for r in got] == ["one", "one", "two"]
    assert got[0].event["id"] == got[1].event["id"]


def test_a_slow_receiver_times_out_and_the_event_is_retried(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    hook = subscribe(partner_a, receiver.url("/slow"), events=["contact.created"])
    receiver.script["/slow"] = [Answer(200, delay=1.6), Answer(200)]
    # The lease outlives any attempt even on a loaded machine: a lease that expired
    # mid-attempt would send the event again beside the attempt still running.
    _contact(partner_a, company["id"], "patient")
    drain(settings, timeout_seconds=0.5, lease_seconds=30.0, retry_window_seconds=10.0)
    log = _log(partner_a, hook["id"])
    assert [(e["kind"], e["severity"]) for e in log] == [
        ("timeout", "warning"),
        ("delivered", "info"),
    ]
    assert "0.5 s" in str(log[0]["action"])
    assert log[0]["status_code"] is None


def test_a_receiver_that_is_down_gives_connection_refused(
    partner_a: Partner, settings: Settings
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    company = partner_a.company()
    hook = subscribe(partner_a, f"http://127.0.0.1:{port}/hook", events=["contact.created"])
    _contact(partner_a, company["id"], "nobody home")
    drain(settings)
    log = _log(partner_a, hook["id"])
    assert log and {e["kind"] for e in log} == {"connection_refused"}
    assert log[-1]["severity"] == "error" and "running" in str(log[0]["action"])


def test_unauthorized_answers_point_at_the_signature(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    hook = subscribe(partner_a, receiver.url("/auth"), events=["contact.created"])
    junk = b"\x00\x1b[31m" + b"\xff\xfe" + "é".encode() * 2000
    receiver.script["/auth"] = [Answer(401, body=junk), Answer(403), Answer(204, body=b"")]
    _contact(partner_a, company["id"], "guarded")
    drain(settings)
    log = _log(partner_a, hook["id"])
    assert [(e["kind"], e["severity"]) for e in log] == [
        ("signature_rejected", "error"),
        ("signature_rejected", "error"),
        ("delivered", "info"),
    ]
    assert "Blanche-Signature" in str(log[0]["action"])
    excerpt = str(log[0]["response_excerpt"])
    assert len(excerpt) <= 501 and excerpt.endswith("…")
    assert "\x00" not in excerpt and "\x1b" not in excerpt and "é" in excerpt
    assert _log(partner_a, hook["id"], severity="info") == [log[2]]
    assert _log(partner_a, hook["id"], severity="warning,error") == log[:2]
    assert _log(partner_a, hook["id"], kind="delivered") == [log[2]]


def test_after_a_rotation_both_secrets_sign_during_the_grace_period(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    hook = subscribe(partner_a, receiver.url("/rotate"), events=["contact.created"])
    old = str(hook["secret"])
    rotated = partner_a.ok(partner_a.post(f"/webhooks/{hook['id']}/rotate-secret", {}))
    new = rotated["secret"]
    assert new != old and rotated["previous_secret_expires_at"] is not None
    _contact(partner_a, company["id"], "during grace")
    drain(settings)
    [during] = receiver.requests("/rotate")
    header = during.headers["Blanche-Signature"]
    assert header.count("v1=") == 2
    now = int(time.time())
    assert verify(header, during.body, new, now) and verify(header, during.body, old, now)
    final = partner_a.ok(
        partner_a.post(f"/webhooks/{hook['id']}/rotate-secret", {"grace_seconds": 0})
    )
    _contact(partner_a, company["id"], "after grace")
    drain(settings)
    after = receiver.requests("/rotate")[1]
    header = after.headers["Blanche-Signature"]
    assert header.count("v1=") == 1
    assert verify(header, after.body, final["secret"], now)
    assert not verify(header, after.body, new, now)


def test_dns_and_tls_failures_are_named_with_their_action(
    partner_a: Partner, receiver: Receiver, settings: Settings
) -> None:
    company = partner_a.company()
    port = int(receiver.base_url.rsplit(":", 1)[1])
    unknown = subscribe(partner_a, "https://hooks.unknown.example/x", events=["contact.created"])
    plain = subscribe(partner_a, f"https://127.0.0.1:{port}/tls", events=["contact.created"])

    async def resolver(host: str, port: int) -> list[str]:
        if host == "hooks.unknown.example":
            raise DnsFailure(host, "Name or service not known")
        return await system_resolver(host, port)

    _contact(partner_a, company["id"], "somewhere")
    drain(settings, resolver=resolver)
    dns = _log(partner_a, unknown["id"])
    assert dns and {(e["kind"], e["severity"]) for e in dns} == {("dns", "error")}
    assert "DNS records" in str(dns[0]["action"])
    tls = _log(partner_a, plain["id"])  # an https URL on a server that speaks plain HTTP
    assert tls and {(e["kind"], e["severity"]) for e in tls} == {("tls", "error")}
    assert "certificate" in str(tls[0]["action"])
