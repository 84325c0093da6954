"""Issue 12's flows through the editor's backend on the service's database (SQLite and
PostgreSQL): refusals said in the session's language, deposits asked on a quote and
the final invoice that deducts them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from editor.backend import ActionRefused, NewPayment
from tests.server.documents.flows import invoice_body, issue
from tests.server.test_editor_backend import World, world  # noqa: F401


@pytest.mark.parametrize(
    ("locale", "said"),
    [("fr", "il reste au plus 120,00 à payer"), ("en", "at most 120.00 is left to pay")],
)
def test_a_flows_refusal_comes_in_the_sessions_language(
    world: World,  # noqa: F811
    locale: str,
    said: str,
) -> None:
    invoice = issue(world.partner, world.company_id, invoice_body(("1", "100.00", "20")))
    session = world.session(document={"id": invoice["id"]}, options={"locale": locale})
    payment = NewPayment(Decimal("500.00"), dt.date(2026, 3, 2), "30")
    with pytest.raises(ActionRefused) as refused:
        world.run(world.backend.record_payment, session, invoice["id"], payment)
    assert refused.value.code == "payment_refused"
    assert refused.value.message == said
    assert [(e.field, e.message) for e in refused.value.errors] == [("amount", said)]
    assert refused.value.detail == "at most 120.00 is left to pay"  # for the logs
