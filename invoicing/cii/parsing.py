"""The input of the CII reader: parsed without entities, DTDs or network, and its
errors named after the element (as a path below CrossIndustryInvoice)."""

from __future__ import annotations

from lxml import etree
from lxml.etree import _Element

from invoicing.cii.names import RSM


class CiiReadError(ValueError):
    """The input is not a CII invoice this reader can read; the message names
    the element (as a path below CrossIndustryInvoice) and the problem."""

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _local(element: _Element) -> str:
    return etree.QName(element).localname


def element_path(element: _Element) -> str:
    """'SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem[2]/...'
    (local names below the root, with a position where a name repeats)."""
    parts: list[str] = []
    node: _Element | None = element
    while node is not None and node.getparent() is not None:
        parent = node.getparent()
        assert parent is not None
        name = _local(node)
        same = [child for child in parent if child.tag == node.tag]
        parts.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/".join(reversed(parts)) or "CrossIndustryInvoice"


def parse_root(xml: bytes) -> _Element:
    if not isinstance(xml, bytes | bytearray):
        raise CiiReadError(f"expected the XML as bytes, got {type(xml).__name__}")
    if not xml.strip():
        raise CiiReadError("the input is empty, not an XML document")
    try:
        tree = etree.fromstring(bytes(xml), hardened_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise CiiReadError(f"not a well-formed XML document: {error}") from None
    doctype: str = getattr(tree.docinfo, "doctype", "")  # missing from lxml-stubs
    if doctype or tree.docinfo.internalDTD is not None:
        raise CiiReadError("a DOCTYPE is not allowed in a CII invoice")
    root = tree.getroot()
    if root.tag != f"{{{RSM}}}CrossIndustryInvoice":
        raise CiiReadError(
            f"not a CII invoice: the root element is {root.tag!r}, expected "
            f"CrossIndustryInvoice in the namespace {RSM}"
        )
    return root
