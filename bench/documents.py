"""The PDF and the 500-line pipeline (issue 2's end-to-end targets)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bench import optional
from bench.anchors import trivial_pdf_a3
from bench.context import LARGE_LINES, SMALL_LINES, Context
from bench.report import Row, ratio
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import Document
from invoicing.official import official_check, xsd_errors
from invoicing.profiles import Profile
from invoicing.totals import compute_totals

PDF_TARGET_MS = 80.0
PDF_TIMES_TRIVIAL_PAGE = 5.0  # and at most this many WeasyPrint trivial pages, same run
LARGE_PDF_TARGET_MS = 1000.0
LARGE_OFFICIAL_TARGET_MS = 200.0
PIPELINE_TARGET_MS = 1500.0

RenderPdf = Callable[[Document, Profile], bytes]


def load_render_pdf() -> tuple[RenderPdf | None, str]:
    render, why = optional.load("invoicing.pdf.render", "render_pdf")
    return render, why


def variants(document: Document, count: int) -> Callable[[], Document]:
    """Each call the next of `count` copies of `document`, every line's name numbered:
    Typst reuses the layout of what it already laid out, so rendering one document
    again and again would measure its cache, not a rendering."""
    copies = []
    for index in range(count):
        copy = document.model_copy(deep=True)
        for line in copy.lines:
            line.name = f"{line.name or ''} {index}"
        copies.append(copy)
    return itertools.cycle(copies).__next__


def pdf_rows(ctx: Context) -> list[Row]:
    name = f"Factur-X PDF (render_pdf), {SMALL_LINES} lines"
    render, why = load_render_pdf()
    if render is None:
        return [Row(name, PDF_TARGET_MS, None, why)]
    document, profile = ctx.small, ctx.profile
    pdf, failure = optional.first_call(render, document, profile)
    if failure:
        return [Row(name, PDF_TARGET_MS, None, failure)]
    size = len(pdf)
    trivial = ctx.time("weasyprint_trivial", trivial_pdf_a3, warmup=3, runs=(20, 200), budget_s=2.0)
    small = variants(document, 303)
    samples = ctx.time(
        "pdf20", lambda: render(small(), profile), warmup=3, runs=(30, 300), budget_s=6.0
    )
    target = min(PDF_TARGET_MS, PDF_TIMES_TRIVIAL_PAGE * trivial.p50_ms)
    return [
        Row(
            name,
            target,
            samples,
            f"{size:,} bytes; {ratio(samples, trivial)} the WeasyPrint trivial page "
            f"(target <= {PDF_TIMES_TRIVIAL_PAGE:.0f}x and <= {PDF_TARGET_MS:.0f} ms)",
        )
    ]


def large_rows(ctx: Context) -> list[Row]:
    document, xml, profile = ctx.large, ctx.large_xml, ctx.profile
    lines = f"{LARGE_LINES} lines"

    def build() -> bytes:
        return to_xml_bytes(document, profile, compute_totals(document))

    rows = [
        Row(
            f"totals + XML build, {lines}",
            None,
            ctx.time("build500", build, warmup=3, runs=(20, 300), budget_s=2.0),
            f"{len(xml):,} bytes",
        ),
        Row(
            f"XSD, cached schema, {lines}",
            None,
            ctx.time(
                "xsd500", lambda: xsd_errors(xml, profile), warmup=3, runs=(20, 500), budget_s=1.0
            ),
        ),
        Row(
            f"official_check(french=True), {lines}",
            LARGE_OFFICIAL_TARGET_MS,
            ctx.time(
                "official500",
                lambda: official_check(xml, profile, french=True),
                warmup=1,
                runs=(5, 30),
                budget_s=5.0,
            ),
            "XSD + Factur-X + BR-FR",
        ),
    ]
    pipeline_name = f"whole pipeline (build, official check, PDF), {lines}"
    render, why = load_render_pdf()
    if render is not None:
        why = optional.first_call(render, document, profile)[1]
    if render is None or why:
        rows.append(Row(f"Factur-X PDF (render_pdf), {lines}", None, None, why))
        rows.append(Row(pipeline_name, PIPELINE_TARGET_MS, None, f"PDF {why}"))
        return rows

    large = variants(document, 32)

    def pipeline() -> bytes:
        official_check(build(), profile, french=True)
        return render(large(), profile)

    pdf = ctx.time("pdf500", lambda: render(large(), profile), warmup=1, runs=(5, 20), budget_s=8.0)
    rows.append(Row(f"Factur-X PDF (render_pdf), {lines}", LARGE_PDF_TARGET_MS, pdf))
    rows.append(
        Row(
            pipeline_name,
            PIPELINE_TARGET_MS,
            ctx.time("pipeline500", pipeline, warmup=1, runs=(5, 10), budget_s=10.0),
            "to_xml_bytes, official_check(french), render_pdf",
        )
    )
    return rows
