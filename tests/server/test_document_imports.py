"""POST /companies/{id}/documents/import: a CII XML or a Factur-X PDF becomes a
draft that keeps its stated amounts and reports where they differ from
EN 16931 (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicing.cii.reader import read_cii
from invoicing.pdf.render import render_pdf
from invoicing.profiles import Profile
from server.api.documents.imports import MAX_IMPORT_BYTES
from tests.server.helpers import Partner

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "invoicing" / "samples"


def _import(partner: Partner, company_id: int, body: bytes, content_type: str) -> Any:
    return partner.post(
        f"/companies/{company_id}/documents/import",
        content=body,
        headers={"Content-Type": content_type},
    )


def test_import_keeps_stated_amounts_and_reports_differences(partner_a: Partner) -> None:
    company = partner_a.company()
    xml = (SAMPLES_DIR / "gross_prices.xml").read_bytes()
    created = partner_a.ok(_import(partner_a, company["id"], xml, "application/xml"), 201)
    assert created["status"] == "draft"
    report = created["import_report"]
    assert report["faithful"] is True
    assert [(w["term"], w["line"], w["cause"]) for w in report["warnings"]][:2] == [
        ("BT-131", 1, "gross_price"),
        ("BT-131", 2, "gross_price"),
    ]
    second = report["warnings"][1]
    assert (Decimal(second["stated"]), Decimal(second["computed"])) == (
        Decimal("80.00"),
        Decimal("67.22"),
    )
    assert "prix brut" in second["message_fr"]
    assert Decimal(created["totals"]["tax_inclusive_total"]) == Decimal("175.19")

    # Opening it again says the same; its XML states the file's amounts.
    again = partner_a.ok(partner_a.get(f"/documents/{created['id']}"))
    assert again["import_report"] == report
    exported = partner_a.get(f"/documents/{created['id']}/xml")
    assert exported.status_code == 200
    stated = read_cii(exported.content).stated_totals
    assert stated.line_net_amounts == (Decimal("67.22"), Decimal("80.00"))
    assert stated.tax_inclusive_total == Decimal("175.19")

    # Editing what the amounts are computed from: EN 16931 computes them, and says so.
    body = again["document"]
    body["lines"][1]["quantity"] = "2"
    edited = partner_a.ok(partner_a.put(f"/documents/{created['id']}", body))
    assert edited["import_report"]["faithful"] is False
    assert edited["import_report"]["warnings"] == []
    assert Decimal(edited["totals"]["line_total"]) == Decimal("188.89")  # 54.44 + 134.45


def test_import_a_factur_x_pdf(partner_a: Partner) -> None:
    company = partner_a.company()
    document = read_cii((SAMPLES_DIR / "foreign_extended.xml").read_bytes()).imported_document
    pdf = render_pdf(document, Profile.EXTENDED)
    created = partner_a.ok(_import(partner_a, company["id"], pdf, "application/pdf"), 201)
    assert created["document"]["business_process"] == "Beispielgeschäftsprozess"
    assert created["import_report"]["faithful"] is True
    assert created["import_report"]["warnings"] == []


def test_unreadable_or_oversized_files_leave_nothing_behind(partner_a: Partner) -> None:
    company = partner_a.company()
    refused = _import(partner_a, company["id"], b"<Invoice/>", "application/xml")
    assert refused.status_code == 422
    assert refused.json()["code"] == "not_a_cii_invoice"
    assert "CrossIndustryInvoice" in refused.json()["detail"]
    not_a_pdf = _import(partner_a, company["id"], b"%PDF-1.7 broken", "application/pdf")
    assert not_a_pdf.status_code == 422
    empty = _import(partner_a, company["id"], b"  ", "application/xml")
    assert empty.status_code == 400
    huge = b"<x>" + b" " * MAX_IMPORT_BYTES + b"</x>"
    assert _import(partner_a, company["id"], huge, "application/xml").status_code == 413
    listed = partner_a.ok(partner_a.get(f"/companies/{company['id']}/documents"))
    assert listed["items"] == []


def test_import_into_another_partners_company_is_not_found(
    partner_a: Partner, partner_b: Partner
) -> None:
    company = partner_a.company()
    xml = (SAMPLES_DIR / "partial_invoice.xml").read_bytes()
    response = _import(partner_b, company["id"], xml, "application/xml")
    assert response.status_code == 404


def test_finalizing_an_unedited_import_issues_its_stated_amounts(partner_a: Partner) -> None:
    company = partner_a.company()
    xml = (SAMPLES_DIR / "partial_invoice.xml").read_bytes()
    created = partner_a.ok(_import(partner_a, company["id"], xml, "application/xml"), 201)
    # Issued today (the file's date is later than the tests' clock): not an amounts edit.
    body = {**created["document"], "issue_date": None, "due_date": None}
    partner_a.ok(partner_a.put(f"/documents/{created['id']}", body))
    finalized = partner_a.post(f"/documents/{created['id']}/finalize")
    assert finalized.status_code == 200, finalized.text
    issued = finalized.json()
    assert issued["number"] != "TR-2026-0042"  # numbered in the company's series
    assert issued["import_report"]["faithful"] is True
    stated = read_cii(partner_a.get(f"/documents/{created['id']}/xml").content).stated_totals
    assert stated.vat_total == Decimal("12.00")  # as the file stated (EN 16931: 12.03)
