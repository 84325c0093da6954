"""Fixtures of the journal's tests: a company with issued documents."""

from __future__ import annotations

import pytest

from tests.server.helpers import Partner


@pytest.fixture
def issued(partner_a: Partner) -> tuple[int, list[int]]:
    """Three invoices (the first credited, the second sent then paid), a draft and
    a quote (neither journaled), and the credit note, last."""
    company = partner_a.company()
    ids = [int(partner_a.finalized(company["id"])["id"]) for _ in range(3)]
    partner_a.draft(company["id"])
    partner_a.finalized(company["id"], "quote")
    partner_a.ok(partner_a.post(f"/documents/{ids[1]}/sent"))
    partner_a.ok(partner_a.post(f"/documents/{ids[1]}/payment", {"paid_on": "2026-03-02"}))
    credit = partner_a.ok(partner_a.post(f"/documents/{ids[0]}/credit-note"), 201)
    partner_a.ok(partner_a.post(f"/documents/{credit['id']}/finalize"))
    return int(company["id"]), [*ids, int(credit["id"])]
