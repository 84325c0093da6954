from __future__ import annotations

from tests.server.helpers import Partner


def _contact(partner: Partner, company_id: int, **fields: object) -> dict[str, object]:
    body = {"kind": "company", "name": "Boulangerie Dupont", **fields}
    return partner.ok(partner.post(f"/companies/{company_id}/contacts", body), 201)  # type: ignore[no-any-return]


def test_contact_crud_and_kind_correction(partner_a: Partner) -> None:
    company = partner_a.company()
    contact = _contact(
        partner_a,
        company["id"],
        siren="552100554",
        emails=["a@b.example"],
        address={"city": "Lyon", "country": "FR"},
    )
    assert contact["address"]["city"] == "Lyon"
    corrected = partner_a.ok(partner_a.patch(f"/contacts/{contact['id']}", {"kind": "person"}))
    assert corrected["kind"] == "person" and corrected["siren"] == "552100554"
    assert partner_a.ok(partner_a.get(f"/contacts/{contact['id']}")) == corrected
    bad = partner_a.patch(f"/contacts/{contact['id']}", {"kind": "robot", "siren": "12"})
    assert {e["field"] for e in bad.json()["errors"]} == {"kind", "siren"}
    assert partner_a.delete(f"/contacts/{contact['id']}").status_code == 200
    assert partner_a.get(f"/contacts/{contact['id']}").status_code == 404


def test_contact_search(partner_a: Partner) -> None:
    company = partner_a.company()
    dupont = _contact(partner_a, company["id"], name="Boulangerie Dupont", siren="552100554")
    martin = _contact(
        partner_a,
        company["id"],
        kind="person",
        name="Jeanne Martin",
        emails=["jeanne@martin.example"],
    )
    percent = _contact(partner_a, company["id"], name="100% Bio_Shop")
    base = f"/companies/{company['id']}/contacts"

    def found(**params: str) -> list[object]:
        return [c["id"] for c in partner_a.ok(partner_a.get(base, params=params))["items"]]

    assert found(q="dupont") == [dupont["id"]]
    assert found(q="5521") == [dupont["id"]]
    assert found(q="MARTIN.example") == [martin["id"]]
    assert found(q="%") == [percent["id"]]
    assert found(q="_") == [percent["id"]]
    assert found(q="' OR 1=1 --") == []
    assert found(kind="person") == [martin["id"]]
    assert found() == [percent["id"], martin["id"], dupont["id"]]


def test_merge_keeps_target_moves_documents_and_records(partner_a: Partner) -> None:
    company = partner_a.company()
    first = _contact(partner_a, company["id"], kind="person", name="J. Martin")
    second = _contact(partner_a, company["id"], kind="person", name="Jeanne Martin")
    document = partner_a.draft(company["id"], contact_id=first["id"])
    body = {
        "contacts": [{"type": "person", "id": first["id"]}, {"type": "person", "id": second["id"]}],
        "target_contact": {"type": "person", "id": second["id"]},
    }
    merged = partner_a.ok(partner_a.post("/contacts/merge", body))
    assert merged["target"]["id"] == second["id"]
    assert merged["merged_contact_ids"] == [first["id"]]
    assert merged["moved_document_ids"] == [document["id"]]
    moved = partner_a.ok(partner_a.get(f"/documents/{document['id']}"))
    assert moved["contact_id"] == second["id"]
    gone = partner_a.get(f"/contacts/{first['id']}")
    assert gone.status_code == 410 and gone.json()["merged_into_id"] == second["id"]
    listing = partner_a.ok(partner_a.get(f"/companies/{company['id']}/contacts"))
    assert [c["id"] for c in listing["items"]] == [second["id"]]
    again = partner_a.post("/contacts/merge", body)
    assert again.status_code == 410
    in_use = partner_a.delete(f"/contacts/{second['id']}")
    assert in_use.status_code == 409 and in_use.json()["code"] == "contact_in_use"


def test_merge_refusals(partner_a: Partner) -> None:
    company = partner_a.company()
    other_company = partner_a.company("Other")
    a = _contact(partner_a, company["id"], kind="person", name="A")
    b = _contact(partner_a, company["id"], kind="company", name="B")
    c = _contact(partner_a, other_company["id"], kind="person", name="C")

    def merge(refs: list[tuple[str, object]], target: tuple[str, object]) -> dict[str, object]:
        body = {
            "contacts": [{"type": t, "id": i} for t, i in refs],
            "target_contact": {"type": target[0], "id": target[1]},
        }
        response = partner_a.post("/contacts/merge", body)
        assert response.status_code == 422, response.text
        return response.json()  # type: ignore[no-any-return]

    assert (
        merge([("person", a["id"]), ("person", b["id"])], ("person", a["id"]))["errors"][0]["field"]
        == "contacts[1].type"
    )
    assert merge([("person", a["id"]), ("person", c["id"])], ("person", a["id"]))["detail"] == (
        "All contacts must belong to the same company."
    )
    assert (
        merge([("person", a["id"]), ("company", b["id"])], ("person", c["id"]))["errors"][0][
            "field"
        ]
        == "target_contact"
    )
    assert merge([("person", a["id"]), ("person", a["id"])], ("person", a["id"]))["code"] == (
        "merge_invalid"
    )


def test_product_crud_keeps_exact_decimals(partner_a: Partner) -> None:
    company = partner_a.company()
    body = {"name": "Câble RJ45", "unit": "C62", "unit_price": "7.123456", "vat_rate": "5.5"}
    product = partner_a.ok(partner_a.post(f"/companies/{company['id']}/products", body), 201)
    assert (product["unit_price"], product["vat_rate"], product["vat_category"]) == (
        "7.123456",
        "5.5",
        "S",
    )
    updated = partner_a.ok(partner_a.patch(f"/products/{product['id']}", {"unit_price": 0.1}))
    assert updated["unit_price"] == "0.1"
    too_precise = partner_a.patch(f"/products/{product['id']}", {"unit_price": "0.12345678"})
    assert too_precise.status_code == 422
    listing = partner_a.ok(partner_a.get(f"/companies/{company['id']}/products"))
    assert [p["id"] for p in listing["items"]] == [product["id"]]
    assert partner_a.delete(f"/products/{product['id']}").status_code == 200
    assert partner_a.get(f"/products/{product['id']}").status_code == 404
