"""The shared CEN CII corpus, and a business-term view of a CII tree to
compare two invoices term by term rather than byte by byte."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from lxml.etree import _Element

# The repository sits beside ../shared (as CI clones it too).
CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cen-cii"


def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.xml"))


def expected_results() -> dict[str, Any]:
    """expected.json: what the official CEN, FNFE and BR-FR checks report per file."""
    result: dict[str, Any] = json.loads((CORPUS_DIR / "expected.json").read_text("utf-8"))
    return result


RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"

_NUMERIC = re.compile(r"(Amount|Percent|Quantity)$")
_DATE_STRINGS = frozenset({"DateTimeString", "DateString"})
_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"

Value = str | Decimal | dt.date

# Repeated groups (lines, VAT breakdowns) are ordered by what they say, not by
# the amounts computed from it: one wrong amount must not reorder the rest.
_COMPUTED_AMOUNTS = frozenset(
    {"LineTotalAmount", "BasisAmount", "CalculatedAmount", "TaxBasisTotalAmount"}
    | {"TaxTotalAmount", "GrandTotalAmount", "DuePayableAmount"}
)


def _value(element: _Element) -> Value | None:
    text = " ".join((element.text or "").split())
    if not text:
        return None
    name = etree.QName(element).localname
    if _NUMERIC.search(name):
        return Decimal(text)
    if name in _DATE_STRINGS and element.get("format", "102") == "102":
        return dt.datetime.strptime(text, "%Y%m%d").date()
    return text


def _canonical(value: Value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def business_terms(xml: bytes) -> dict[str, Value]:
    """{path: value} for every value in a CII document.

    Paths are local names below CrossIndustryInvoice; repeated siblings get an
    index, assigned after sorting them by content (computed amounts aside), so
    sibling order does not matter. Numbers are Decimals (2500 == 2500.00), dates are dates, text has
    its whitespace collapsed, empty elements are absent. Attributes appear as
    'path/@name'."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    document_level = _pop_document_level_vat_terms(root)
    signatures: dict[_Element, str] = {}

    def signature(element: _Element) -> str:
        children = sorted(signature(child) for child in element if isinstance(child.tag, str))
        attributes = sorted(
            f"@{etree.QName(name).localname}={str(value).strip()}"
            for name, value in element.attrib.items()
            if name != _SCHEMA_LOCATION
        )
        value = _value(element)
        ordered_by_value = etree.QName(element).localname not in _COMPUTED_AMOUNTS
        text = _canonical(value) if value is not None and ordered_by_value else ""
        name = etree.QName(element).localname
        result = f"{name}({','.join(attributes)})[{text}]{{{';'.join(children)}}}"
        signatures[element] = result
        return result

    signature(root)
    terms: dict[str, Value] = {}

    def walk(element: _Element, path: str) -> None:
        value = _value(element)
        is_leaf = not any(isinstance(child.tag, str) for child in element)
        if value is not None and is_leaf:
            terms[path] = value
        if value is not None or not is_leaf:
            # A scheme or unit on an empty element qualifies nothing.
            for name, attribute in element.attrib.items():
                text = str(attribute).strip()
                if name != _SCHEMA_LOCATION and text:
                    terms[f"{path}/@{etree.QName(name).localname}"] = text
        groups: dict[str, list[_Element]] = {}
        for child in element:
            if isinstance(child.tag, str):
                groups.setdefault(etree.QName(child).localname, []).append(child)
        for name, members in groups.items():
            members.sort(key=lambda member: signatures[member])
            for index, member in enumerate(members, start=1):
                step = f"{name}[{index}]" if len(members) > 1 else name
                walk(member, f"{path}/{step}" if path else step)

    walk(root, "")
    return terms | document_level


def _pop_document_level_vat_terms(root: _Element) -> dict[str, Value]:
    """BT-7 and BT-8 are document-level terms that CII repeats in (some or
    all) VAT breakdowns: take them out of the breakdowns, as one term each."""
    found: dict[str, set[Value]] = {"BT-7": set(), "BT-8": set()}
    path = "/".join(
        (
            f"{{{RSM}}}SupplyChainTradeTransaction",
            f"{{{RAM}}}ApplicableHeaderTradeSettlement",
            f"{{{RAM}}}ApplicableTradeTax",
        )
    )
    for tax in root.iterfind(path):
        for name, term in (("TaxPointDate", "BT-7"), ("DueDateTypeCode", "BT-8")):
            for element in tax.findall(f"{{{RAM}}}{name}"):
                leaf = next((e for e in element.iter() if len(e) == 0), element)
                value = _value(leaf)
                if value is not None:
                    found[term].add(value)
                tax.remove(element)
    return {
        term: " | ".join(sorted(_canonical(value) for value in values))
        for term, values in found.items()
        if values
    }


def term_differences(
    original: dict[str, Value], other: dict[str, Value]
) -> dict[str, tuple[Value | None, Value | None]]:
    """{path: (original value, other value)} wherever the two differ."""
    return {
        key: (original.get(key), other.get(key))
        for key in sorted(original.keys() | other.keys())
        if original.get(key) != other.get(key)
    }
