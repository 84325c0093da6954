"""The indexed schematrons write the same SVRL as the shipped ones, character for
character (a sample here; `python -m bench schematron-proof` runs the full proof)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from lxml import etree

from bench.schematron_proof import (
    compare,
    generated_documents,
    mutated_documents,
    one_break_mutations,
)
from invoicing.cii.writer import to_xml_bytes
from invoicing.indexed_schematron import _candidates, indexed_stylesheet
from invoicing.official import Sheets, findings_report, official_check, svrl_report
from invoicing.profiles import Profile, br_fr_schematron_path, schematron_path
from invoicing.samples import demo_invoice
from tests.corpus import corpus_files

PROFILE = Profile.EN16931
XSL = {"xsl": "http://www.w3.org/1999/XSL/Transform"}
EN16931_SHEETS = [schematron_path(Profile.EN16931), br_fr_schematron_path()]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_same_svrl_on_the_cen_corpus(path: Path) -> None:
    assert compare(path.read_bytes(), EN16931_SHEETS) == ([], 0)


def test_same_svrl_on_one_break_mutations() -> None:
    # Every 20th of the ~1,060 mutations (the proof runs them all).
    sample = list(itertools.islice(mutated_documents(lines=2), 0, None, 20))
    assert len(sample) > 50
    for name, xml, profile in sample:
        different, _ = compare(xml, [schematron_path(profile), br_fr_schematron_path()])
        assert different == [], name


def test_same_svrl_on_generated_cases() -> None:
    cases = list(generated_documents(16, seed=20261207))
    assert {profile for _, _, profile in cases} >= {Profile.EN16931, Profile.BASIC}
    for name, xml, profile in cases:
        different, _ = compare(xml, [schematron_path(profile), br_fr_schematron_path()])
        assert different == [], name


def test_the_mutations_break_what_the_rules_check() -> None:
    xml = to_xml_bytes(demo_invoice(1))
    mutations = dict(one_break_mutations(xml))
    bogus_unit = next(
        m for name, m in mutations.items() if name.startswith("bogus") and "@unitCode" in name
    )
    assert b'unitCode="ZZZ-9"' in bogus_unit
    # A code-list look-up (now a key) still rejects the bogus unit, both ways.
    found = {
        sheets: {f.rule_id for f in official_check(bogus_unit, PROFILE, sheets=sheets).errors}
        for sheets in Sheets
    }
    assert found[Sheets.INDEXED] == found[Sheets.SHIPPED]
    assert found[Sheets.INDEXED], "a bogus unit code is an error"


@pytest.mark.parametrize(
    ("profile", "patterns", "lookups"),
    [(Profile.EN16931, 66, 59), (Profile.BASIC, 66, 49), (Profile.MINIMUM, 26, 9)],
)
def test_every_pattern_is_rewritten(profile: Profile, patterns: int, lookups: int) -> None:
    rewrite = indexed_stylesheet(schematron_path(profile))
    assert rewrite.silent_walks_dropped == patterns
    assert len(rewrite.modes_flattened) == patterns and rewrite.modes_kept == ()
    assert rewrite.lookups_keyed == lookups
    tests = etree.fromstring(rewrite.text.encode()).xpath("//xsl:when/@test", namespaces=XSL)
    assert isinstance(tests, list) and tests
    assert not [t for t in tests if "codedb/cl[" in str(t)]  # keys, no scan left


def test_br_fr_is_rewritten_too() -> None:
    rewrite = indexed_stylesheet(br_fr_schematron_path())
    assert rewrite.silent_walks_dropped == len(rewrite.modes_flattened) == 58
    assert rewrite.modes_kept == ()


RAM = "urn:ram"
NAMESPACES: dict[str | None, str] = {"rsm": "urn:rsm", "ram": RAM, None: ""}


def test_candidates_follow_the_last_step_of_each_context() -> None:
    patterns = ["/rsm:A/ram:B[ram:C/@d = '1']", "//ram:E | ram:F/ram:G[x]/@h", "/"]
    assert _candidates(patterns, True, NAMESPACES) == "/ | //(ram:B | ram:E | @h)"
    # A walk that never visits attributes never fires on them; several element
    # names are one key look-up.
    assert _candidates(patterns, False, NAMESPACES) == (
        f"/ | key('indexed-elements', (QName('{RAM}', 'ram:B'), QName('{RAM}', 'ram:E')))"
    )
    assert _candidates(["ram:X[not(ancestor::ram:Y)]"], False, NAMESPACES) == "//(ram:X)"
    # What the rewrite cannot read keeps the shipped walk.
    assert _candidates(["ram:X/text()"], False, NAMESPACES) is None
    assert _candidates(["ancestor::ram:X"], False, NAMESPACES) is None


def test_many_element_names_are_every_element() -> None:
    many = [f"ram:E{i}" for i in range(40)]
    assert _candidates(many, False, NAMESPACES) == "//*"
    assert _candidates([*many[:3], "*"], False, NAMESPACES) == "//(ram:E0 | ram:E1 | ram:E2 | *)"
    # A prefix XPath cannot resolve, or an unprefixed name: keys need the URI.
    assert _candidates(["x:A", "ram:B"], False, NAMESPACES) == "//(x:A | ram:B)"
    assert _candidates(["A", "B"], False, NAMESPACES) == (
        "key('indexed-elements', (QName('', 'A'), QName('', 'B')))"
    )


def test_the_findings_form_writes_no_fired_rule() -> None:
    sheet = br_fr_schematron_path()
    whole, findings = indexed_stylesheet(sheet), indexed_stylesheet(sheet, findings_only=True)
    assert whole.fired_rules_dropped == 0 and "svrl:fired-rule" in whole.text
    assert findings.fired_rules_dropped == 140 and "svrl:fired-rule" not in findings.text
    assert findings.active_patterns_dropped == 58 and "svrl:active-pattern" not in findings.text
    assert whole.active_patterns_dropped == 0
    assert '<xsl:key name="indexed-elements"' in findings.text
    xml = to_xml_bytes(demo_invoice(2)).replace(b"<ram:ID>F-", b"<ram:ID>F#")
    shipped = findings_report(xml, sheet, Sheets.SHIPPED)
    assert b"failed-assert" in shipped  # BR-FR-01: '#' is no invoice number character
    assert findings_report(xml, sheet, Sheets.INDEXED) == shipped


SYNTHETIC = """<?xml version="1.0"?>
<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <xsl:template match="text()" priority="-1"/>
  <xsl:template match="/">
    <svrl:schematron-output>
      <svrl:active-pattern><xsl:apply-templates/></svrl:active-pattern>
      <xsl:apply-templates select="/" mode="M1"/>
      <svrl:active-pattern><xsl:apply-templates/></svrl:active-pattern>
      <xsl:apply-templates select="/" mode="M2"/>
    </svrl:schematron-output>
  </xsl:template>
  <xsl:template match="//b[@k='1']" priority="2" mode="M1">
    <svrl:failed-assert id="R1"><xsl:value-of select="."/></svrl:failed-assert>
    <xsl:apply-templates select="@*|*" mode="M1"/>
  </xsl:template>
  <xsl:template match="a/@k" priority="1" mode="M1">
    <svrl:failed-assert id="R2"><xsl:value-of select="."/></svrl:failed-assert>
    <xsl:apply-templates select="@*|*" mode="M1"/>
  </xsl:template>
  <xsl:template match="text()" priority="-1" mode="M1"/>
  <xsl:template match="@*|node()" priority="-2" mode="M1">
    <xsl:apply-templates select="@*|*" mode="M1"/>
  </xsl:template>
  <xsl:template match="b/text()" priority="1" mode="M2">
    <svrl:failed-assert id="R3"/>
    <xsl:apply-templates select="*" mode="M2"/>
  </xsl:template>
  <xsl:template match="text()" priority="-1" mode="M2"/>
  <xsl:template match="@*|node()" priority="-2" mode="M2">
    <xsl:apply-templates select="*" mode="M2"/>
  </xsl:template>
</xsl:stylesheet>
"""


def test_a_small_stylesheet_reports_the_same_both_ways(tmp_path: Path) -> None:
    sheet = tmp_path / "synthetic.xsl"
    sheet.write_text(SYNTHETIC, encoding="utf-8")
    rewrite = indexed_stylesheet(sheet)
    assert rewrite.silent_walks_dropped == 2
    assert rewrite.modes_flattened == ("M1",) and rewrite.modes_kept == ("M2",)
    xml = b'<r><a k="2"><b k="1">x<b k="1">y</b></b></a><b k="3">z</b><a k="4"/></r>'
    shipped = svrl_report(xml, sheet, Sheets.SHIPPED)
    assert shipped.count('id="R1"') == 2 and shipped.count('id="R2"') == 2
    assert svrl_report(xml, sheet, Sheets.INDEXED) == shipped
