"""The journal's verification report, as the API gives it."""

from __future__ import annotations

from typing import Any

from tests.server.helpers import Partner


def verify_report(partner: Partner, company_id: int) -> dict[str, Any]:
    return partner.ok(partner.get(f"/companies/{company_id}/journal/verify"))  # type: ignore[no-any-return]
