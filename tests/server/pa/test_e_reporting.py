"""E-reporting: a month of mixed sales, reported once through the PA."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any

from server.pa.worker import PaWorker
from server.settings import Settings
from tests.server.helpers import Clock, Partner, document_body
from tests.server.pa.channel import (
    FAST,
    connected_company,
    run_worker_until,
    sandbox_flows,
)
from tests.server.pa.processes import CLIENT_SECRET


def _issue(partner: Partner, company_id: int, body: dict[str, Any]) -> dict[str, Any]:
    draft = partner.ok(partner.post(f"/companies/{company_id}/documents", body), 201)
    return partner.ok(partner.post(f"/documents/{draft['id']}/finalize"))  # type: ignore[no-any-return]


def _abroad() -> dict[str, Any]:
    body = document_body()
    buyer = body["buyer"]
    buyer["address"] = {
        "line1": "Hauptstraße 5",
        "city": "Berlin",
        "postcode": "10115",
        "country": "DE",
    }
    buyer["vat_id"] = "DE136695976"
    for key in ("siren", "siret", "electronic_address"):
        buyer.pop(key, None)
    return body


def _private() -> dict[str, Any]:
    body = document_body()
    body.pop("vat_point_date_code", None)  # VAT due on receipt: its payments are reported
    body["buyer"] = {
        "name": "Camille Martin",
        "private_person": True,
        "address": {
            "line1": "3 rue des Lilas",
            "city": "Lyon",
            "postcode": "69003",
            "country": "FR",
        },
    }
    return body


def test_a_month_of_mixed_sales_is_reported_once(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None, clock: Clock
) -> None:
    company = connected_company(partner_a, sandbox)
    clock.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    b2b = _issue(partner_a, company["id"], document_body())
    first = _issue(partner_a, company["id"], _private())
    second = _issue(partner_a, company["id"], _private())
    clock.now = dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC)
    payment = {"amount": "50.00", "paid_on": "2026-03-05", "means_code": "48"}
    partner_a.ok(partner_a.post(f"/documents/{first['id']}/payments", payment), 201)
    abroad = _issue(partner_a, company["id"], _abroad())
    note = partner_a.ok(partner_a.post(f"/documents/{abroad['id']}/credit-note"), 201)
    partner_a.ok(partner_a.post(f"/documents/{note['id']}/finalize"))

    month = partner_a.ok(partner_a.get(f"/companies/{company['id']}/e-reporting?period=2026-03"))
    numbers = {d["number"] for d in month["documents"]}
    assert b2b["number"] not in numbers  # e-invoiced: the network carries it
    assert {first["number"], second["number"], abroad["number"]} <= numbers
    (day,) = [t for t in month["daily_totals"] if t["day"] == "2026-03-02"]
    assert day["documents"] == 2
    paid = [p for p in month["payments"] if p["day"] == "2026-03-05"]
    assert sum(Decimal(p["amount"]) for p in paid) == Decimal("50.00")  # split over its rates
    credited = [d for d in month["documents"] if d["kind"] == "credit_note"]
    assert credited and credited[0]["taxable"].startswith("-")
    assert month["reports"][0]["state"] == "open"  # March is not over (the app's clock)

    april = dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC)

    async def two_workers() -> None:
        workers = [PaWorker(settings, FAST, now=lambda: april) for _ in range(2)]
        try:
            for _ in range(3):
                await asyncio.gather(*(w.run_once() for w in workers))
        finally:
            for worker in workers:
                await worker.close()

    asyncio.run(two_workers())

    client = month_client(partner_a, company["id"])

    def mine() -> list[dict[str, Any]]:
        flows = sandbox_flows(sandbox)["flows"]
        return [f for f in flows if f["flowType"] == "EReporting" and f["clientId"] == client]

    def reported() -> bool:
        return bool(mine())

    run_worker_until(settings, reported)
    clock.now = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)
    month = partner_a.ok(partner_a.get(f"/companies/{company['id']}/e-reporting?period=2026-03"))
    assert month["reports"][0]["state"] in ("submitted", "done")
    assert len(mine()) == 1  # two workers, several rounds: one report


def month_client(partner: Partner, company_id: int) -> str:
    return str(partner.ok(partner.get(f"/companies/{company_id}/pa"))["client_id"])


def test_a_closed_period_is_pending_when_it_holds_a_sale_or_a_payment(
    partner_a: Partner, sandbox: str, private_pa: None, clock: Clock
) -> None:
    company = partner_a.company()
    body = {
        "url": sandbox,
        "client_id": "test-periods",
        "client_secret": CLIENT_SECRET,
        "e_reporting_cadence": "decade",
    }
    partner_a.ok(partner_a.put(f"/companies/{company['id']}/pa", body))
    clock.now = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC)
    _issue(partner_a, company["id"], _private())
    clock.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    sale = _issue(partner_a, company["id"], _private())
    clock.now = dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC)
    payment = {"amount": "10.00", "paid_on": "2026-03-14", "means_code": "48"}
    partner_a.ok(partner_a.post(f"/documents/{sale['id']}/payments", payment), 201)
    clock.now = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)

    def states(month: str) -> dict[str, str]:
        url = f"/companies/{company['id']}/e-reporting?period={month}"
        return {r["period"]: r["state"] for r in partner_a.ok(partner_a.get(url))["reports"]}

    assert states("2026-03") == {
        "2026-03-D1": "pending",  # the sale
        "2026-03-D2": "pending",  # the payment alone
        "2026-03-D3": "nothing_to_report",
    }
    body["e_reporting_cadence"] = "bimonthly"
    partner_a.ok(partner_a.put(f"/companies/{company['id']}/pa", body))
    # January alone holds nothing; its period, January and February, holds a sale.
    assert states("2026-01") == {"2026-01/02": "pending"}
    assert states("2025-11") == {"2025-11/12": "nothing_to_report"}
