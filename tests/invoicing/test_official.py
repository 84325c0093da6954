"""The in-process official checks reproduce what the official validators
report on the CEN corpus (../shared/corpus/cen-cii/expected.json)."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from invoicing.cii.writer import to_xml_bytes
from invoicing.official import official_check, readable_location, schematron_findings
from invoicing.profiles import Profile, schematron_path
from invoicing.samples import demo_invoice
from tests.corpus import CORPUS_DIR, expected_results

CORPUS = CORPUS_DIR
EXPECTED = expected_results()


def _ids(findings: Any) -> list[str | None]:
    return sorted((f.rule_id or None for f in findings), key=lambda i: i or "")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_factur_x_and_br_fr_findings_match_the_official_reference(name: str) -> None:
    expected = EXPECTED[name]
    result = official_check((CORPUS / name).read_bytes(), Profile.EN16931, french=True)
    assert result.xsd_valid == (expected["xsd_facturx_en16931"] == "valid")
    by_source: dict[str, Counter[tuple[str, str | None]]] = {
        "facturx-en16931": Counter(),
        "br-fr": Counter(),
    }
    for finding in result.findings:
        if finding.source in by_source:
            by_source[finding.source][(finding.severity.value, finding.rule_id or None)] += 1
    for source, column in (("facturx-en16931", "fnfe"), ("br-fr", "fr-ctc")):
        got_errors = {rule for (severity, rule) in by_source[source] if severity == "error"}
        got_warnings = {rule for (severity, rule) in by_source[source] if severity == "warning"}
        assert got_errors == set(expected[column]["errors"]), (source, name)
        assert got_warnings == set(expected[column]["warnings"]), (source, name)


def test_a_broken_invoice_is_reported_not_passed() -> None:
    # factur-x's own schematron helper passes anything when no Saxon server
    # answers. Ours runs the stylesheets and must fail this one.
    xml = to_xml_bytes(demo_invoice(3)).replace(
        b"<ram:GrandTotalAmount>", b"<ram:GrandTotalAmount>1"
    )
    result = official_check(xml, Profile.EN16931)
    assert not result.ok
    assert "BR-CO-15" in {f.rule_id for f in result.errors}


def test_missing_buyer_name_and_bogus_category_are_caught() -> None:
    xml = to_xml_bytes(demo_invoice(2))
    xml = xml.replace(b"<ram:Name>Boulangerie Dupont &amp; Fils</ram:Name>", b"")
    xml = xml.replace(b"<ram:CategoryCode>S</", b"<ram:CategoryCode>Q</")
    result = official_check(xml, Profile.EN16931)
    assert result.xsd_valid  # the XSD lets both through: the schematron is the judge
    assert "BR-07" in {f.rule_id for f in result.errors}
    assert any(f.location.endswith("CategoryCode[1]") for f in result.errors)


def test_each_thread_gets_its_own_compiled_stylesheets() -> None:
    xml = to_xml_bytes(demo_invoice(2))
    results: list[int] = []

    def run() -> None:
        findings = schematron_findings(xml, schematron_path(Profile.EN16931), "t")
        results.append(len([f for f in findings if f.severity.value == "error"]))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [0, 0]


def test_locations_are_readable() -> None:
    raw = (
        "/*:CrossIndustryInvoice[namespace-uri()='urn:un:unece:uncefact:data:standard:"
        "CrossIndustryInvoice:100'][1]/*:ExchangedDocument[namespace-uri()='urn:x'][1]"
    )
    assert readable_location(raw) == "/CrossIndustryInvoice[1]/ExchangedDocument[1]"


NOT_AN_INVOICE = {
    "empty": b"",
    "blank": b" \n\t ",
    "text": b"Facture 42",
    "unclosed": b"<rsm:CrossIndustryInvoice><a></rsm:CrossIndustryInvoice>",
    "truncated": to_xml_bytes(demo_invoice(1))[:700],
    "bad UTF-8": b"<a>\xff\xfe</a>",
    "NUL": b"<a>\x00</a>",
    "unknown encoding": b'<?xml version="1.0" encoding="x-nope"?><a/>',
    "two roots": b"<a/><b/>",
    "undeclared prefix": b"<rsm:CrossIndustryInvoice/>",
}


@pytest.mark.parametrize("name", sorted(NOT_AN_INVOICE))
def test_bytes_that_are_no_xml_are_one_finding_not_an_exception(name: str) -> None:
    result = official_check(NOT_AN_INVOICE[name], Profile.EN16931, french=True)
    assert not result.ok and not result.xsd_valid
    [finding] = result.findings
    assert (finding.rule_id, finding.source, finding.severity.value) == ("XML", "xml", "error")
    assert finding.message.startswith("The XML is")
    assert finding.location.startswith("line ")


@pytest.mark.parametrize(
    "xml",
    [
        b"<a/>",
        b'<CrossIndustryInvoice xmlns="urn:not:cii"><x>1</x></CrossIndustryInvoice>',
        b"<?xml-stylesheet href='x.xsl'?><!-- a comment --><a>text</a>",
    ],
)
def test_the_wrong_root_is_an_xsd_error_and_every_rule_still_answers(xml: bytes) -> None:
    result = official_check(xml, Profile.EN16931, french=True)
    assert not result.xsd_valid and not result.ok
    assert "No matching global declaration" in result.findings[0].message
    assert not [f for f in result.findings if f.rule_id == "SCHEMATRON-STOPPED"]


def test_a_doctype_is_refused_and_its_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42", encoding="utf-8")
    invoice = to_xml_bytes(demo_invoice(1))
    body = invoice.split(b"?>", 1)[1].replace(b"F-2026-00042", b"&e;", 1)
    for doctype in (
        f'<!DOCTYPE rsm:CrossIndustryInvoice [<!ENTITY e SYSTEM "{secret.as_uri()}">]>',
        '<!DOCTYPE rsm:CrossIndustryInvoice [<!ENTITY e "ha"><!ENTITY f "&e;&e;&e;">]>',
    ):
        result = official_check(doctype.encode() + body, Profile.EN16931, french=True)
        [finding] = result.findings
        assert finding.rule_id == "XML-DOCTYPE" and not result.ok
        assert "TOP-SECRET" not in repr(result.as_dict())


@pytest.mark.parametrize("encoding", ["utf-16", "iso-8859-1", "utf-8-sig"])
def test_an_invoice_in_another_encoding_is_checked_as_the_same_invoice(encoding: str) -> None:
    text = to_xml_bytes(demo_invoice(2)).decode()
    body = text.split("?>", 1)[1]
    declared = "" if encoding.startswith("utf") else f'<?xml version="1.0" encoding="{encoding}"?>'
    encoded = (declared + body).encode(encoding, errors="xmlcharrefreplace")  # € as &#8364;
    result = official_check(encoded, Profile.EN16931, french=True)
    assert result.ok, result.as_dict()
    assert result.findings == official_check(text.encode(), Profile.EN16931, french=True).findings


def test_a_stylesheet_that_stops_is_an_error_of_that_stylesheet() -> None:
    # Two issue dates: the XSD says so, and BR-FR stops comparing a sequence.
    date = b'<udt:DateTimeString format="102">20261124</udt:DateTimeString>'
    xml = to_xml_bytes(demo_invoice(1)).replace(date, date + date, 1)
    result = official_check(xml, Profile.EN16931, french=True)
    assert not result.xsd_valid and not result.ok
    stopped = [f for f in result.findings if f.rule_id == "SCHEMATRON-STOPPED"]
    assert [f.source for f in stopped] == ["br-fr"]
    assert "sequence of more than one item" in stopped[0].message
    assert stopped[0].severity.value == "error"
