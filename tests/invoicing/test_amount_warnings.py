"""Stated amounts that differ from EN 16931 are reported, with their likely
cause, and never silently changed; the reader accepts what the official rules
accept (free-text BT-23, any scheme, codes of the official lists)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from invoicing.amount_warnings import Cause, amount_warnings, import_report
from invoicing.cii.reader import read_cii
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import Address, Document
from invoicing.official import official_check
from invoicing.profiles import Profile
from invoicing.rules import Severity, validate
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals, en16931_totals
from tests.corpus import CORPUS_DIR

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def _imported(name: str) -> Document:
    return read_cii((SAMPLES_DIR / name).read_bytes()).imported_document


def _shape(document: Document) -> list[tuple[str, int | None, str | None, Cause]]:
    report = import_report(document)
    assert report is not None
    return [(w.term, w.line, w.vat, w.cause) for w in report.warnings]


def test_gross_prices_are_named_as_the_cause() -> None:
    document = _imported("gross_prices.xml")
    assert _shape(document) == [
        ("BT-131", 1, None, Cause.GROSS_PRICE),
        ("BT-131", 2, None, Cause.GROSS_PRICE),
        ("BT-116", None, "S 19", Cause.LINE_AMOUNTS),
        ("BT-117", None, "S 19", Cause.STATED_AMOUNTS),
        ("BT-106", None, None, Cause.LINE_AMOUNTS),
        ("BT-109", None, None, Cause.STATED_AMOUNTS),
        ("BT-110", None, None, Cause.STATED_AMOUNTS),
        ("BT-112", None, None, Cause.STATED_AMOUNTS),
        ("BT-115", None, None, Cause.STATED_AMOUNTS),
    ]
    report = import_report(document)
    assert report is not None and report.faithful
    second = report.warnings[1]
    assert (second.stated, second.computed) == (Decimal("80.00"), Decimal("67.22"))
    assert second.line_text() == (
        "warning: BT-131 line 2: stated 80.00, computed 67.22; likely cause: gross vs net "
        "price: the file computed the line from the gross price (BT-148 80) where EN 16931 "
        "uses the net price (BT-146 67.2244)"
    )
    assert "prix brut ou net" in second.message_fr
    # Never silently changed: the document's amounts are the stated ones.
    totals = compute_totals(document)
    assert [line.net_amount for line in totals.lines] == [Decimal("67.22"), Decimal("80.00")]
    assert totals.tax_inclusive_total == Decimal("175.19")
    assert en16931_totals(document).tax_inclusive_total == Decimal("144.78")


def test_four_decimal_prices_rounded_otherwise() -> None:
    shape = _shape(_imported("four_decimal_prices.xml"))
    assert shape[:3] == [
        ("BT-131", 1, None, Cause.PRICE_PRECISION),
        ("BT-131", 2, None, Cause.ROUNDING),
        ("BT-131", 3, None, Cause.PRICE_PRECISION),
    ]
    assert ("BT-106", None, None, Cause.LINE_AMOUNTS) in shape


def test_a_few_cents_at_the_document_level_on_a_partial_invoice() -> None:
    document = _imported("partial_invoice.xml")
    assert document.effective_type_code == "326"
    assert _shape(document) == [
        ("BT-117", None, "S 19", Cause.ROUNDING),
        ("BT-110", None, None, Cause.STATED_AMOUNTS),
        ("BT-112", None, None, Cause.STATED_AMOUNTS),
        ("BT-115", None, None, Cause.STATED_AMOUNTS),
    ]
    report = import_report(document)
    assert report is not None
    vat = report.warnings[0]
    assert (vat.stated, vat.computed) == (Decimal("12.00"), Decimal("12.03"))


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("CII_business_example_01.xml", {1: Cause.BASE_QUANTITY, 5: Cause.BASE_QUANTITY}),
        ("CII_example1.xml", {20: Cause.SIGN}),
        ("XRechnung-O.xml", {1: Cause.CHARGE_SIGN, 2: Cause.CHARGE_SIGN}),
        ("huf_example_cii.xml", {1: Cause.ROUNDING, 2: Cause.ROUNDING, 3: Cause.ROUNDING}),
    ],
)
def test_causes_in_the_cen_corpus(name: str, lines: dict[int, Cause]) -> None:
    document = read_cii((CORPUS_DIR / name).read_bytes()).imported_document
    found = {line: cause for term, line, _, cause in _shape(document) if term == "BT-131"}
    assert {line: found.get(line) for line in lines} == lines


def test_agreeing_imports_have_no_warning() -> None:
    for profile in (Profile.EN16931, Profile.EXTENDED, Profile.BASIC):
        document = read_cii(to_xml_bytes(demo_invoice(9), profile)).imported_document
        report = import_report(document)
        assert report is not None
        assert (report.faithful, report.warnings) == (True, ())
    assert import_report(demo_invoice(2)) is None


def test_editing_what_the_totals_read_recomputes_and_says_so() -> None:
    document = _imported("gross_prices.xml")
    document.lines[1].quantity = Decimal(2)
    report = import_report(document)
    assert report is not None
    assert (report.faithful, report.warnings) == (False, ())
    assert "computed by EN 16931 again" in report.message_en
    assert compute_totals(document) == en16931_totals(document)
    # Other edits keep the faithful copy and its warnings.
    kept = _imported("gross_prices.xml")
    kept.buyer.name = "Nouveau nom"
    kept.notes = []
    report = import_report(kept)
    assert report is not None and report.faithful and len(report.warnings) == 9


def test_free_text_business_process_and_foreign_identifiers() -> None:
    document = _imported("foreign_extended.xml")
    assert document.business_process == "Beispielgeschäftsprozess"
    assert document.operation_category is None
    assert document.seller.identifiers[0].scheme == "0088"
    assert document.seller.electronic_address is not None
    assert document.seller.electronic_address.scheme == "EM"
    ids = {f.rule_id for f in validate(document, Profile.EXTENDED, french=True)}
    assert "BR-FR-08_BT-23" in ids  # the French rules keep their billing modes
    assert "BR-FR-08_BT-23" not in {f.rule_id for f in validate(document, Profile.EXTENDED)}


def test_leftovers_are_listed_with_their_values() -> None:
    result = read_cii((SAMPLES_DIR / "foreign_extended.xml").read_bytes())
    imported = result.imported_document.imported
    assert imported is not None
    assert {(item.path.rsplit("/", 2)[-2], item.value) for item in imported.leftovers} == {
        ("ShipFromTradeParty", "Lager Nord"),
        ("IncludedNote[2]", "Anfahrt inklusive"),
        ("SpecifiedTradePaymentTerms[1]", "142.80"),  # PartialPaymentAmount
        ("SpecifiedTradePaymentTerms[2]", "142.80"),
        ("DueDateDateTime", "20270125"),  # the second instalment's due date
        ("DateTimeString", "102"),  # its format
    }
    assert result.document.payment_terms == "Zweite Rate"  # the descriptions, joined
    assert imported.guideline.endswith("extended")


def test_stricter_own_rules_warn_on_an_import() -> None:
    """The IBAN's check digits are wrong; no official rule checks them."""
    document = _imported("foreign_extended.xml")
    [finding] = [f for f in validate(document, Profile.EXTENDED) if f.rule_id == "IBAN-CHECK"]
    assert finding.severity is Severity.WARNING
    typed = document.model_copy(update={"imported": None})
    [finding] = [f for f in validate(typed, Profile.EXTENDED) if f.rule_id == "IBAN-CHECK"]
    assert finding.severity is Severity.ERROR


