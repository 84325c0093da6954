from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from themes.logo import LogoError, validate_logo
from themes.svg import ELEMENTS, SVG_NS, XLINK_NS, SvgRefused, sanitize_svg

OPEN = f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" viewBox="0 0 100 40">'
SHAPE = '<rect width="100" height="40" fill="#e30613"/>'


def svg(body: str, open_tag: str = OPEN) -> bytes:
    return f"{open_tag}{body}</svg>".encode()


def png_data_url(fmt: str = "PNG", declared: str = "image/png") -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#123456").save(buffer, fmt)
    return f"data:{declared};base64," + base64.b64encode(buffer.getvalue()).decode()


def assert_safe(content: bytes) -> None:
    """What a sanitized logo may contain, checked on the output alone."""
    text = content.decode()
    assert "<!DOCTYPE" not in text and "<!ENTITY" not in text
    assert not re.search(r"javascript|vbscript|<script|foreignObject|@import", text, re.I)
    root = etree.fromstring(content)
    assert root.tag == f"{{{SVG_NS}}}svg"
    for element in root.iter():
        assert isinstance(element.tag, str)
        qname = etree.QName(element)
        assert qname.namespace == SVG_NS and qname.localname in ELEMENTS, qname
        for key, raw in element.attrib.items():
            value = str(raw)
            name = etree.QName(key).localname
            assert not name.lower().startswith("on"), key
            if name == "href":
                assert value.startswith("#") or re.match(
                    r"data:image/(png|jpeg|webp);base64,", value
                ), value
        styles = [element.get("style") or ""]
        if qname.localname == "style":
            styles.append(element.text or "")
        values = [*map(str, element.attrib.values()), *styles]
        for value in values:
            for target in re.findall(r"url\(\s*([^)]*)\)", value, re.I):
                assert target.strip("'\" ").startswith("#"), value


