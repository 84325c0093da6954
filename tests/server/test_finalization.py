"""Finalization through the API: the reform's scope, the official check, issue and
due dates. Every document issued here passes the official check (XSD, Factur-X
EN 16931, BR-FR when in scope), checked again on the stored XML."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.cii.reader import read_cii
from invoicing.official import official_check
from invoicing.profiles import Profile
from invoicing.samples import FRENCH_LEGAL_NOTES, demo_invoice
from server.db.documents import DocumentRow
from server.documents.finalize import _official_errors, equivalent_numbers
from server.documents.payments import paris_today
from server.settings import Settings
from tests.poppler import pdf_text
from tests.server.helpers import Partner, company_body, document_body, in_db


def _issued_xml_passes(partner: Partner, document: dict[str, Any]) -> bytes:
    xml = partner.get(f"/documents/{document['id']}/xml").content
    french = document["scope"] != "e_reporting"
    result = official_check(xml, Profile.EN16931, french=french)
    assert result.ok, result.as_dict()
    return xml


def _private_body() -> dict[str, Any]:
    body = document_body()
    buyer = body["buyer"]
    for key in ("siren", "siret", "vat_id", "electronic_address", "identifiers"):
        buyer.pop(key, None)
    buyer["name"] = "Jeanne Martin"
    buyer["private_person"] = True
    return body


def _finalize(partner: Partner, body: dict[str, Any], company_id: int, **params: Any) -> Any:
    draft = partner.ok(partner.post(f"/companies/{company_id}/documents", body, params=params), 201)
    return partner.post(f"/documents/{draft['id']}/finalize")


def test_a_private_customer_is_invoiced_without_siren(partner_a: Partner) -> None:
    company = partner_a.company()
    issued = partner_a.ok(_finalize(partner_a, _private_body(), company["id"]))
    assert issued["scope"] == "e_reporting"
    assert issued["number"] == "F-2026-00001"
    _issued_xml_passes(partner_a, issued)


def test_a_person_contact_makes_a_private_customer_invoice(partner_a: Partner) -> None:
    company = partner_a.company()
    person = partner_a.ok(
        partner_a.post(
            f"/companies/{company['id']}/contacts",
            {
                "kind": "person",
                "name": "Paul Durand",
                "address": {
                    "line1": "3 rue des Lilas",
                    "city": "Lyon",
                    "postcode": "69003",
                    "country": "FR",
                },
            },
        ),
        201,
    )
    assert person["electronic_address"] is None
    body = document_body()
    del body["buyer"]
    issued = partner_a.ok(_finalize(partner_a, body, company["id"], contact_id=person["id"]))
    assert issued["document"]["buyer"]["private_person"] is True
    assert issued["scope"] == "e_reporting"
    _issued_xml_passes(partner_a, issued)


def test_a_company_contact_gets_its_siren_address_and_e_invoicing(partner_a: Partner) -> None:
    company = partner_a.company()
    buyer = demo_invoice().buyer
    contact = partner_a.ok(
        partner_a.post(
            f"/companies/{company['id']}/contacts",
            {
                "kind": "company",
                "name": buyer.name,
                "siren": buyer.siren,
                "vat_id": "FR96552100554",
                "address": buyer.address.model_dump(mode="json", exclude_none=True),
            },
        ),
        201,
    )
    assert contact["electronic_address"] == {"value": buyer.siren, "scheme": "0225"}
    body = document_body()
    del body["buyer"]
    issued = partner_a.ok(_finalize(partner_a, body, company["id"], contact_id=contact["id"]))
    assert issued["scope"] == "e_invoicing"
    _issued_xml_passes(partner_a, issued)
    # A new SIREN moves the derived address along; an address given is kept.
    moved = partner_a.ok(partner_a.patch(f"/contacts/{contact['id']}", {"siren": "732829320"}))
    assert moved["electronic_address"] == {"value": "732829320", "scheme": "0225"}
    given = {"value": "achats@client.example", "scheme": "EM"}
    kept = partner_a.ok(
        partner_a.post(
            f"/companies/{company['id']}/contacts",
            {"kind": "company", "name": "Autre", "siren": "732829320", "electronic_address": given},
        ),
        201,
    )
    assert kept["electronic_address"] == given


def test_scope_is_shown_for_public_buyers_and_buyers_abroad(partner_a: Partner) -> None:
    company = partner_a.company()
    public = document_body()
    public["buyer"]["public_sector"] = True
    abroad = document_body()
    abroad["buyer"]["address"]["country"] = "BE"
    path = f"/companies/{company['id']}/documents"
    public_draft = partner_a.ok(partner_a.post(path, public), 201)
    assert public_draft["scope"] == "b2g"
    assert partner_a.ok(partner_a.post(path, abroad), 201)["scope"] == "e_reporting"
    assert partner_a.ok(partner_a.get(f"/documents/{public_draft['id']}"))["scope"] == "b2g"


def test_an_issue_date_after_today_is_refused(partner_a: Partner) -> None:
    company = partner_a.company()
    tomorrow = {**document_body(), "issue_date": "2026-03-03"}  # the clock: 2 March 2026
    refused = _finalize(partner_a, tomorrow, company["id"])
    assert refused.status_code == 422
    assert refused.json()["code"] == "issue_date_future"
    assert refused.json()["errors"][0]["field"] == "issue_date"
    today = {**document_body(), "issue_date": "2026-03-02"}
    assert partner_a.ok(_finalize(partner_a, today, company["id"]))["number"] == "F-2026-00001"


def test_a_back_dated_invoice_opens_no_earlier_series(partner_a: Partner) -> None:
    company = partner_a.company()
    partner_a.ok(
        _finalize(partner_a, {**document_body(), "issue_date": "2026-01-05"}, company["id"])
    )
    for date in ("2019-06-01", "2025-12-31", "2026-01-04"):
        refused = _finalize(partner_a, {**document_body(), "issue_date": date}, company["id"])
        assert refused.status_code == 422, date
        assert refused.json()["code"] == "chronology"
        assert refused.json()["errors"][0]["field"] == "issue_date"
    issued = partner_a.ok(_finalize(partner_a, document_body(), company["id"]))
    assert issued["number"] == "F-2026-00002"
    assert issued["document"]["issue_date"] == "2026-03-02"
    numbers = [
        d["number"]
        for d in partner_a.ok(
            partner_a.get(f"/companies/{company['id']}/documents", params={"status": "finalized"})
        )["items"]
    ]
    assert sorted(numbers) == ["F-2026-00001", "F-2026-00002"]


def test_an_invoice_without_due_date_is_refused_naming_it(partner_a: Partner) -> None:
    no_default = {**company_body(), "payment_term": None}
    company = partner_a.ok(partner_a.post("/companies", no_default), 201)
    body = document_body()
    del body["due_date"]
    body.pop("payment_terms", None)
    refused = _finalize(partner_a, body, company["id"])
    assert refused.status_code == 422
    assert "due_date" in [e["field"] for e in refused.json()["errors"]]


def test_the_company_default_terms_give_the_due_date(partner_a: Partner) -> None:
    company = partner_a.company()  # default terms: 30 days
    assert company["payment_term"] == {"kind": "days", "days": 30, "date": None}
    body = document_body()
    del body["due_date"]
    del body["payment_terms"]
    draft = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", body), 201)
    assert draft["document"]["payment_term"] == {"kind": "days", "days": 30, "date": None}
    issued = partner_a.ok(partner_a.post(f"/documents/{draft['id']}/finalize"))
    assert issued["document"]["due_date"] == "2026-04-01"
    read = read_cii(_issued_xml_passes(partner_a, issued)).document
    assert read.payment_terms == "Paiement à 30 jours"


def test_the_due_date_is_computed_from_the_payment_terms(partner_a: Partner) -> None:
    company = partner_a.company()
    body = document_body()
    del body["due_date"]
    del body["payment_terms"]
    body["payment_term"] = {"kind": "days_end_of_month", "days": 45}
    issued = partner_a.ok(_finalize(partner_a, body, company["id"]))
    assert issued["document"]["due_date"] == "2026-04-30"  # 2 March + 45 days, end of month
    xml = _issued_xml_passes(partner_a, issued)
    read = read_cii(xml).document
    assert read.due_date == dt.date(2026, 4, 30)
    assert read.payment_terms == "Paiement à 45 jours fin de mois"


def test_the_printed_terms_follow_the_term_chosen_not_the_default_text(
    partner_a: Partner,
) -> None:
    """The company's default text says its default term's words: a draft whose term
    becomes 45 days end of month prints those words, in the XML and on the PDF."""
    body = {**company_body(), "payment_terms": "Paiement à 30 jours par virement."}
    company = partner_a.ok(partner_a.post("/companies", body), 201)
    draft_body = document_body()
    del draft_body["due_date"]
    del draft_body["payment_terms"]
    draft = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", draft_body), 201)
    assert draft["document"]["payment_terms"] == "Paiement à 30 jours par virement."
    changed = {**draft["document"], "payment_term": {"kind": "days_end_of_month", "days": 45}}
    partner_a.ok(partner_a.put(f"/documents/{draft['id']}", changed))
    issued = partner_a.ok(partner_a.post(f"/documents/{draft['id']}/finalize"))
    assert issued["document"]["due_date"] == "2026-04-30"  # 2 March + 45 days, end of month
    read = read_cii(_issued_xml_passes(partner_a, issued)).document
    assert read.payment_terms == "Paiement à 45 jours fin de mois par virement."
    assert read.due_date == dt.date(2026, 4, 30)
    pdf = partner_a.get(f"/documents/{draft['id']}/pdf").content
    words = " ".join(pdf_text(pdf).split())
    assert "Paiement à 45 jours fin de mois par virement." in words
    assert "30 jours" not in words


def test_official_findings_are_mapped_to_fields() -> None:
    document = demo_invoice()
    broken = document.model_copy(update={"buyer": document.buyer.model_copy(update={"name": None})})
    from invoicing.cii.writer import to_xml_bytes

    result = official_check(to_xml_bytes(broken, Profile.EN16931), Profile.EN16931, french=True)
    errors = _official_errors(result.as_dict(), Profile.EN16931, True)
    assert any("buyer.name" in field for field, _, _ in errors), errors


def test_numbers_checked_and_taken_are_equivalent_only_when_alike() -> None:
    assert equivalent_numbers("F-2026-00041", "F-2026-00042")
    assert not equivalent_numbers("F-2026-99999", "F-2026-100000")
    assert not equivalent_numbers("F-2026-00041", "A-2026-00041")


def test_today_is_the_date_in_paris() -> None:
    late_evening = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert paris_today(late_evening) == dt.date(2027, 1, 1)


def _absurd(body: dict[str, Any]) -> dict[str, Any]:
    body["lines"][0]["net_price"] = "99999999999999999.999999"
    body["lines"][0]["quantity"] = "999999999999999.9999"
    return body


def test_numbers_out_of_bounds_are_refused_by_field(partner_a: Partner) -> None:
    company = partner_a.company()
    path = f"/companies/{company['id']}/documents"
    refused = partner_a.post(path, _absurd(document_body()), headers={"Accept-Language": "fr"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "out_of_bounds"
    fields = {e["field"] for e in refused.json()["errors"]}
    assert fields == {"lines[0].net_price", "lines[0].quantity"}
    assert "chiffres" in refused.json()["errors"][0]["message"]


def test_a_draft_stored_beyond_the_bounds_still_opens_and_renders(
    partner_a: Partner, settings: Settings
) -> None:
    company = partner_a.company()
    draft = partner_a.draft(company["id"])
    content = json.dumps(_absurd(document_body()))

    async def store(session: AsyncSession) -> None:
        await session.execute(
            update(DocumentRow).where(DocumentRow.id == draft["id"]).values(content=content)
        )

    in_db(settings, store)
    shown = partner_a.ok(partner_a.get(f"/documents/{draft['id']}"))
    assert shown["document"]["lines"][0]["quantity"] == "999999999999999.9999"
    assert partner_a.get(f"/documents/{draft['id']}/xml").status_code == 200
    refused = partner_a.post(f"/documents/{draft['id']}/finalize")
    assert refused.status_code == 422
    assert "lines[0].net_price" in {e["field"] for e in refused.json()["errors"]}


def _legal_notes_company(partner: Partner) -> dict[str, Any]:
    notes = [note.model_dump(mode="json") for note in FRENCH_LEGAL_NOTES]
    body = {**company_body("Notes SARL"), "legal_notes": notes}
    company: dict[str, Any] = partner.ok(partner.post("/companies", body), 201)
    return company


def test_a_private_customer_gets_no_b2b_late_payment_notes(partner_a: Partner) -> None:
    """The 40 € indemnity and the penalty rate bind professionals only (L441-10): a
    private customer's invoice has neither, in its XML nor on its PDF; a note typed on
    the document stays, and a business customer's invoice keeps them."""
    company = _legal_notes_company(partner_a)
    private = _private_body()
    del private["notes"]
    draft = partner_a.ok(partner_a.post(f"/companies/{company['id']}/documents", private), 201)
    # Prefilled before the buyer was known, as the editor does: issuing drops them.
    typed = {"subject": "AAI", "text": "Merci de votre confiance."}
    notes = [note.model_dump(mode="json") for note in FRENCH_LEGAL_NOTES] + [typed]
    partner_a.ok(partner_a.put(f"/documents/{draft['id']}", {**draft["document"], "notes": notes}))
    issued = partner_a.ok(partner_a.post(f"/documents/{draft['id']}/finalize"))
    read = read_cii(_issued_xml_passes(partner_a, issued)).document
    assert [note.subject for note in read.notes] == ["AAB", "AAI"]
    words = " ".join(pdf_text(partner_a.get(f"/documents/{draft['id']}/pdf").content).split())
    assert "40 €" not in words and "intérêt légal" not in words
    assert "Merci de votre confiance." in words and "Pas d'escompte" in words

    contact = partner_a.ok(
        partner_a.post(
            f"/companies/{company['id']}/contacts",
            {"kind": "person", "name": "Paul Durand", "address": private["buyer"]["address"]},
        ),
        201,
    )
    body = {key: value for key, value in private.items() if key not in ("buyer",)}
    prefilled = partner_a.ok(
        partner_a.post(
            f"/companies/{company['id']}/documents", body, params={"contact_id": contact["id"]}
        ),
        201,
    )
    assert [note["subject"] for note in prefilled["document"]["notes"]] == ["AAB"]

    business = document_body()
    del business["notes"]
    b2b = partner_a.ok(_finalize(partner_a, business, company["id"]))
    read = read_cii(_issued_xml_passes(partner_a, b2b)).document
    assert [note.subject for note in read.notes] == ["PMT", "PMD", "AAB"]
    words = " ".join(pdf_text(partner_a.get(f"/documents/{b2b['id']}/pdf").content).split())
    assert "40 €" in words and "intérêt légal" in words
