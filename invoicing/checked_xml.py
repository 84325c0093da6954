"""The XML the official check reads: parsed once, safely, before any rule runs.

`official_check` takes bytes from anywhere (`blanche check FILE`, an import).
They are parsed here by lxml with no DTD, no entity resolution and no network
(Saxon's own parser resolves external entities: a DOCTYPE could make it read
local files); what cannot be read as an invoice's XML becomes one finding
with its line and column, never an exception. The tree serves the XSD; Saxon
parses `text`, the same document as a string.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

MAX_XML_BYTES = 32 * 1024 * 1024
"""An invoice's XML, embedded files included (1,000 lines make ~1.3 MB)."""


@dataclass(frozen=True, slots=True)
class CheckedXml:
    root: etree._Element
    text: str


class UnreadableXml(ValueError):
    """Bytes that are not one well-formed XML document the rules can read."""

    def __init__(self, rule_id: str, message: str, location: str = "") -> None:
        super().__init__(message)
        self.rule_id = rule_id
        self.message = message
        self.location = location


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _text(xml: bytes, tree: etree._ElementTree) -> str:
    """The document as a string for Saxon (which ignores a declared encoding
    in a string): the bytes themselves when they are UTF-8, else lxml's reading."""
    if (tree.docinfo.encoding or "").upper() in {"UTF-8", "UTF8"}:
        try:
            return xml.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass  # UTF-16 with a byte order mark and no declaration reads as "UTF-8"
    return str(etree.tostring(tree, encoding="unicode"))


def read_for_check(xml: bytes) -> CheckedXml:
    """`xml` parsed for the official check, or UnreadableXml saying why not."""
    if len(xml) > MAX_XML_BYTES:
        raise UnreadableXml(
            "XML-SIZE",
            f"The XML is {len(xml):,} bytes; at most {MAX_XML_BYTES:,} are checked.",
        )
    if not xml or xml.isspace():
        raise UnreadableXml("XML", "The XML is empty.", "line 1")
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise UnreadableXml(
            "XML", f"The XML is not well-formed: {error.msg}", f"line {line}, column {column}"
        ) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:  # any DOCTYPE, with or without a subset
        raise UnreadableXml(
            "XML-DOCTYPE",
            "The XML declares a DOCTYPE: an invoice has none, and its entities are not read.",
            "line 1",
        )
    return CheckedXml(root, _text(xml, tree))
