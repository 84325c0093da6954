"""The PA channel end to end: the service (in-process), the sandbox PA (its own
process), the worker; SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx

from server.settings import Settings
from tests.server.helpers import Partner, in_db
from tests.server.pa.channel import (
    codes,
    connect,
    connected_company,
    fault,
    issue,
    run_worker_until,
    sandbox_flows,
    transmissions,
)
from tests.server.pa.processes import free_port


def test_an_issued_invoice_is_deposited_then_approved(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None, client: httpx.Client
) -> None:
    company = connected_company(partner_a, sandbox)
    invoice = issue(partner_a, company["id"])
    run_worker_until(settings, lambda: codes(partner_a, invoice["id"]) == ["200", "205"])
    items = partner_a.ok(partner_a.get(f"/documents/{invoice['id']}/lifecycle"))["items"]
    assert [(i["code"], i["label"], i["issuer"]) for i in items] == [
        ("200", "Déposée", "platform"),
        ("205", "Approuvée", "buyer"),
    ]
    editor = partner_a.ok(
        partner_a.post(
            "/editor-sessions",
            {
                "company_id": company["id"],
                "user_id": partner_a.user(company["id"])["id"],
                "document": {"id": invoice["id"]},
                "parent_origin": "https://app.a.example",
            },
        ),
        201,
    )
    shown = client.get(
        f"/api/v1/editor/documents/{invoice['id']}/lifecycle",
        headers={"Authorization": f"Editor {editor['token']}"},
    )
    assert shown.status_code == 200, shown.text
    assert [(i["code"], i["label_fr"], i["label_en"]) for i in shown.json()["items"]] == [
        ("200", "Déposée", "Submitted"),
        ("205", "Approuvée", "Approved"),
    ]
    log = transmissions(partner_a, company["id"])
    sent = [f for f in sandbox_flows(sandbox)["flows"] if f["trackingId"] == log[0]["tracking_id"]]
    assert len(sent) == 1 and sent[0]["name"] == f"{invoice['number']}.pdf"
    assert log[0]["tracking_id"].startswith(f"blanche-doc-{invoice['id']}-")
    assert log[0]["state"] == "done" and log[0]["document_id"] == invoice["id"]

    async def lifecycle_events(session: Any) -> list[str]:
        from sqlalchemy import select

        from server.db.webhooks import WebhookEvent

        rows = await session.scalars(
            select(WebhookEvent.payload).where(WebhookEvent.type == "document.lifecycle")
        )
        return list(rows)

    bodies = in_db(settings, lifecycle_events)
    assert len(bodies) == 2 and all('"code":"20' in b.replace(" ", "") for b in bodies)


def test_a_rejected_invoice_says_what_to_do(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    invoice = issue(partner_a, company["id"], note="Merci #reject")
    run_worker_until(settings, lambda: codes(partner_a, invoice["id"]) == ["213"])
    (item,) = partner_a.ok(partner_a.get(f"/documents/{invoice['id']}/lifecycle"))["items"]
    assert item["label"] == "Rejetée" and "#reject" in item["reason"]
    assert "credit note" in item["next_step"]


def test_a_refusal_follows_the_deposit(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    invoice = issue(partner_a, company["id"], note="#refuse")
    run_worker_until(settings, lambda: codes(partner_a, invoice["id"]) == ["200", "210"])
    items = partner_a.ok(partner_a.get(f"/documents/{invoice['id']}/lifecycle"))["items"]
    assert items[1]["issuer"] == "buyer" and items[1]["reason"]


def test_a_failing_platform_is_retried_and_logged(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    fault(sandbox, status=500, count=2, only="/flow-service/v1/flows")
    invoice = issue(partner_a, company["id"])
    run_worker_until(settings, lambda: "200" in codes(partner_a, invoice["id"]), timeout=60)
    (transmission,) = transmissions(partner_a, company["id"])
    outcomes = [(a["step"], a["outcome"], a["http_status"]) for a in transmission["log"]]
    assert outcomes[:2] == [("submit", "retry", 500), ("submit", "retry", 500)]
    assert all(a["action"] for a in transmission["log"][:2])
    assert ("submit", "ok", None) in outcomes


def test_an_expired_token_is_renewed(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    first = issue(partner_a, company["id"])
    run_worker_until(settings, lambda: "200" in codes(partner_a, first["id"]))
    fault(sandbox, revoke_tokens=True, count=0)
    second = issue(partner_a, company["id"])
    run_worker_until(settings, lambda: "200" in codes(partner_a, second["id"]))
    (log, _) = transmissions(partner_a, company["id"])
    assert [a["outcome"] for a in log["log"]] == ["ok", "ok"]  # no failure seen


def test_a_wrong_secret_fails_with_an_action(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = partner_a.company()
    body = {"url": sandbox, "client_id": "test-wrong", "client_secret": "wrong"}
    partner_a.ok(partner_a.put(f"/companies/{company['id']}/pa", body))
    issue(partner_a, company["id"])

    def failed() -> bool:
        items = partner_a.ok(partner_a.get(f"/companies/{company['id']}/pa/transmissions"))
        return bool(items["items"]) and items["items"][0]["state"] == "failed"

    run_worker_until(settings, failed)
    (transmission,) = transmissions(partner_a, company["id"])
    assert "client id and secret" in transmission["action"]


def test_the_connection_never_shows_its_secret(
    partner_a: Partner, partner_b: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = partner_a.company()
    shown = connect(partner_a, company["id"], sandbox)
    assert "client_secret" not in shown and "sandbox-test-secret" not in str(shown)
    assert (
        partner_a.ok(partner_a.get(f"/companies/{company['id']}/pa"))["url"].rstrip("/") == sandbox
    )

    async def stored(session: Any) -> str:
        from sqlalchemy import text

        return str(
            (await session.execute(text("SELECT secret_ciphertext FROM pa_connections"))).scalar()
        )

    assert "sandbox-test-secret" not in in_db(settings, stored)
    assert partner_b.get(f"/companies/{company['id']}/pa").status_code == 404
    assert partner_a.delete(f"/companies/{company['id']}/pa").status_code == 204
    assert partner_a.get(f"/companies/{company['id']}/pa").status_code == 404


def test_private_endpoints_are_refused_by_default(partner_a: Partner) -> None:
    company = partner_a.company()
    for url in (
        "http://127.0.0.1/",
        "https://10.0.0.8/",
        "https://localhost/",
        "ftp://pa.example/",
    ):
        body = {"url": url, "client_id": "x", "client_secret": "y"}
        response = partner_a.put(f"/companies/{company['id']}/pa", body)
        assert response.status_code == 422, url
        assert response.json()["errors"][0]["field"] == "url"


def test_the_directory_says_where_a_siren_receives(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    found = partner_a.ok(partner_a.get(f"/companies/{company['id']}/pa/directory?siren=552100554"))
    assert found["registered"] and found["platform"] == "PA Sandbox Blanche"
    absent = partner_a.ok(partner_a.get(f"/companies/{company['id']}/pa/directory?siren=912345678"))
    assert not absent["registered"]
    assert partner_a.get(f"/companies/{company['id']}/pa/directory?siren=12").status_code == 422


def test_a_payment_sends_212_encaissee(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    invoice = issue(partner_a, company["id"])
    payment = {"amount": "100.00", "paid_on": "2026-03-02", "means_code": "58"}
    partner_a.ok(partner_a.post(f"/documents/{invoice['id']}/payments", payment), 201)
    run_worker_until(settings, lambda: "212" in codes(partner_a, invoice["id"]))
    items = partner_a.ok(partner_a.get(f"/documents/{invoice['id']}/lifecycle"))["items"]
    (paid,) = [item for item in items if item["code"] == "212"]
    assert (paid["label"], paid["issuer"], paid["amount"]) == ("Encaissée", "seller", "100.00")
    sent = [f for f in sandbox_flows(sandbox)["flows"] if f["flowType"] == "CustomerInvoiceLC"]
    assert any(
        f["clientId"] == partner_a.ok(partner_a.get(f"/companies/{company['id']}/pa"))["client_id"]
        for f in sent
    )


def test_a_platform_that_is_down_is_retried_with_an_action(
    partner_a: Partner, settings: Settings, private_pa: None
) -> None:
    company = partner_a.company()
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    body = {"url": down, "client_id": "test-down", "client_secret": "x"}
    partner_a.ok(partner_a.put(f"/companies/{company['id']}/pa", body))
    issue(partner_a, company["id"])

    def tried() -> bool:
        items = transmissions(partner_a, company["id"])
        return bool(items) and bool(items[0]["log"])

    run_worker_until(settings, tried)
    (transmission,) = transmissions(partner_a, company["id"])
    assert transmission["state"] == "pending"  # kept, to be sent again later
    (attempt,) = transmission["log"]
    assert attempt["outcome"] == "retry" and "could not be reached" in attempt["error"]
    assert "retried" in attempt["action"]
