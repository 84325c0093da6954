"""The PA worker as a real process: killed mid-transmission, it loses nothing
and the platform receives nothing twice; a slow platform is waited for, then
retried."""

from __future__ import annotations

import dataclasses
import signal
import time

from server.settings import Settings
from tests.server.helpers import Partner
from tests.server.pa.channel import (
    FAST,
    codes,
    connected_company,
    fault,
    issue,
    run_worker_until,
    sandbox_flows,
    transmissions,
)
from tests.server.pa.processes import worker_process


def test_a_worker_killed_mid_transmission_loses_and_doubles_nothing(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    fault(sandbox, delay_seconds=3, count=1, only="/flow-service/v1/flows")
    before = sandbox_flows(sandbox)["submissions"]
    invoice = issue(partner_a, company["id"])
    with worker_process(settings, BLANCHE_PA_LEASE_SECONDS="2") as process:
        deadline = time.monotonic() + 60
        while sandbox_flows(sandbox)["submissions"] == before:  # the upload is in flight
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
    run_worker_until(
        settings, lambda: codes(partner_a, invoice["id"]) == ["200", "205"], timeout=60
    )
    (transmission,) = transmissions(partner_a, company["id"])
    mine = [
        f for f in sandbox_flows(sandbox)["flows"] if f["trackingId"] == transmission["tracking_id"]
    ]
    assert len(mine) == 1  # sent twice (the second after the lease expired), received once
    assert sandbox_flows(sandbox)["submissions"] == before + 2


def test_a_slow_platform_times_out_and_is_retried(
    partner_a: Partner, settings: Settings, sandbox: str, private_pa: None
) -> None:
    company = connected_company(partner_a, sandbox)
    fault(sandbox, delay_seconds=3, count=1, only="/flow-service/v1/flows")
    invoice = issue(partner_a, company["id"])
    impatient = dataclasses.replace(FAST, timeout_seconds=1.0)
    run_worker_until(settings, lambda: "200" in codes(partner_a, invoice["id"]), 60, impatient)
    (transmission,) = transmissions(partner_a, company["id"])
    assert transmission["log"][0]["outcome"] == "retry"
    assert "could not be reached" in transmission["log"][0]["error"]
