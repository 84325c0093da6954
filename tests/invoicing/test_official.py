"""The in-process official checks reproduce what the official validators
report on the CEN corpus (../shared/corpus/cen-cii/expected.json)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest

from invoicing.cii_writer import to_xml_bytes
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