def test_official_codes_the_model_used_to_refuse() -> None:
    """xs:boolean indicators written 1/0 (the XSD accepts them; the schematron
    compares with 'true'), Kosovo's 1A (EN 16931's country list)."""
    written = to_xml_bytes(demo_invoice(3))
    xml = written.replace(b"Indicator>false<", b"Indicator>0<").replace(
        b"Indicator>true<", b"Indicator>1<"
    )
    assert xml.count(b"Indicator>0<") == 1 and xml.count(b"Indicator>1<") == 1
    report = official_check(xml, Profile.EN16931)
    assert report.xsd_valid
    assert read_cii(xml).document == read_cii(written).document
    kosovo = demo_invoice(1)
    kosovo.buyer.address = Address(city="Prishtina", country="1A")
    assert read_cii(to_xml_bytes(kosovo)).document.buyer.address.country == "1A"


def _blanche(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_blanche_read_prints_one_warning_per_difference(tmp_path: Path) -> None:
    run = _blanche("read", SAMPLES_DIR / "gross_prices.xml")
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 9
    assert all(line.startswith("warning: BT-") for line in lines)
    assert lines[1].startswith("warning: BT-131 line 2: stated 80.00, computed 67.22; ")
    assert "gross vs net price" in lines[1]
    assert lines[4].startswith("warning: BT-106: stated 147.22, computed 121.66; ")
    data = json.loads(run.stdout)
    assert data["imported"]["stated"]["line_net_amounts"] == ["67.22", "80.00"]
    # The JSON renders back to the amounts the file stated.
    path = tmp_path / "doc.json"
    path.write_text(run.stdout, encoding="utf-8")
    out = tmp_path / "out.xml"
    render = _blanche("render", path, out)
    assert render.returncode == 0, render.stderr
    assert read_cii(out.read_bytes()).stated_totals.tax_inclusive_total == Decimal("175.19")


def test_blanche_render_of_an_import_with_a_wrong_iban(tmp_path: Path) -> None:
    run = _blanche("read", SAMPLES_DIR / "foreign_extended.xml")
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith("note: 6 value(s)")
    path = tmp_path / "doc.json"
    path.write_text(run.stdout, encoding="utf-8")
    out = tmp_path / "out.pdf"
    render = _blanche("render", path, out, "--profile", "extended")
    assert render.returncode == 0, render.stderr
    assert "IBAN" in render.stderr and render.stderr.startswith("warning:")
    check = _blanche("check", out)
    assert check.returncode == 0, check.stdout
    # The same IBAN typed in a document of ours is still refused.
    typed = json.loads(run.stdout)
    del typed["imported"]
    path.write_text(json.dumps(typed), encoding="utf-8")
    refused = _blanche("render", path, out, "--profile", "extended")
    assert refused.returncode == 1
    assert "IBAN-CHECK" in refused.stderr


def test_quantities_and_prices_with_many_decimals() -> None:
    """EN 16931 limits neither; the French rules do (19,4 and 19,6), as rules."""
    written = to_xml_bytes(demo_invoice(1))
    xml = written.replace(b'unitCode="HUR">1.5<', b'unitCode="HUR">1.500001<').replace(
        b"<ram:ChargeAmount>65<", b"<ram:ChargeAmount>65.000000001<"
    )
    assert xml.count(b"1.500001<") == 1 and xml.count(b"65.000000001<") == 1
    assert not official_check(xml, Profile.EN16931).errors
    document = read_cii(xml).imported_document
    assert document.lines[0].quantity == Decimal("1.500001")
    assert to_xml_bytes(document) == xml  # the stated amounts, as stated
    french = {f.rule_id for f in validate(document, Profile.EN16931, french=True).errors}
    assert {"BR-FR-DEC-02", "BR-FR-DEC-03"} <= french
    assert not {f.rule_id for f in validate(document, Profile.EN16931).errors} & french


def test_a_vat_basis_a_few_cents_off_is_rounding() -> None:
    """The official rules allow BT-116 within 1.00 of the sum it states."""
    document = _imported("four_decimal_prices.xml")
    assert document.imported is not None
    stated = document.imported.stated.model_copy(deep=True)
    stated.line_net_amounts = [None, None, None]
    stated.vat_breakdown[0].taxable_amount = Decimal("35.73")
    computed = en16931_totals(document)
    [warning] = [w for w in amount_warnings(document, stated, computed) if w.term == "BT-116"]
    assert (warning.stated, warning.computed, warning.cause) == (
        Decimal("35.73"),
        Decimal("35.71"),
        Cause.ROUNDING,
    )