def sanitized(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    result = sanitize_svg(data)
    assert_safe(result.content)
    return result.content, result.removed


NASTY = {
    "script element": svg(f"<script>alert(document.cookie)</script>{SHAPE}"),
    "script with CDATA": svg(f"<script><![CDATA[alert(1)]]></script>{SHAPE}"),
    "onload": svg(SHAPE, OPEN.replace("<svg ", '<svg onload="alert(1)" ')),
    "event on shape": svg('<rect width="9" height="9" onclick="alert(1)" OnMouseOver="x()"/>'),
    "javascript href on a": svg(f'<a xlink:href="javascript:alert(1)">{SHAPE}</a>'),
    "javascript href, spaced": svg(f'<a href=" JaVaScRiPt:alert(1)">{SHAPE}</a>'),
    "use to another file": svg(f'<use href="https://evil.example/s.svg#x"/>{SHAPE}'),
    "external image": svg(f'<image href="http://evil.example/t.png" width="9" height="9"/>{SHAPE}'),
    "svg in data url": svg(
        f'<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" width="1" height="1"/>{SHAPE}'
    ),
    "html in data url": svg(f'<image href="data:text/html,&lt;script&gt;" width="1"/>{SHAPE}'),
    "foreignObject": svg(
        '<foreignObject width="9" height="9"><div xmlns="http://www.w3.org/1999/xhtml">'
        '<iframe src="https://evil.example"/></div></foreignObject>' + SHAPE
    ),
    "animate into href": svg(
        f'<a><animate attributeName="href" to="javascript:alert(1)"/>{SHAPE}</a>'
        '<set attributeName="onload" to="alert(1)"/>'
    ),
    "css url in style element": svg(
        "<style>.a{fill:url(http://evil.example/p.svg#x)} @import url(//evil.example/x.css);"
        "@font-face{font-family:x;src:url(https://evil.example/f.woff)}</style>"
        '<rect class="a" width="9" height="9"/>'
    ),
    "css url in style attribute": svg(
        '<rect width="9" height="9" style="fill:url(\'https://evil.example/x\');stroke:red"/>'
    ),
    "behaviour and expressions": svg(
        '<rect width="9" height="9" style="behavior:url(x.htc);width:expression(alert(1))"/>'
    ),
    "presentation attribute url": svg('<rect width="9" height="9" fill="url(http://x/y#z)"/>'),
    "image-set in css": svg(
        '<style>rect{fill:image-set("https://evil.example/a.png" 1x)}</style>' + SHAPE
    ),
    "iframe and embed": svg(f"<iframe/><embed/><object/>{SHAPE}"),
    "xml-stylesheet PI": b'<?xml-stylesheet href="https://evil.example/x.css"?>' + svg(SHAPE),
    "other namespace": svg(
        f'<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>{SHAPE}'
    ),
    "xml:base": svg(f'<g xml:base="https://evil.example/">{SHAPE}</g>'),
    "feImage": svg(f'<filter id="f"><feImage href="https://evil.example/x.png"/></filter>{SHAPE}'),
}


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_svgs_come_out_safe_and_still_draw(name: str) -> None:
    content, removed = sanitized(NASTY[name])
    assert removed, name
    root = etree.fromstring(content)
    assert root.find(f".//{{{SVG_NS}}}rect") is not None


def test_what_was_removed_is_reported() -> None:
    _, removed = sanitized(NASTY["onload"])
    assert "event attribute onload on <svg>" in removed
    _, removed = sanitized(NASTY["script element"])
    assert "element <script>" in removed
    _, removed = sanitized(NASTY["javascript href on a"])
    assert "a javascript: URL in href on <g>" in removed
    _, removed = sanitized(NASTY["css url in style element"])
    assert "CSS at-rule @import" in removed
    assert "url() to an external resource in CSS property fill in <style>" in removed


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><text>&lol3;</text></svg>"""

USE_BOMB = svg(
    '<defs><path id="a0" d="M0 0h1v1z"/>'
    + "".join(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>" for i in range(1, 7))
    + '</defs><use href="#a6"/>'
)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS, "must not declare entities"),
        (
            b'<!DOCTYPE svg SYSTEM "x.dtd" [<!ATTLIST svg onload CDATA "alert(1)">]>' + svg(SHAPE),
            "must not declare entities",
        ),
        (svg(f"&ext;{SHAPE}"), "not well-formed XML"),
        (b"<svg><rect/></svg>", "root element"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>', "root element"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect>", "not well-formed"),
        (svg(SHAPE).decode().encode("utf-16"), "UTF-8"),
        (svg(f"<style>.a{{fi\\6c l:red}}</style>{SHAPE}"), "escapes"),
        (svg(f"<style>.a{{fill:red</style>{SHAPE}"), "braces"),
        (svg(f"<style>.a{{.b{{fill:red}}}}</style>{SHAPE}"), "braces"),
        (svg(f"<style>/* open{SHAPE}</style>"), "unterminated comment"),
        (USE_BOMB, "expands to more than"),
        (svg('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'), "cycle"),
        (svg("<script>alert(1)</script><desc>only words</desc>"), "nothing left to draw"),
        (svg(SHAPE, f'<svg xmlns="{SVG_NS}">'), "needs a viewBox"),
        (svg(SHAPE, f'<svg xmlns="{SVG_NS}" width="1e9" height="10">'), "implausible size"),
    ],
)
def test_what_cannot_be_made_safe_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(SvgRefused, match=reason):
        sanitize_svg(data)


def test_an_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    trap = tmp_path / "trap.dtd"
    trap.write_text("this is not a DTD: loading it would fail the parse <!ELEMENT")
    doc = f'<!DOCTYPE svg SYSTEM "{trap.as_uri()}">'.encode() + svg(SHAPE)
    _, removed = sanitized(doc)
    assert "the DOCTYPE (never loaded)" in removed
    public = (
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + svg(SHAPE)
    )
    sanitized(public)


def test_a_typical_exported_logo_keeps_what_draws_it() -> None:
    logo = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Generator: a design tool -->
<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     version="1.1" width="240px" height="80px" viewBox="0 0 120 40" inkscape:version="1.3">
  <defs>
    <style>.cls-1{{fill:#e30613;}} .cls-2 {{ fill: url(#grad); stroke-width: 2 }}</style>
    <linearGradient id="grad" x1="0" x2="1"><stop offset="0" stop-color="#fff"/>
      <stop offset="1" style="stop-color:#000"/></linearGradient>
    <path id="mark" d="M0 0h10v10H0z"/>
  </defs>
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <g transform="translate(2, 2) scale(1.5)">
    <use xlink:href="#mark" class="cls-1"/>
    <rect class="cls-2" x="20" width="30" height="10" rx="2"/>
    <text x="60" y="9" font-family="'Helvetica Neue', Arial" font-size="9">EDT <tspan
      font-weight="bold">Compta</tspan> &amp; co</text>
    <image x="100" width="10" height="10" href="{png_data_url()}"/>
  </g>
</svg>""".encode()
    result = sanitize_svg(logo)
    assert_safe(result.content)
    assert (result.width, result.height) == (240, 80)
    root = etree.fromstring(result.content)
    names = {etree.QName(e).localname for e in root.iter()}
    assert {"style", "linearGradient", "stop", "use", "rect", "text", "tspan", "image"} <= names
    style = root.find(f".//{{{SVG_NS}}}style")
    assert style is not None
    assert style.text == ".cls-1{fill:#e30613}\n.cls-2{fill:url(#grad);stroke-width:2}"
    text = root.find(f".//{{{SVG_NS}}}text")
    assert text is not None and "".join(map(str, text.itertext())) == "EDT Compta & co"
    assert root.find(f".//{{{SVG_NS}}}use").get(f"{{{XLINK_NS}}}href") == "#mark"  # type: ignore[union-attr]
    assert "element metadata" not in result.removed  # metadata is an SVG element...
    assert "element <metadata>" in result.removed  # ...outside the allowlist
    assert "attribute version from another namespace on <svg>" in result.removed


def test_embedded_images_must_be_what_they_claim() -> None:
    jpeg_as_png = png_data_url("JPEG", "image/png")
    _, removed = sanitized(svg(f'<image href="{jpeg_as_png}" width="9" height="9"/>{SHAPE}'))
    assert "an embedded image whose type does not match its content in href on <image>" in removed
    broken = "data:image/png;base64,iVBORw0KGgo="
    _, removed = sanitized(svg(f'<image href="{broken}" width="9" height="9"/>{SHAPE}'))
    assert "a damaged embedded image in href on <image>" in removed


@pytest.mark.parametrize(
    ("open_tag", "size"),
    [
        (f'<svg xmlns="{SVG_NS}" width="300" height="100">', (300, 100)),
        (f'<svg xmlns="{SVG_NS}" viewBox="0 0 30.2 10">', (31, 10)),
        (f'<svg xmlns="{SVG_NS}" width="300" viewBox="0,0,30,10">', (300, 100)),
        (f'<svg xmlns="{SVG_NS}" height="50px" viewBox="0 0 30 10">', (150, 50)),
        (f'<svg xmlns="{SVG_NS}" width="80mm" height="20mm" viewBox="0 0 80 20">', (80, 20)),
    ],
)
def test_dimensions(open_tag: str, size: tuple[int, int]) -> None:
    result = sanitize_svg(svg(SHAPE, open_tag))
    assert (result.width, result.height) == size


def test_validate_logo_sanitizes_svg_and_names_the_field() -> None:
    logo = validate_logo(NASTY["onload"], "image/svg+xml")
    assert logo.media_type == "image/svg+xml" and b"onload" not in logo.content
    assert logo.ref().sha256 == logo.sha256
    assert logo.file_name.endswith(".svg")
    with pytest.raises(LogoError) as caught:
        validate_logo(BILLION_LAUGHS)
    assert caught.value.field == "logo"
    assert caught.value.message("en") == ("The SVG must not declare entities or an internal DTD.")
    assert caught.value.message("fr") == (
        "Ce SVG ne doit déclarer ni entité ni DTD interne : retirez-les."
    )
    with pytest.raises(LogoError, match="sent as PNG but its content is SVG"):
        validate_logo(svg(SHAPE), "image/png")


# Random documents assembled from dangerous and harmless parts: whatever comes
# out is safe, or the document is refused.
ATTRIBUTES = st.sampled_from(
    [
        'fill="red"',
        'fill="url(#g)"',
        'fill="url(https://evil.example/#g)"',
        'onload="alert(1)"',
        'ONCLICK="alert(1)"',
        'href="#g"',
        'href="javascript:alert(1)"',
        'xlink:href="https://evil.example/x.svg#a"',
        f'href="{png_data_url()}"',
        'href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"',
        'style="fill:red;stroke:url(#g)"',
        "style=\"fill:url('//evil.example/a')\"",
        'style="background:url(x.png)"',
        'id="g"',
        'transform="rotate(45)"',
        'xml:base="https://evil.example/"',
        'requiredExtensions="x"',
    ]
)
TAGS = st.sampled_from(
    [
        "g",
        "a",
        "use",
        "image",
        "rect",
        "path",
        "text",
        "script",
        "foreignObject",
        "animate",
        "set",
        "style",
        "linearGradient",
        "switch",
        "iframe",
    ]
)
TEXTS = st.sampled_from(["", "alert(1)", ".x{fill:url(http://e/x)}", "hello", "rect{fill:red}"])


def elements(depth: int) -> st.SearchStrategy[str]:
    children = st.lists(elements(depth - 1), max_size=3) if depth else st.just([])
    return st.builds(
        lambda tag, attributes, text, kids: (
            f"<{tag} {' '.join(attributes)}>{text}{''.join(kids)}</{tag}>"
        ),
        TAGS,
        st.lists(ATTRIBUTES, max_size=4, unique_by=lambda a: a.split("=")[0]),
        TEXTS,
        children,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(elements(2), min_size=1, max_size=4))
def test_random_hostile_documents_are_made_safe_or_refused(parts: list[str]) -> None:
    document = svg("".join(parts) + SHAPE)
    try:
        result = sanitize_svg(document)
    except SvgRefused:
        return
    assert_safe(result.content)
