from __future__ import annotations

import httpx

from server.settings import Settings
from tests.server.helpers import Clock, Partner, company_body, make_partner


def test_create_get_update_and_list_companies(partner_a: Partner) -> None:
    created = partner_a.company("Atelier Blanc")
    assert created["seller"]["siren"] == "732829320"
    assert created["series"] == {
        "invoice": "F",
        "credit_note": "A",
        "deposit_invoice": "F",
        "quote": "D",
    }
    fetched = partner_a.ok(partner_a.get(f"/companies/{created['id']}"))
    assert fetched == created
    updated = partner_a.ok(
        partner_a.patch(f"/companies/{created['id']}", {"payment_terms": "30 jours"})
    )
    assert updated["payment_terms"] == "30 jours"
    assert updated["name"] == "Atelier Blanc"
    partner_a.user(created["id"])
    partner_a.draft(created["id"])
    listing = partner_a.ok(partner_a.get("/companies"))
    assert [(c["id"], c["user_count"], c["document_count"]) for c in listing["items"]] == [
        (created["id"], 1, 1)
    ]
    environment = partner_a.ok(partner_a.get("/partner"))
    assert (environment["companies"], environment["users"], environment["documents"]) == (1, 1, 1)


def test_account_creation_is_limited_per_hour(
    client: httpx.Client, settings: Settings, clock: Clock
) -> None:
    partner = make_partner(
        client, settings, "Limited", ["https://x.example"], account_creations_per_hour=None
    )
    for index in range(3):
        partner.company(f"Company {index}")
    refused = partner.post("/companies", company_body("One too many"))
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 3500 < int(refused.headers["retry-after"]) <= 3600
    clock.advance(minutes=59)
    assert partner.post("/companies", company_body("Still too early")).status_code == 429
    clock.advance(minutes=1, seconds=1)
    partner.company("An hour later")


def test_whitelisted_ip_may_create_one_account_per_minute(
    client: httpx.Client, settings: Settings, clock: Clock
) -> None:
    # httpx.Client's peer address is "testclient": whitelist exactly that.
    partner = make_partner(
        client,
        settings,
        "Whitelisted",
        ["https://x.example"],
        ips=["127.0.0.1"],
        account_creations_per_hour=None,
    )
    for index in range(5):
        partner.company(f"Company {index}")
        refused = partner.post("/companies", company_body("Too fast"))
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 60
        clock.advance(seconds=61)


def test_user_limit_per_company_is_factual(partner_a: Partner) -> None:
    company = partner_a.company()
    partner_a.user(company["id"], "One")
    partner_a.user(company["id"], "Two")
    refused = partner_a.post(f"/companies/{company['id']}/users", {"name": "Three"})
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "user_limit_reached"
    assert problem["detail"] == "This company has 2 users; at most 2 are allowed per company."
    other = partner_a.company("Other")
    partner_a.user(other["id"], "Three")


def test_company_body_errors_are_field_errors(partner_a: Partner) -> None:
    response = partner_a.post(
        "/companies", {"name": "", "seller": {"siren": 12}, "series": {"invoice": "f-x"}}
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"name", "seller.siren", "series.invoice"} <= fields


def test_logo_url_is_refused_with_where_the_logo_goes(partner_a: Partner) -> None:
    """Nothing printed `logo_url`: an honest API does not take what it ignores."""
    created = partner_a.post(
        "/companies", {**company_body(), "logo_url": "https://a.example/l.png"}
    )
    assert created.status_code == 422
    problem = created.json()
    assert problem["code"] == "logo_url_not_accepted"
    [error] = problem["errors"]
    assert error["field"] == "logo_url" and "PUT /companies/{id}/logo" in error["message"]

    company = partner_a.company()
    assert "logo_url" not in company
    patched = partner_a.patch(
        f"/companies/{company['id']}", {"logo_url": None}, headers={"Accept-Language": "fr-FR"}
    )
    assert patched.status_code == 422
    [error] = patched.json()["errors"]
    assert error["field"] == "logo_url"
    assert error["message"].startswith("logo_url n'est pas accepté")
    assert "PUT /companies/{id}/logo" in error["message"]
