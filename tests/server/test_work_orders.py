"""Work orders become draft invoices: time, items, a default line, notes,
attachments, skip words, and errors that say what to do."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoicing.samples import FRENCH_LEGAL_NOTES
from server.work_orders import minutes_as_quantity, skip_word_in
from tests.server.helpers import Partner, company_body

PDF = base64.b64encode(b"%PDF-1.4\n% a signed intervention report\n").decode()


@pytest.mark.parametrize(
    ("minutes", "unit", "quantity"),
    [
        (15, "HUR", "0.25"),
        (90, "HUR", "1.5"),
        (20, "HUR", "0.3333"),
        (1, "HUR", "0.0167"),
        (45, "MIN", "45"),
    ],
)
def test_minutes_become_quantities(minutes: int, unit: str, quantity: str) -> None:
    assert minutes_as_quantity(minutes, unit) == Decimal(quantity)


@given(st.integers(min_value=1, max_value=100_000))
def test_whole_quarter_hours_are_exact(quarters: int) -> None:
    assert minutes_as_quantity(quarters * 15, "HUR") * 4 == quarters


def test_skip_words_match_whole_words_ignoring_case_and_accents() -> None:
    words = ["Garantie", "SAV interne"]
    assert skip_word_in(["Réparation sous GARANTIE constructeur"], words) == "Garantie"
    assert skip_word_in(["reprise — sav  interne".replace("  ", " ")], words) == "SAV interne"
    assert skip_word_in(["garantíe"], words) == "Garantie"
    assert skip_word_in(["Extension de garanties"], words) is None
    assert skip_word_in(["Remplacement du ballon"], words) is None
    assert skip_word_in(["anything"], []) is None


def _setup(partner: Partner) -> dict[str, Any]:
    body = {**company_body(), "legal_notes": [n.model_dump() for n in FRENCH_LEGAL_NOTES]}
    company = partner.ok(partner.post("/companies", body), 201)["id"]
    user = partner.user(company)["id"]

    def product(**body: Any) -> int:
        return int(partner.ok(partner.post(f"/companies/{company}/products", body), 201)["id"])

    return {
        "company": company,
        "user": user,
        "labour": product(name="Main d'œuvre", unit="HUR", unit_price="60", vat_rate="20"),
        "callout": product(name="Déplacement", unit="C62", unit_price="35"),  # default rate
        "valve": product(name="Vanne 3 voies", unit="C62", unit_price="42.5", vat_rate="10"),
        "contact": partner.ok(
            partner.post(
                f"/companies/{company}/contacts",
                {
                    "kind": "company",
                    "name": "Boulangerie Martin",
                    "siren": "552100554",
                    "electronic_address": {"value": "552100554", "scheme": "0225"},
                    "address": {
                        "line1": "3 rue du Four",
                        "city": "Lyon",
                        "postcode": "69002",
                        "country": "FR",
                    },
                },
            ),
            201,
        )["id"],
    }


def _order(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    order = {
        "company_id": world["company"],
        "customer": {"id": world["contact"]},
        "description": "Remplacement de la vanne du circuit de chauffage\nTest d'étanchéité OK",
        "reference": "OT-2026-0042",
        "time_entries": [
            {"minutes": 15, "date": "2026-03-02", "description": "Diagnostic"},
            {"minutes": 90, "date": "2026-03-02", "description": "Remplacement"},
        ],
        "time_product_id": world["labour"],
        "items": [
            {"product_id": world["valve"], "quantity": "1"},
            {"name": "Joint fibre", "quantity": "2", "unit_price": "1.20"},
        ],
        "default_product_id": world["callout"],
        "customer_reference": "BC-778",
        "notes": ["Intervention réalisée en présence du client."],
        "attachments": [
            {"filename": "rapport.pdf", "mime_code": "application/pdf", "content_base64": PDF}
        ],
    }
    order.update(changes)
    return order


def test_a_work_order_becomes_a_draft_with_an_editor_url(partner_a: Partner) -> None:
    world = _setup(partner_a)
    created = partner_a.ok(partner_a.post("/documents/drafts/from-work-order", _order(world)), 201)
    assert created["status"] == "created" and created["warnings"] == []
    draft = created["document"]
    assert draft["status"] == "draft" and draft["contact_id"] == world["contact"]
    document = draft["document"]
    lines = [(line["name"], line["quantity"], line["unit"]) for line in document["lines"]]
    assert lines == [
        ("Remplacement de la vanne du circuit de chauffage", "1", "C62"),
        ("Déplacement", "1", "C62"),
        ("Main d'œuvre", "0.25", "HUR"),
        ("Main d'œuvre", "1.5", "HUR"),
        ("Vanne 3 voies", "1", "C62"),
        ("Joint fibre", "2", "C62"),
    ]
    assert document["lines"][0]["net_price"] == "0"
    assert document["lines"][2]["period"] == {"start": "2026-03-02", "end": "2026-03-02"}
    assert document["lines"][4]["vat_rate"] == "10"
    assert document["buyer"]["name"] == "Boulangerie Martin"
    assert document["buyer_reference"] == "BC-778"
    assert document["sales_order_reference"] == "OT-2026-0042"
    assert document["notes"][-1]["text"] == "Intervention réalisée en présence du client."
    assert document["supporting_documents"][0]["filename"] == "rapport.pdf"
    assert document["seller"]["name"]  # from the company
    assert document["business_process"] == "M1"  # labour and parts
    assert [note.get("subject") for note in document["notes"]] == ["PMT", "PMD", "AAB", None]
    assert draft["totals"]["tax_exclusive_total"] == "184.90"  # 35 + 15 + 90 + 42.50 + 2.40
    editor = created["editor"]
    assert editor["url"].startswith("https://blanche.test/editor")
    assert editor["url"].endswith("#t=" + editor["token"])
    context = partner_a.client.get(
        "/api/v1/editor/context", headers={"Authorization": f"Editor {editor['token']}"}
    )
    assert context.json()["scope"]["document_id"] == draft["id"]
    finalized = partner_a.post(f"/documents/{draft['id']}/finalize")
    assert finalized.status_code == 200, finalized.text


def test_the_description_can_be_a_note_and_a_default_product_applies(partner_a: Partner) -> None:
    world = _setup(partner_a)
    partner_a.ok(
        partner_a.put(
            "/partner/work-order-settings",
            {"description_as": "note", "default_product_name": "Déplacement"},
        )
    )
    order = _order(world, default_product_id=None, items=[], time_entries=[])
    document = partner_a.ok(partner_a.post("/documents/drafts/from-work-order", order), 201)[
        "document"
    ]["document"]
    assert [line["name"] for line in document["lines"]] == ["Déplacement"]
    assert document["notes"][0]["text"].startswith("Remplacement de la vanne")
    partner_a.ok(
        partner_a.put(
            "/partner/work-order-settings",
            {"description_as": "note", "default_product_name": "Forfait absent"},
        )
    )
    created = partner_a.ok(partner_a.post("/documents/drafts/from-work-order", order), 201)
    assert created["document"]["document"]["lines"] == []
    assert "Forfait absent" in created["warnings"][0]


def test_skip_words_skip_the_work_order_with_a_clear_answer(partner_a: Partner) -> None:
    world = _setup(partner_a)
    settings = partner_a.ok(
        partner_a.put("/partner/work-order-settings", {"skip_words": ["Garantie", "garantie"]})
    )
    assert settings["skip_words"] == ["Garantie", "garantie"]
    order = _order(world, description="Remplacement sous garantie constructeur")
    skipped = partner_a.ok(partner_a.post("/documents/drafts/from-work-order", order))
    assert skipped["status"] == "skipped" and skipped["document"] is None
    assert skipped["matched_word"] == "Garantie"
    assert "no draft was created" in skipped["skipped_because"]
    listed = partner_a.ok(partner_a.get(f"/companies/{world['company']}/documents"))
    assert listed["items"] == []


def test_a_customer_by_external_reference_is_found_or_created(partner_a: Partner) -> None:
    world = _setup(partner_a)
    unknown = partner_a.post(
        "/documents/drafts/from-work-order",
        _order(world, customer={"external_ref": "CRM-9"}),
    )
    assert unknown.status_code == 422
    [error] = unknown.json()["errors"]
    assert error["field"] == "customer.external_ref" and "customer.name" in error["message"]
    customer = {"external_ref": "CRM-9", "kind": "person", "name": "Jeanne Petit"}
    first = partner_a.ok(
        partner_a.post("/documents/drafts/from-work-order", _order(world, customer=customer)),
        201,
    )
    assert first["customer_created"] is True
    again = partner_a.ok(
        partner_a.post(
            "/documents/drafts/from-work-order",
            _order(world, customer={"external_ref": "CRM-9"}),
        ),
        201,
    )
    assert again["customer_created"] is False
    assert again["document"]["contact_id"] == first["document"]["contact_id"]
    assert again["document"]["document"]["buyer"]["name"] == "Jeanne Petit"


def test_errors_name_each_field_and_the_action(partner_a: Partner, partner_b: Partner) -> None:
    world = _setup(partner_a)
    foreign_product = partner_b.ok(
        partner_b.post(
            f"/companies/{partner_b.company()['id']}/products",
            {"name": "Theirs", "unit_price": "1"},
        ),
        201,
    )["id"]
    order = _order(
        world,
        time_product_id=world["valve"],
        items=[{"product_id": foreign_product, "quantity": "1"}, {"quantity": "1"}],
        attachments=[
            {"filename": "a.pdf", "mime_code": "application/pdf", "content_base64": "not base64!"},
            {"filename": "b.pdf", "mime_code": "application/pdf"},
        ],
        customer={"id": 999_999},
        user_id=999_999,
    )
    response = partner_a.post("/documents/drafts/from-work-order", order)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "work_order_invalid"
    messages = {error["field"]: error["message"] for error in problem["errors"]}
    assert set(messages) == {
        "time_product_id",
        "items[0].product_id",
        "items[1]",
        "attachments[0].content_base64",
        "attachments[1]",
        "customer.id",
        "user_id",
    }
    assert "HUR" in messages["time_product_id"]
    assert "POST /api/v1/companies/" in messages["items[0].product_id"]
    assert "999999" not in str(messages)  # the ids sent are not echoed
    french = partner_a.post(
        "/documents/drafts/from-work-order", order, headers={"Accept-Language": "fr"}
    ).json()
    assert french["code"] == "work_order_invalid"
    assert french["detail"] == "7 champs sont à corriger ; chaque erreur dit quoi faire."
    said = {error["field"]: error["message"] for error in french["errors"]}
    assert set(said) == set(messages)
    assert said["user_id"] == (
        "Aucun utilisateur de cette entreprise n'a cet identifiant : omettez-le pour prendre "
        "le premier utilisateur de l'entreprise."
    )
    assert said["attachments[1]"] == "Envoyez content_base64 ou une uri."
    missing_time_product = partner_a.post(
        "/documents/drafts/from-work-order", _order(world, time_product_id=None)
    )
    assert missing_time_product.json()["errors"][0]["field"] == "time_product_id"
    bad_body = partner_a.post(
        "/documents/drafts/from-work-order",
        _order(world, time_entries=[{"minutes": 0}], attachments=[{"filename": "x"}]),
    )
    assert bad_body.status_code == 422
    fields = {error["field"] for error in bad_body.json()["errors"]}
    assert "time_entries[0].minutes" in fields and "attachments[0].mime_code" in fields
    listed = partner_a.ok(partner_a.get(f"/companies/{world['company']}/documents"))
    assert listed["items"] == []


def test_another_partners_company_is_not_found(partner_a: Partner, partner_b: Partner) -> None:
    world = _setup(partner_a)
    theirs = partner_b.company()["id"]
    response = partner_b.post("/documents/drafts/from-work-order", _order(world))
    assert response.status_code == 404
    response = partner_a.post("/documents/drafts/from-work-order", _order(world, company_id=theirs))
    assert response.status_code == 404
