"""Issue 2's per-step targets on the 20-line invoice: XML build, XSD, schematrons."""

from __future__ import annotations

from bench.anchors import SHIPPED_STYLESHEETS, shipped_stylesheets_by_hand
from bench.context import SMALL_LINES, Context
from bench.report import Row, ratio
from invoicing.cii.writer import build_cii, to_xml_bytes
from invoicing.official import official_check, schematron_findings, xsd_errors
from invoicing.profiles import br_fr_schematron_path, schematron_path
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals

BUILD_TARGET_MS = 1.0
XSD_TARGET_MS = 0.2
SCHEMATRON_TARGET_MS = 5.0
# official_check against the shipped stylesheets run by hand, in the same run.
OFFICIAL_SHARE_OF_SHIPPED = 0.25


def rows(ctx: Context) -> list[Row]:
    document, xml, profile = ctx.small, ctx.small_xml, ctx.profile
    lines = f"{SMALL_LINES} lines"

    def build() -> bytes:
        return to_xml_bytes(document, profile, compute_totals(document))

    tree = build_cii(document, profile)
    one_line_xml = to_xml_bytes(demo_invoice(1), profile)
    facturx_sheet = schematron_path(profile)
    br_fr_sheet = br_fr_schematron_path()
    result = official_check(xml, profile, french=True)
    findings = f"{len(result.errors)} errors, {len(result.warnings)} warnings"
    shipped = ctx.time(
        "shipped20",
        shipped_stylesheets_by_hand(xml, profile),
        warmup=10,
        runs=(50, 300),
        budget_s=4.0,
    )
    official = ctx.time(
        "official20",
        lambda: official_check(xml, profile, french=True),
        warmup=10,
        runs=(100, 400),
        budget_s=4.0,
    )
    return [
        Row(
            f"totals + XML build, {lines}",
            BUILD_TARGET_MS,
            ctx.time("build20", build, warmup=50, runs=(200, 3000), budget_s=2.0),
            f"{len(xml):,} bytes",
        ),
        Row(
            f"XSD, cached schema, {lines}",
            XSD_TARGET_MS,
            ctx.time(
                "xsd20", lambda: xsd_errors(xml, profile), warmup=50, runs=(200, 5000), budget_s=1.0
            ),
            "xsd_errors(bytes): parse + validate",
        ),
        Row(
            f"XSD, cached schema, built tree, {lines}",
            XSD_TARGET_MS,
            ctx.time(
                "xsd20_tree",
                lambda: xsd_errors(tree, profile),
                warmup=50,
                runs=(200, 5000),
                budget_s=1.0,
            ),
            "xsd_errors(element): validate only",
        ),
        Row(
            f"schematron Factur-X {profile.value.upper()}, {lines}",
            SCHEMATRON_TARGET_MS,
            ctx.time(
                "facturx20",
                lambda: schematron_findings(xml, facturx_sheet, "facturx"),
                warmup=20,
                runs=(100, 600),
                budget_s=3.0,
            ),
            "saxonche, indexed form (invoicing.indexed_schematron)",
        ),
        Row(
            f"schematron Factur-X {profile.value.upper()}, 1 line",
            None,
            ctx.time(
                "facturx1",
                lambda: schematron_findings(one_line_xml, facturx_sheet, "facturx"),
                warmup=20,
                runs=(100, 600),
                budget_s=1.0,
            ),
            "cost grows with the line count",
        ),
        Row(
            f"schematron BR-FR Flux 2, {lines}",
            None,
            ctx.time(
                "brfr20",
                lambda: schematron_findings(xml, br_fr_sheet, "br-fr"),
                warmup=20,
                runs=(100, 600),
                budget_s=2.0,
            ),
        ),
        Row(
            f"{SHIPPED_STYLESHEETS}, {lines}",
            None,
            shipped,
            "saxonche, preEvaluateDocFunction, one parse, SVRL as text",
        ),
        Row(
            f"official_check(french=True), {lines}",
            shipped.p50_ms * OFFICIAL_SHARE_OF_SHIPPED,
            official,
            f"XSD + Factur-X + BR-FR; {findings}; target 1/4 of the shipped stylesheets, "
            f"this / shipped = {ratio(official, shipped)}",
        ),
    ]
