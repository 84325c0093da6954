"""Values read from CII elements, and what the reader used: whatever it did not use
is a leftover, listed with its path. Models are built with errors named after
their element."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from lxml import etree
from lxml.etree import _Element
from pydantic import BaseModel, ValidationError

from invoicing.cii.names import QDT, RAM, UDT
from invoicing.cii.parsing import CiiReadError, element_path
from invoicing.model import Identifier, Leftover, VatCategory

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"

_M = TypeVar("_M", bound=BaseModel)


class ValueReader:
    """Reads values and remembers which elements and attributes it used."""

    def __init__(self) -> None:
        self.used: set[_Element] = set()
        self.used_attributes: set[tuple[_Element, str]] = set()

    # -- navigation --------------------------------------------------------
    @staticmethod
    def child(parent: _Element | None, name: str, ns: str = RAM) -> _Element | None:
        if parent is None:
            return None
        return parent.find(f"{{{ns}}}{name}")

    @staticmethod
    def children(parent: _Element | None, name: str, ns: str = RAM) -> list[_Element]:
        if parent is None:
            return []
        return parent.findall(f"{{{ns}}}{name}")

    @staticmethod
    def identifiers(parent: _Element | None) -> list[_Element]:
        """The ID and GlobalID children, in document order."""
        if parent is None:
            return []
        names = {f"{{{RAM}}}ID", f"{{{RAM}}}GlobalID"}
        return [child for child in parent if child.tag in names]

    def at(self, parent: _Element | None, *names: str) -> _Element | None:
        node = parent
        for name in names:
            node = self.child(node, name)
        return node

    # -- values ------------------------------------------------------------
    def raw(self, element: _Element | None) -> str | None:
        """The element's text as written (None when there is no element)."""
        if element is None:
            return None
        self.used.add(element)
        return element.text or ""

    def text(self, parent: _Element | None, *names: str) -> str | None:
        """Free text at `names`; an empty element reads as None."""
        return self.raw(self.at(parent, *names)) or None

    def code(self, parent: _Element | None, *names: str) -> str | None:
        value = self.raw(self.at(parent, *names))
        return (value.strip() or None) if value is not None else None

    def attribute(self, element: _Element | None, name: str) -> str | None:
        if element is None or element.get(name) is None:
            return None
        self.used_attributes.add((element, name))
        value = (element.get(name) or "").strip()
        return value or None

    def decimal(self, parent: _Element | None, *names: str) -> Decimal | None:
        element = self.at(parent, *names)
        value = self.raw(element)
        if value is None:
            return None
        assert element is not None
        return _parse_decimal(value, element)

    def indicator(self, parent: _Element) -> bool:
        holder = self.child(parent, "ChargeIndicator")
        value = self.raw(self.child(holder, "Indicator", UDT))
        value = value.strip() if value is not None else None
        if value is None:
            holder = holder if holder is not None else parent
            raise CiiReadError("missing charge indicator (true/false)", element_path(holder))
        if value not in {"true", "false", "1", "0"}:  # xs:boolean
            raise CiiReadError(f"{value!r} is not true or false", element_path(parent))
        return value in {"true", "1"}

    def date(self, parent: _Element | None, name: str) -> dt.date | None:
        """A date held as <name><udt:DateTimeString format="102"> (or
        udt:DateString, qdt:DateTimeString)."""
        holder = self.child(parent, name)
        if holder is None:
            return None
        stamp = next(
            (
                element
                for ns, local in (
                    (UDT, "DateTimeString"),
                    (UDT, "DateString"),
                    (QDT, "DateTimeString"),
                )
                if (element := self.child(holder, local, ns)) is not None
            ),
            None,
        )
        if stamp is None:
            raise CiiReadError("a date holder without a date string", element_path(holder))
        value = self.raw(stamp) or ""
        date_format = self.attribute(stamp, "format")
        return _parse_date(value, date_format, stamp)

    def identifier(self, element: _Element | None) -> Identifier | None:
        value = self.raw(element)
        if element is None or not value:
            return None
        return build(Identifier, element, value=value, scheme=self.attribute(element, "schemeID"))

    def forget(self, element: _Element | None) -> None:
        """Count `element` and what it holds as unread after all."""
        if element is None:
            return
        for node in element.iter():
            self.used.discard(node)
            for name in node.attrib:
                self.used_attributes.discard((node, name))

    def first_identifier(self, parent: _Element | None) -> Identifier | None:
        """The first ID or GlobalID with a value (where the model holds one)."""
        for holder in self.identifiers(parent):
            if (holder.text or "").strip():
                return self.identifier(holder)
        return None

    def leftovers(self, root: _Element) -> tuple[Leftover, ...]:
        """Every value in the tree this reader did not use, with its path."""
        found: list[Leftover] = []
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                if (element, name) in self.used_attributes:
                    continue
                if element is root and name == _XSI_SCHEMA_LOCATION:
                    continue
                path = f"{element_path(element)}/@{etree.QName(name).localname}"
                found.append(_leftover(path, str(value)))
            has_children = any(isinstance(child.tag, str) for child in element)
            if not has_children and (element.text or "").strip() and element not in self.used:
                found.append(_leftover(element_path(element), element.text or ""))
        return tuple(found)


def _leftover(path: str, value: str) -> Leftover:
    # A value the model refuses (a control character lxml let through) is
    # listed with that character replaced, rather than failing the import.
    try:
        return Leftover(path=path, value=value)
    except ValidationError:
        return Leftover(path=path, value=_CONTROL.sub("\ufffd", value))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _parse_decimal(value: str, element: _Element) -> Decimal:
    text = value.strip()
    if not _DECIMAL.match(text):
        raise CiiReadError(f"{value!r} is not a number", element_path(element))
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern excludes it
        raise CiiReadError(f"{value!r} is not a number", element_path(element)) from error


def _parse_date(value: str, date_format: str | None, element: _Element) -> dt.date:
    text = value.strip()
    if date_format not in (None, "102"):
        raise CiiReadError(
            f"date format {date_format!r} is not supported (only 102, YYYYMMDD)",
            element_path(element),
        )
    if not re.fullmatch(r"\d{8}", text):
        raise CiiReadError(f"{value!r} is not a date (YYYYMMDD)", element_path(element))
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as error:
        raise CiiReadError(f"{value!r} is not a date: {error}", element_path(element)) from error


def build(model: type[_M], element: _Element, **values: Any) -> _M:
    """`model(**values)`, a validation error named after `element`."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise CiiReadError(_problems(error), element_path(element)) from None


def assign(model: BaseModel, element: _Element, **values: Any) -> None:
    """Set fields of a built model, a validation error named after `element`."""
    try:
        for name, value in values.items():
            setattr(model, name, value)
    except ValidationError as error:
        raise CiiReadError(_problems(error), element_path(element)) from None


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )


def vat_category(value: str | None, element: _Element) -> VatCategory:
    try:
        return VatCategory(value or "")
    except ValueError:
        raise CiiReadError(
            f"{value!r} is not a VAT category code (S, Z, E, AE, K, G, O, L, M)",
            element_path(element),
        ) from None
