"""Cross Industry Invoice XML (Factur-X / EN 16931) -> Document, with lxml.

The mirror of `invoicing.cii.writer`: every element the writer emits is read
back into the model field it came from, so that writing what was read gives
the same XML. Amounts the norm computes (line net amounts, totals, the VAT
breakdown) are not part of the model: they are returned as `StatedTotals`, as
the XML states them, so that a caller can compare them with
`compute_totals(document)`.

Anything the reader does not map is listed in `ReadResult.unread` (element
paths) and kept with its value in `Imported.leftovers`, never dropped silently
and never an error: the reader accepts what the official rules accept (BT-23
is free text, schemes and codes are whatever the official code lists allow).
Malformed input raises `CiiReadError`, which names the element and the problem.

`ReadResult.imported_document` is the document as an import keeps it: with the
amounts its file states (`Document.imported`), which every output repeats while
what the totals are computed from is unedited (see docs/decisions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml.etree import _Element

from invoicing.cii.names import RSM
from invoicing.cii.parsing import CiiReadError, element_path, parse_root
from invoicing.cii.read.agreement import read_agreement, read_delivery
from invoicing.cii.read.lines import read_line
from invoicing.cii.read.settlement import read_settlement
from invoicing.cii.read.values import ValueReader, build
from invoicing.model import (
    CREDIT_NOTE_TYPE_CODES,
    DEFAULT_TYPE_CODES,
    DEPOSIT_TYPE_CODES,
    Document,
    DocumentKind,
    Imported,
    Leftover,
    Line,
    Note,
)
from invoicing.profiles import Profile
from invoicing.stated_totals import StatedTotals
from invoicing.totals import totals_basis


@dataclass(frozen=True, slots=True)
class ReadResult:
    document: Document
    profile: Profile  # from BT-24
    guideline: str  # BT-24 as written
    stated_totals: StatedTotals
    leftovers: tuple[Leftover, ...]  # the values the model cannot hold, with their paths

    @property
    def unread(self) -> tuple[str, ...]:
        """Paths of the elements and attributes with a value the model cannot hold."""
        return tuple(leftover.path for leftover in self.leftovers)

    @property
    def imported_document(self) -> Document:
        """`document` as an import keeps it: with `imported` (the stated amounts,
        the leftovers), so that, unedited, it is written back as the file stated it."""
        imported = Imported(
            guideline=self.guideline,
            stated=self.stated_totals.as_model(),
            basis=totals_basis(self.document),
            leftovers=list(self.leftovers),
        )
        return self.document.model_copy(update={"imported": imported})


def _kind(type_code: str) -> tuple[DocumentKind, str | None]:
    if type_code in CREDIT_NOTE_TYPE_CODES:
        kind = DocumentKind.CREDIT_NOTE
    elif type_code in DEPOSIT_TYPE_CODES:
        kind = DocumentKind.DEPOSIT_INVOICE
    else:
        kind = DocumentKind.INVOICE
    return kind, None if type_code == DEFAULT_TYPE_CODES[kind] else type_code


def _required(reader: ValueReader, parent: _Element, name: str, ns: str = RSM) -> _Element:
    element = reader.child(parent, name, ns)
    if element is None:
        raise CiiReadError(f"missing {name}", element_path(parent) + "/" + name)
    return element


def read_cii(xml: bytes) -> ReadResult:
    """The document, profile and stated totals of a CII invoice."""
    root = parse_root(xml)
    reader = ValueReader()
    context = _required(reader, root, "ExchangedDocumentContext")
    header = _required(reader, root, "ExchangedDocument")
    transaction = _required(reader, root, "SupplyChainTradeTransaction")

    guideline = reader.code(context, "GuidelineSpecifiedDocumentContextParameter", "ID")
    if guideline is None:
        raise CiiReadError(
            "missing the specification identifier (BT-24)",
            "ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID",
        )
    type_code = reader.code(header, "TypeCode") or "380"
    kind, explicit_type_code = _kind(type_code)
    fields: dict[str, Any] = {
        "kind": kind,
        "type_code": explicit_type_code,
        # BT-23 is free text (e.g. "Beispielgeschäftsprozess"); only the French
        # rules restrict it, to their billing modes, and only for French invoices.
        "business_process": reader.text(
            context, "BusinessProcessSpecifiedDocumentContextParameter", "ID"
        ),
        "number": reader.text(header, "ID"),
        "issue_date": reader.date(header, "IssueDateTime"),
        "notes": [
            build(
                Note,
                note,
                text=reader.raw(reader.child(note, "Content")) or "",
                subject=reader.code(note, "SubjectCode"),
            )
            for note in reader.children(header, "IncludedNote")
        ],
    }

    lines: list[Line] = []
    line_nets: list[Decimal | None] = []
    for position, item in enumerate(
        reader.children(transaction, "IncludedSupplyChainTradeLineItem"), start=1
    ):
        line, stated_net = read_line(reader, item, position)
        lines.append(line)
        line_nets.append(stated_net)

    fields |= read_agreement(reader, reader.child(transaction, "ApplicableHeaderTradeAgreement"))
    fields |= read_delivery(reader, reader.child(transaction, "ApplicableHeaderTradeDelivery"))

    settled, stated = read_settlement(
        reader, reader.child(transaction, "ApplicableHeaderTradeSettlement"), lines, line_nets
    )
    fields |= settled
    fields["lines"] = lines
    document = build(Document, root, **fields)
    return ReadResult(
        document=document,
        profile=Profile.from_guideline(guideline),
        guideline=guideline,
        stated_totals=stated,
        leftovers=reader.leftovers(root),
    )
