"""Anchors: what other libraries take for the same work, side by side with ours."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from bench import drafthorse_mirror
from bench.context import SMALL_LINES, Context
from bench.report import Row, ratio
from invoicing.official import official_check
from invoicing.profiles import Profile, br_fr_schematron_path, schematron_path
from invoicing.totals import compute_totals

SHIPPED_STYLESHEETS = "anchor: shipped stylesheets (Factur-X + BR-FR by hand)"

_TRIVIAL_PAGE = "<html><body><p>Facture</p></body></html>"


def trivial_pdf_a3() -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=_TRIVIAL_PAGE).write_pdf(pdf_variant="pdf/a-3b")
    return pdf


def shipped_stylesheets_by_hand(xml: bytes, profile: Profile) -> Callable[[], object]:
    """The shipped Factur-X and BR-FR schematrons run by hand with saxonche, as
    the field notes say to: compiled once with preEvaluateDocFunction, the
    document parsed once, each report as text."""
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    processor.set_configuration_property(
        "http://saxon.sf.net/feature/preEvaluateDocFunction", "true"
    )
    xslt = processor.new_xslt30_processor()
    sheets: list[Path] = [schematron_path(profile), br_fr_schematron_path()]
    compiled = [xslt.compile_stylesheet(stylesheet_file=str(sheet)) for sheet in sheets]
    text = xml.decode("utf-8")

    def run() -> list[str]:
        node = processor.parse_xml(xml_text=text)
        return [executable.transform_to_string(xdm_node=node) for executable in compiled]

    return run


def _tags(xml: bytes) -> list[str]:
    return [str(element.tag) for element in etree.fromstring(xml).iter()]


def facturx_rows(ctx: Context) -> list[Row]:
    import facturx

    # factur-x logs every call at INFO and warns about its Saxon server.
    logging.getLogger("factur-x").setLevel(logging.ERROR)
    xml, level = ctx.small_xml, ctx.profile.value
    lines = f"{SMALL_LINES} lines"
    base_pdf = trivial_pdf_a3()

    def embed_and_check() -> None:
        facturx.generate_from_binary(base_pdf, xml, flavor="factur-x", level=level, check_xsd=False)
        facturx.xml_check_xsd(xml, flavor="factur-x", level=level)

    page = ctx.measured.get("weasyprint_trivial") or ctx.time(
        "weasyprint_trivial", trivial_pdf_a3, warmup=3, runs=(20, 200), budget_s=2.0
    )
    embed = ctx.time("facturx_embed", embed_and_check, warmup=5, runs=(50, 1000), budget_s=2.0)
    xsd = ctx.time(
        "facturx_xsd",
        lambda: facturx.xml_check_xsd(xml, flavor="factur-x", level=level),
        warmup=20,
        runs=(200, 3000),
        budget_s=1.0,
    )
    ours_pdf = ctx.measured.get("pdf20")
    return [
        Row("anchor: WeasyPrint trivial page, PDF/A-3b", None, page, "floor of any rendered PDF"),
        Row(
            f"anchor: factur-x generate_from_binary + xml_check_xsd, {lines}",
            None,
            embed,
            f"prebuilt 1-page PDF; our PDF / this = {ratio(ours_pdf, embed)}"
            if ours_pdf
            else "our PDF: not available yet",
        ),
        Row(
            f"anchor: factur-x xml_check_xsd, {lines}",
            None,
            xsd,
            f"this / our cached xsd_errors = {ratio(xsd, ctx.measured.get('xsd20'))}",
        ),
    ]


def drafthorse_rows(ctx: Context) -> list[Row]:
    document, profile = ctx.small, ctx.profile
    lines = f"{SMALL_LINES} lines"
    sample = drafthorse_mirror.serialize(document, compute_totals(document))
    same = "same elements" if _tags(sample) == _tags(ctx.small_xml) else "elements differ"
    errors = len(official_check(sample, profile, french=True).errors)
    ours = ctx.measured.get("build20")

    # Both sides compute the totals, as our build row does.
    validated = ctx.time(
        "drafthorse",
        lambda: drafthorse_mirror.serialize(document, compute_totals(document)),
        warmup=5,
        runs=(30, 500),
        budget_s=3.0,
    )
    unvalidated = ctx.time(
        "drafthorse_no_xsd",
        lambda: drafthorse_mirror.serialize(document, compute_totals(document), schema=None),
        warmup=10,
        runs=(100, 2000),
        budget_s=2.0,
    )
    return [
        Row(
            f"anchor: drafthorse totals + serialize({drafthorse_mirror.SCHEMA}), {lines}",
            None,
            validated,
            f"validates with its XSD; this / ours = {ratio(validated, ours)}; "
            f"{same}, {errors} official errors",
        ),
        Row(
            f"anchor: drafthorse totals + serialize(schema=None), {lines}",
            None,
            unvalidated,
            f"this / ours = {ratio(unvalidated, ours)}",
        ),
    ]
