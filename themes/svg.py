"""SVG logos: parse with a hardened parser, rebuild from an allowlist.

The clean document is built anew from the allowed parts of the upload, never
by deleting from it: only elements and attributes named here can come out.
What goes (scripts, foreign objects, event attributes, links to anything but
`#fragment` or an embedded PNG/JPEG/WebP, CSS outside the allowlist) is
reported; what cannot be made safe (not XML, a DOCTYPE or entities, a root
other than SVG, CSS that does not parse, `<use>` chains that expand
exponentially) is refused.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from dataclasses import dataclass

from lxml import etree

from themes.raster import RasterError, read_raster
from themes.svg_css import (
    CssRefused,
    sanitize_style_attribute,
    sanitize_stylesheet,
    unsafe_value_reason,
)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

MAX_ELEMENTS = 20_000
# Elements once every <use> and href is expanded: a few nested <use> layers
# otherwise multiply into billions of shapes for whoever renders the logo.
MAX_EXPANDED = 50_000
MAX_DIMENSION = 100_000


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = _names(
    """
    svg g defs title desc symbol use path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop clipPath mask pattern image
    style marker filter feBlend feColorMatrix feComponentTransfer feFuncR feFuncG feFuncB
    feFuncA feComposite feFlood feGaussianBlur feMerge feMergeNode feMorphology feOffset
    feDropShadow
    """
)
UNWRAPPED = frozenset({"a", "switch"})  # become <g>: their content stays
TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath", "title", "desc"})
DRAWABLE = frozenset(
    {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "image", "use"}
)

ATTRIBUTES = _names(
    """
    id class style transform d x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height points
    pathLength viewBox preserveAspectRatio version baseProfile fill fill-opacity fill-rule
    stroke stroke-width stroke-opacity stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-dasharray stroke-dashoffset opacity color display visibility overflow clip-path
    clip-rule clipPathUnits mask maskUnits maskContentUnits gradientUnits gradientTransform
    spreadMethod offset stop-color stop-opacity patternUnits patternContentUnits
    patternTransform font-family font-size font-weight font-style font-variant font-stretch
    letter-spacing word-spacing text-anchor text-decoration dominant-baseline
    alignment-baseline baseline-shift dx dy rotate textLength lengthAdjust startOffset
    method spacing vector-effect shape-rendering text-rendering image-rendering paint-order
    isolation mix-blend-mode color-interpolation color-interpolation-filters filter
    filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3 k4 values
    type flood-color flood-opacity tableValues slope intercept amplitude exponent radius
    refX refY markerWidth markerHeight markerUnits orient marker-start marker-mid marker-end
    enable-background
    """
)

_LOCAL_FRAGMENT = re.compile(r"#[A-Za-z_][\w.:-]*")
_DATA_IMAGE = re.compile(r"data:(image/(?:png|jpeg|webp));base64,([A-Za-z0-9+/=\s]+)", re.DOTALL)
_XML_DECLARATION = re.compile(r"^\s*<\?xml\s[^>]*\?>")
# A DOCTYPE up to its internal subset ('[') or its end ('>'), skipping quoted ids.
_DOCTYPE = re.compile(r"""<!DOCTYPE(?:[^>\["']|"[^"]*"|'[^']*')*([\[>])""")
_LENGTH = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*(px)?\s*")


class SvgRefused(ValueError):
    """An SVG that cannot be made safe; the message says why (in English, after
    "the SVG"), `french` says it as a French sentence."""

    def __init__(self, reason: str, french: str) -> None:
        super().__init__(reason)
        self.french = french


_UTF8_FR = "Ce SVG doit être encodé en UTF-8 : enregistrez-le de nouveau en UTF-8."


@dataclass(frozen=True, slots=True)
class SanitizedSvg:
    content: bytes
    width: int
    height: int
    removed: tuple[str, ...]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def _decode(data: bytes) -> str:
    """The document as text without its XML declaration, so that the checks
    below and the parser read the very same characters (UTF-16 or an exotic
    declared encoding could otherwise hide a DOCTYPE from a byte scan)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SvgRefused("must be encoded in UTF-8", _UTF8_FR) from None
    if "\x00" in text:
        raise SvgRefused("must be encoded in UTF-8", _UTF8_FR)
    text = _XML_DECLARATION.sub("", text, count=1)
    doctype = _DOCTYPE.search(text)
    if doctype and doctype.group(1) == "[":
        raise SvgRefused(
            "must not declare entities or an internal DTD",
            "Ce SVG ne doit déclarer ni entité ni DTD interne : retirez-les.",
        )
    return text


def sanitize_svg(data: bytes) -> SanitizedSvg:
    text = _decode(data)
    try:
        source = etree.fromstring(text, _parser())
    except etree.XMLSyntaxError as error:
        raise SvgRefused(
            f"is not well-formed XML ({error.msg})",
            "Ce SVG n'est pas du XML bien formé : exportez-le de nouveau.",
        ) from None
    # An internal subset was refused above; entity references it could have
    # defined stay unresolved and are refused below.
    has_doctype = source.getroottree().docinfo.internalDTD is not None
    if source.tag != f"{{{SVG_NS}}}svg":
        raise SvgRefused(
            f'must have <svg xmlns="{SVG_NS}"> as its root element',
            f'Ce SVG doit avoir <svg xmlns="{SVG_NS}"> pour élément racine.',
        )
    elements = list(source.iter())
    if len(elements) > MAX_ELEMENTS:
        raise SvgRefused(
            f"has more than {MAX_ELEMENTS} elements",
            f"Ce SVG a plus de {MAX_ELEMENTS} éléments : simplifiez-le.",
        )
    if any(isinstance(e, etree._Entity) for e in elements):
        raise SvgRefused(
            "must not use entity references other than &amp; &lt; &gt; &quot; &apos;",
            "Ce SVG ne doit utiliser que les entités &amp; &lt; &gt; &quot; &apos;.",
        )

    removed: list[str] = []
    if has_doctype:
        removed.append("the DOCTYPE (never loaded)")
    if any(isinstance(node, etree._ProcessingInstruction) for node in _top_level(source)):
        removed.append("a processing instruction")
    root = etree.fromstring(f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"/>')
    try:
        _copy_attributes(source, root, "svg", removed)
        _copy_children(source, root, "svg", removed)
    except CssRefused as error:
        raise SvgRefused(
            str(error),
            "La feuille de style (<style>) de ce SVG n'est pas acceptée : "
            "simplifiez-la ou mettez les couleurs en attributs.",
        ) from None
    _check_expansion(root)
    if not any(etree.QName(e).localname in DRAWABLE for e in root.iter(f"{{{SVG_NS}}}*")):
        raise SvgRefused(
            "has nothing left to draw once its unsafe parts are removed",
            "Ce SVG n'a plus rien à dessiner une fois ses parties dangereuses retirées.",
        )
    width, height = _dimensions(root)
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return SanitizedSvg(content, width, height, tuple(dict.fromkeys(removed)))


def _copy_children(
    source: etree._Element, target: etree._Element, name: str, removed: list[str]
) -> None:
    if name in TEXT_ELEMENTS:
        target.text = source.text
    elif name == "style":
        if source.get("type", "text/css").strip() != "text/css":
            removed.append("a <style> element that is not CSS")
        else:
            result = sanitize_stylesheet(source.text or "")
            removed.extend(result.removed)
            target.text = result.css
            return
    for child in source:
        copied = _copy_element(child, target, removed)
        if copied is not None and name in TEXT_ELEMENTS:
            copied.tail = child.tail


def _copy_element(
    source: etree._Element, parent: etree._Element, removed: list[str]
) -> etree._Element | None:
    if not isinstance(source.tag, str):
        removed.append("a processing instruction")
        return None
    qname = etree.QName(source)
    name = qname.localname
    if qname.namespace != SVG_NS:
        removed.append(f"element {name} from another namespace")
        return None
    if name in UNWRAPPED:
        removed.append(f"link <{name}> (its content is kept)")
        name = "g"
    elif name not in ELEMENTS:
        removed.append(f"element <{name}>")
        return None
    target = etree.Element(f"{{{SVG_NS}}}{name}")
    kept_href = _copy_attributes(source, target, name, removed)
    if name in ("use", "image") and not kept_href:
        removed.append(f"element <{name}> without a safe reference")
        return None
    parent.append(target)
    _copy_children(source, target, name, removed)
    return target


def _copy_attributes(
    source: etree._Element, target: etree._Element, name: str, removed: list[str]
) -> bool:
    """Copy the allowed attributes; True when a safe href was kept."""
    kept_href = False
    for key, raw in source.attrib.items():
        value = raw if isinstance(raw, str) else raw.decode()
        qname = etree.QName(key)
        local, namespace = qname.localname, qname.namespace
        if local == "href" and namespace in (None, XLINK_NS):
            problem = _href_problem(name, value)
            if problem:
                removed.append(f"{problem} in href on <{name}>")
            else:
                target.set(key, value.strip())
                kept_href = True
        elif namespace == XML_NS and local == "space":
            target.set(key, value)
        elif namespace is None and local.lower().startswith("on"):
            removed.append(f"event attribute {local} on <{name}>")
        elif namespace is None and local == "style":
            result = sanitize_style_attribute(value, f"style on <{name}>")
            removed.extend(result.removed)
            if result.css:
                target.set("style", result.css)
        elif namespace is not None:
            removed.append(f"attribute {local} from another namespace on <{name}>")
        elif local in ATTRIBUTES:
            problem = unsafe_value_reason(local, value)
            if problem:
                removed.append(f"{problem} in attribute {local} on <{name}>")
            else:
                target.set(local, value)
        else:
            removed.append(f"attribute {local} on <{name}>")
    return kept_href


def _href_problem(element: str, value: str) -> str | None:
    value = value.strip()
    if _LOCAL_FRAGMENT.fullmatch(value):
        return None
    match = _DATA_IMAGE.fullmatch(value)
    if match and element == "image":
        try:
            embedded = base64.b64decode("".join(match.group(2).split()), validate=True)
            info = read_raster(embedded)
        except (binascii.Error, RasterError):
            return "a damaged embedded image"
        if info.media_type != match.group(1):
            return "an embedded image whose type does not match its content"
        return None
    scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme and scheme.group(1).lower() == "data":
        return "a data: URL other than a PNG, JPEG or WebP image"
    if scheme:
        return f"a {scheme.group(1).lower()}: URL"
    return "a reference outside the document"


def _top_level(root: etree._Element) -> list[etree._Element]:
    return [*root.itersiblings(preceding=True), *root.itersiblings()]


def _check_expansion(root: etree._Element) -> None:
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}

    def dependencies(element: etree._Element) -> list[etree._Element]:
        found = list(element)
        href = element.get("href") or element.get(f"{{{XLINK_NS}}}href")
        if href and href.startswith("#") and href[1:] in by_id:
            found.append(by_id[href[1:]])
        return found

    sizes: dict[etree._Element, int] = {}
    on_path: set[etree._Element] = set()
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, finished = stack.pop()
        if finished:
            on_path.discard(element)
            size = 1 + sum(sizes[d] for d in dependencies(element))
            if size > MAX_EXPANDED:
                raise SvgRefused(
                    f"expands to more than {MAX_EXPANDED} elements through <use> references",
                    f"Ce SVG dépasse {MAX_EXPANDED} éléments par ses références <use> : "
                    "simplifiez-le.",
                )
            sizes[element] = size
            continue
        if element in sizes:
            continue
        on_path.add(element)
        stack.append((element, True))
        for dependency in dependencies(element):
            if dependency in on_path:
                raise SvgRefused(
                    "has a reference cycle (<use> or href)",
                    "Ce SVG a un cycle de références (<use> ou href) : retirez-le.",
                )
            if dependency not in sizes:
                stack.append((dependency, False))


def _length(value: str | None) -> float | None:
    if value is None:
        return None
    match = _LENGTH.fullmatch(value)
    return float(value.strip().removesuffix("px")) if match else None


def _dimensions(root: etree._Element) -> tuple[int, int]:
    width, height = _length(root.get("width")), _length(root.get("height"))
    box: tuple[float, float] | None = None
    view_box = root.get("viewBox")
    if view_box:
        parts = view_box.replace(",", " ").split()
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            numbers = []
        if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
            box = (numbers[2], numbers[3])
    if width and height:
        size = (width, height)
    elif box and width:
        size = (width, width * box[1] / box[0])
    elif box and height:
        size = (height * box[0] / box[1], height)
    elif box:
        size = box
    else:
        raise SvgRefused(
            "needs a viewBox, or a width and a height in pixels",
            "Ce SVG a besoin d'un viewBox, ou d'une largeur et d'une hauteur en pixels.",
        )
    if not all(math.isfinite(v) and 0 < v <= MAX_DIMENSION for v in size):
        raise SvgRefused(
            f"has an implausible size (each side must be at most {MAX_DIMENSION})",
            f"Ce SVG a une taille invraisemblable : {MAX_DIMENSION} au plus de chaque côté.",
        )
    return max(1, math.ceil(size[0])), max(1, math.ceil(size[1]))
