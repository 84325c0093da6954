"""The Factur-X PDF/A-3b: embedded XML, PDF/A markers, fonts, metadata, rendering."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
import pikepdf
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from invoicing.cii.writer import to_xml_bytes
from invoicing.html import Formatter, render_html
from invoicing.model import Address, Document, DocumentKind, Line
from invoicing.pdf.render import render_pdf
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals

XMP_LEVELS = {
    Profile.MINIMUM: "MINIMUM",
    Profile.BASIC_WL: "BASIC WL",
    Profile.BASIC: "BASIC",
    Profile.EN16931: "EN 16931",
    Profile.EXTENDED: "EXTENDED",
}
VENDOR_NAMES = (
    "typst",
    "krilla",
    "weasyprint",
    "pypdf",
    "factur-x python lib",
    "akretion",
    "lattre",
    "pikepdf",
)
INFO_TO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Producer": "pdf:Producer",
    "/Creator": "xmp:CreatorTool",
}
SCRIPTS = {
    "greek": "Ελληνικά: συντήρηση δικτύου",
    "cyrillic": "Кириллица: обслуживание сети",
    "cjk": "中文：系统维护服务 日本語の請求書",
    "hangul": "한국어 송장",
    "emoji": "Emoji 🧾✅🚀 ☕",
}


def world_invoice() -> Document:
    """A French invoice whose lines are written in several scripts, with emoji."""
    document = demo_invoice(3)
    for name, text in SCRIPTS.items():
        document.lines.append(
            Line(
                name=text, description=f"{name}: {text}", quantity=Decimal(1), net_price=Decimal(10)
            )
        )
    document.lines.append(
        Line(
            name="עברית: שירות",
            description="العربية: خدمة 123",
            quantity=Decimal(1),
            net_price=Decimal(1),
        )
    )
    document.buyer.address = Address(line1="北京市朝阳区建国路 88号", city="北京", country="CN")
    return document


def quote() -> Document:
    document = demo_invoice(3)
    document.kind = DocumentKind.QUOTE
    document.number = "D-2026-007"
    return document


@pytest.fixture(scope="module")
def demo_pdf() -> bytes:
    return render_pdf(demo_invoice(20))


@pytest.fixture(scope="module")
def world_pdf() -> bytes:
    return render_pdf(world_invoice())


@pytest.fixture(scope="module")
def quote_pdf() -> bytes:
    return render_pdf(quote())


def pdftotext(pdf: bytes, *args: str) -> str:
    result = subprocess.run(
        ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))


# --- the embedded XML -------------------------------------------------------------------


@pytest.mark.parametrize("profile", list(Profile))
def test_embedded_xml_is_the_cii_of_the_profile(profile: Profile) -> None:
    document = demo_invoice(4)
    pdf = render_pdf(document, profile)
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    assert xml == to_xml_bytes(document, profile)
    with open_pdf(pdf) as opened:
        meta = opened.open_metadata()
        level = meta["{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}ConformanceLevel"]
        assert level == XMP_LEVELS[profile]


def test_credit_note_and_deposit_invoice_carry_their_xml() -> None:
    for kind in (DocumentKind.CREDIT_NOTE, DocumentKind.DEPOSIT_INVOICE):
        document = demo_invoice(2)
        document.kind = kind
        pdf = render_pdf(document)
        assert facturx.get_xml_from_pdf(pdf, check_xsd=False)[1] == to_xml_bytes(document)


def test_quote_has_no_xml_and_says_devis(quote_pdf: bytes) -> None:
    with open_pdf(quote_pdf) as pdf:
        assert "/AF" not in pdf.Root
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        assert not pdf.attachments
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
    text = pdftotext(quote_pdf)
    assert "Devis" in text
    assert "D-2026-007" in text
    assert "Facture" not in text


# --- PDF/A-3 markers ----------------------------------------------------------------------


def assert_pdfa3b_markers(pdf_bytes: bytes) -> None:
    with open_pdf(pdf_bytes) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        intents = pdf.Root.OutputIntents
        assert len(intents) >= 1
        assert intents[0].S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intents[0]


def test_invoice_is_marked_pdfa3b_with_the_xml_as_data(demo_pdf: bytes) -> None:
    assert_pdfa3b_markers(demo_pdf)
    with open_pdf(demo_pdf) as pdf:
        associated = list(pdf.Root.AF)
        assert len(associated) == 1
        spec = associated[0]
        assert spec.Type == "/Filespec"
        assert str(spec.F) == "factur-x.xml"
        assert str(spec.UF) == "factur-x.xml"
        assert spec.AFRelationship == "/Data"
        assert spec.EF.F.Subtype == "/text/xml"
        assert list(pdf.attachments) == ["factur-x.xml"]
        names = list(pdf.Root.Names.EmbeddedFiles.Names)
        assert [str(item) for item in names[0::2]] == ["factur-x.xml"]
        assert names[1].objgen == spec.objgen


def test_quote_is_marked_pdfa3b(quote_pdf: bytes) -> None:
    assert_pdfa3b_markers(quote_pdf)


def fonts_in(resources: pikepdf.Dictionary, seen: set[tuple[int, int]]) -> list[Any]:
    """Every font reachable from page resources, including form XObjects and Type3 fonts."""
    found: list[Any] = []
    for font in resources.get("/Font", {}).values():
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        found.append(font)
        if font.Subtype == "/Type3" and "/Resources" in font:
            found.extend(fonts_in(font.Resources, seen))
    for xobject in resources.get("/XObject", {}).values():
        if xobject.Subtype == "/Form" and "/Resources" in xobject and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found.extend(fonts_in(xobject.Resources, seen))
    return found


def assert_every_font_embedded(pdf_bytes: bytes) -> list[str]:
    names: list[str] = []
    with open_pdf(pdf_bytes) as pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            for font in fonts_in(page.Resources, seen):
                if font.Subtype == "/Type3":
                    continue  # glyphs are content streams: nothing to embed
                described = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
                descriptor = described.FontDescriptor
                assert any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ), f"{font.get('/BaseFont')} is not embedded"
                names.append(str(font.BaseFont))
    assert names
    return names


def type3_fonts(pdf: pikepdf.Pdf) -> list[Any]:
    return [
        font
        for page in pdf.pages
        for font in page.Resources.get("/Font", {}).values()
        if font.Subtype == "/Type3"
    ]


def test_every_font_is_embedded(demo_pdf: bytes, world_pdf: bytes) -> None:
    assert_every_font_embedded(demo_pdf)
    names = assert_every_font_embedded(world_pdf)
    assert any("WenQuanYi" in name for name in names)
    with open_pdf(world_pdf) as pdf:
        assert type3_fonts(pdf), "colour emoji are a Type3 font of bitmap glyphs"


def test_no_image_is_interpolated(world_pdf: bytes) -> None:
    with open_pdf(world_pdf) as pdf:
        resources = [page.Resources for page in pdf.pages]
        resources += [font.Resources for font in type3_fonts(pdf) if "/Resources" in font]
        images = []
        while resources:  # through the forms that draw them
            for xobject in resources.pop().get("/XObject", {}).values():
                if xobject.Subtype == "/Image":
                    images.append(xobject)
                elif "/Resources" in xobject:
                    resources.append(xobject.Resources)
        assert images, "colour emoji are drawn as images"
        assert all(not image.get("/Interpolate", False) for image in images)


@pytest.mark.parametrize("which", ["invoice", "quote"])
def test_info_and_xmp_agree(which: str, demo_pdf: bytes, quote_pdf: bytes) -> None:
    pdf_bytes = demo_pdf if which == "invoice" else quote_pdf
    with open_pdf(pdf_bytes) as pdf:
        info = pdf.docinfo
        meta = pdf.open_metadata()
        for info_key, xmp_key in INFO_TO_XMP.items():
            xmp_value = meta[xmp_key]
            if isinstance(xmp_value, list):
                xmp_value = "; ".join(xmp_value)
            assert str(info[info_key]) == str(xmp_value), info_key
        assert str(info["/CreationDate"])[2:16] == meta["xmp:CreateDate"][:19].translate(
            {ord(c): None for c in "-T:"}
        )
        assert "F-2026-00042" in str(info["/Title"]) or which == "quote"
        assert str(info["/Author"]) == "Atelier Blanc SARL"
        everything = " ".join(
            [*(str(value) for value in info.values()), pdf.Root.Metadata.read_bytes().decode()]
        ).lower()
        for vendor in VENDOR_NAMES:
            assert vendor not in everything


# --- what the page shows ------------------------------------------------------------------


def test_first_page_renders_non_blank(tmp_path: Path, world_pdf: bytes) -> None:
    source = tmp_path / "invoice.pdf"
    source.write_bytes(world_pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
        histogram = grey.histogram()
        inked = sum(histogram[:128])
        assert inked > width * height * 0.02


def used_glyphs(pdf: pikepdf.Pdf) -> set[tuple[str, int]]:
    """(font name, CID) for every glyph shown on every page."""
    used: set[tuple[str, int]] = set()
    for page in pdf.pages:
        font = ""
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "Tf":
                font = str(operands[0])
            elif str(operator) in ("Tj", "TJ"):
                strings = operands[0] if str(operator) == "TJ" else [operands[0]]
                for item in strings:
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        used.update(
                            (font, int.from_bytes(raw[i : i + 2], "big"))
                            for i in range(0, len(raw), 2)
                        )
    return used


def tofu(pdf_bytes: bytes) -> list[str]:
    """Glyphs drawn as an empty box: glyph 0 (.notdef) of an embedded subset, or a
    glyph id the subset does not hold."""
    missing: list[str] = []
    with open_pdf(pdf_bytes) as pdf:
        fonts = {str(name): font for name, font in pdf.pages[0].Resources.Font.items()}
        for font_name, cid in used_glyphs(pdf):
            font = fonts[font_name]
            if font.Subtype == "/Type3":
                continue  # bitmap glyphs (colour emoji): drawn, never an empty box
            descendant = font.DescendantFonts[0]
            assert descendant.get("/CIDToGIDMap", pikepdf.Name.Identity) == pikepdf.Name.Identity
            embedded = TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()))
            if not 0 < cid < len(embedded.getGlyphOrder()):
                missing.append(f"glyph {cid} in {font.BaseFont}")
    return missing


def test_a_character_no_font_has_prints_as_a_replacement() -> None:
    # No installed font has Linear B or Egyptian hieroglyphs: PDF/A forbids an empty
    # box, so the page shows U+FFFD; the embedded XML keeps the text.
    document = demo_invoice(1)
    document.lines[0].name = "Linear B 𐀀 and 𓀀"
    pdf = render_pdf(document)
    assert tofu(pdf) == []
    assert "Linear B \ufffd and \ufffd" in pdftotext(pdf)
    assert "Linear B 𐀀 and 𓀀" in facturx.get_xml_from_pdf(pdf, check_xsd=False)[1].decode()
    with open_pdf(pdf) as opened:  # the detector sees glyph 0 when one is drawn
        page = opened.pages[0]
        name = next(name for name, font in page.Resources.Font.items() if font.Subtype == "/Type0")
        page.contents_add(opened.make_stream(f"BT {name} 9 Tf <0000> Tj ET".encode()))
        drawn = io.BytesIO()
        opened.save(drawn)
    assert any(item.startswith("glyph 0 in") for item in tofu(drawn.getvalue()))


def test_every_script_is_drawn_with_real_glyphs(world_pdf: bytes) -> None:
    assert tofu(world_pdf) == []
    text = pdftotext(world_pdf)
    for sample in SCRIPTS.values():
        assert sample.split(" ")[0].rstrip(":") in text
    assert "系统维护服务" in text
    assert "🧾" in text


def test_long_unbroken_text_stays_on_the_page() -> None:
    document = demo_invoice(2)
    document.lines.append(
        Line(name="W" * 300, description="x" * 10_000, quantity=Decimal(1), net_price=Decimal(1))
    )
    pdf = render_pdf(document)
    boxes = pdftotext(pdf, "-bbox")
    right_edges = [float(part.split('"')[1]) for part in boxes.split() if part.startswith('xMax="')]
    with open_pdf(pdf) as opened:
        page_width = float(opened.pages[0].MediaBox[2])
        assert len(opened.pages) < 20
    assert right_edges and max(right_edges) < page_width - 20
    due = Formatter("fr", "EUR").money(compute_totals(document).amount_due)
    assert due.replace("\u202f", " ").replace("\xa0", " ") in pdftotext(pdf)


def test_pdf_and_html_show_the_same_totals(demo_pdf: bytes) -> None:
    document = demo_invoice(20)
    totals = compute_totals(document)
    money = Formatter("fr", "EUR").money
    html = render_html(document).replace("\u202f", " ").replace("\xa0", " ")
    text = pdftotext(demo_pdf).replace("\u202f", " ").replace("\xa0", " ")
    for amount in (
        totals.line_total,
        totals.tax_exclusive_total,
        totals.vat_total,
        totals.tax_inclusive_total,
        totals.amount_due,
        *(row.tax_amount for row in totals.vat_breakdown),
        *(line.net_amount for line in totals.lines),
    ):
        shown = money(amount).replace("\u202f", " ").replace("\xa0", " ")
        assert shown in html
        assert shown in text


def test_pdf_fetches_no_url(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), (255, 0, 0)).save(secret)
    theme = (
        f":root {{ --brand-primary: #123456; }} body {{ background: url('{secret.as_uri()}'); }}"
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30">'
        f'<image href="{secret.as_uri()}" width="40" height="40"/></svg>'
    ).encode()
    pdf = render_pdf(demo_invoice(1), theme_css=theme, logo=svg, logo_mime="image/svg+xml")
    with open_pdf(pdf) as opened:
        sizes = [
            (int(image.Width), int(image.Height))
            for page in opened.pages
            for image in page.get_images().values()
        ]
    assert (40, 40) not in sizes


def test_logo_is_embedded_from_bytes() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (10, 120, 200)).save(buffer, format="PNG")
    pdf = render_pdf(demo_invoice(1), logo=buffer.getvalue(), logo_mime="image/png")
    with open_pdf(pdf) as opened:
        sizes = [
            (int(xobject.Width), int(xobject.Height))
            for xobject in opened.pages[0].Resources.get("/XObject", {}).values()
            if xobject.Subtype == "/Image"
        ]
    assert (120, 40) in sizes
    ignored = render_pdf(demo_invoice(1), logo=b"<svg/>", logo_mime="text/html")
    with open_pdf(ignored) as opened:
        assert not list(opened.pages[0].get_images())


def test_english_pdf() -> None:
    text = pdftotext(render_pdf(demo_invoice(2), locale="en"))
    assert "Invoice" in text
    assert "Amount due" in text
    assert "€" in text
    assert "Facture" not in text


def test_totals_are_never_split_across_pages(world_pdf: bytes) -> None:
    # With these lines the summary falls on a page boundary: it must move whole.
    with open_pdf(world_pdf) as pdf:
        page_count = len(pdf.pages)
    assert page_count > 1
    pages = [pdftotext(world_pdf, "-f", str(n), "-l", str(n)) for n in range(1, page_count + 1)]
    (page,) = [text for text in pages if "Net à payer" in text]
    for label in ("Total HT", "Total TVA", "Total TTC", "Détail de la TVA".upper()):
        assert label in page


def test_an_empty_draft_still_renders() -> None:
    for kind in DocumentKind:
        pdf = render_pdf(Document(kind=kind, lines=[Line()]))
        assert pdf.startswith(b"%PDF-")
        assert ("Brouillon" if kind is not DocumentKind.QUOTE else "Devis") in pdftotext(pdf)
