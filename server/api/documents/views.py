"""How documents are shown by the API: the row's facts, totals and content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from pydantic import Field
from pydantic_core import to_json

from invoicing.amount_warnings import import_report
from invoicing.model import Document, DocumentKind, VatCategory
from invoicing.scope import Scope, scope_of
from invoicing.totals import compute_totals
from server.api.common import Output, Page
from server.db.documents import DocumentRow
from server.documents.content import shown_content, totals_record, written_document
from server.documents.payments import paris_today
from server.documents.quotes import AWAITING_ANSWER, shown_status
from server.documents.settlement import Settlement, money
from server.documents.status import INVOICE_KINDS, Status


class VatLine(Output):
    category: VatCategory
    rate: Decimal | None
    taxable_amount: Decimal
    tax_amount: Decimal


class TotalsOut(Output):
    line_total: Decimal
    allowance_total: Decimal
    charge_total: Decimal
    tax_exclusive_total: Decimal
    vat_total: Decimal
    tax_inclusive_total: Decimal
    prepaid_amount: Decimal
    amount_due: Decimal
    vat_breakdown: list[VatLine]


class CreditedLine(Output):
    index: int = Field(description="0-based position in the invoice's lines")
    quantity: Decimal


class ConvertedInto(Output):
    id: int
    number: str | None = Field(None, description="Once the invoice is issued")


class DocumentSummary(Output):
    id: int
    company_id: int
    contact_id: int | None
    user_id: int | None
    source_document_id: int | None
    kind: str
    status: str
    number: str | None
    issue_date: dt.date | None
    buyer_name: str
    scope: Scope | None = Field(
        None,
        description="The French reform's scope, from the parties: e_invoicing (French "
        "businesses), b2g (public buyer) or e_reporting (private person, buyer abroad). "
        "On a single document (lists, which do not read the content, leave it out)",
    )
    paid_on: dt.date | None
    payment_means_code: str | None
    payment_reference: str | None
    totals: TotalsOut
    paid_amount: Decimal | None = Field(None, description="Invoices: sum of the payments")
    credited_amount: Decimal | None = Field(
        None, description="Invoices: sum of the amounts due of its issued credit notes"
    )
    balance: Decimal | None = Field(
        None, description="Invoices: amount due - payments - credits (never below 0)"
    )
    refund_due: Decimal | None = Field(
        None, description="Invoices: paid beyond what credit notes left due (owed back)"
    )
    credited_lines: list[CreditedLine] | None = Field(
        None, description="Credit notes made from an invoice: its lines and quantities credited"
    )
    converted_into: ConvertedInto | None = Field(
        None, description="Quotes: the invoice it was converted into"
    )
    settled_by_id: int | None = Field(
        None, description="Deposit invoices: the final invoice that deducts it"
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    finalized_at: dt.datetime | None


class AmountWarningOut(Output):
    term: str = Field(description="The business term: BT-131, BT-106, BT-117...")
    line: int | None = Field(description="1-based line position, for BT-131")
    line_id: str | None = Field(description="BT-126 as the file states it")
    vat: str | None = Field(description="VAT category and rate, for BT-116 and BT-117")
    stated: Decimal
    computed: Decimal = Field(description="As EN 16931 computes it")
    cause: str = Field(
        description="gross_price, price_precision, rounding, base_quantity, sign, "
        "charge_sign, line_amounts, stated_amounts or unknown"
    )
    message_en: str
    message_fr: str


class ImportReportOut(Output):
    faithful: bool = Field(
        description="The document states the amounts its file stated (unedited import); "
        "false once what they are computed from was edited: EN 16931 computes them"
    )
    warnings: list[AmountWarningOut]
    leftovers: int = Field(description="Values of the file kept in document.imported.leftovers")
    message_en: str
    message_fr: str


class DocumentOut(DocumentSummary):
    document: Document
    import_report: ImportReportOut | None = Field(
        None, description="For an imported document: its stated amounts against EN 16931's"
    )


class DocumentList(Page):
    items: list[DocumentSummary]


_COMPUTED = frozenset(
    {"totals", "paid_amount", "credited_amount", "balance", "refund_due", "credited_lines"}
    | {"converted_into", "status", "scope"}
)


_SUMMARY_FIELDS = tuple(DocumentSummary.model_fields)
_SUMMARY_COLUMNS = tuple(name for name in _SUMMARY_FIELDS if name not in _COMPUTED)
# Every `documents` column a summary is written from (its content aside).
SUMMARY_SOURCE = (
    *_SUMMARY_COLUMNS,
    *("status", "totals", "paid_total", "credited_total", "credit_scope"),
    *("converted_into_id", "converted_into_number"),
)


class _RowColumns(Mapping[str, Any]):
    """A document row's column values, by name, as `summary_fields` reads them."""

    __slots__ = ("_row",)

    def __init__(self, row: DocumentRow) -> None:
        self._row = row

    def __getitem__(self, name: str) -> Any:
        return getattr(self._row, name)

    def __iter__(self) -> Iterator[str]:
        return iter(SUMMARY_SOURCE)

    def __len__(self) -> int:
        return len(SUMMARY_SOURCE)


def needs_content(kind: str, status: str, totals: dict[str, Any] | None) -> bool:
    """Whether a summary of a row of this kind, status and stored totals reads its
    content: rows stored without totals (before migration 0007), and quotes awaiting an
    answer (their validity date). The status any other row shows is the one it stores."""
    return totals is None or (kind == DocumentKind.QUOTE.value and status in AWAITING_ANSWER)


def stored_totals(row: DocumentRow) -> dict[str, Any]:
    """The totals stored with the content, or computed from it (rows stored
    before migration 0007)."""
    if row.totals is not None:
        return row.totals
    return totals_record(compute_totals(shown_content(row)))


def summary_fields(
    values: Mapping[str, Any],
    status: str,
    totals: dict[str, Any],
    credit_scope: dict[str, Any] | None,
) -> dict[str, Any]:
    """Every field of `DocumentSummary`, in its order, as data ready for
    `pydantic_core.to_json` (stored totals are decimal text already), from the row's
    column values (`SUMMARY_SOURCE`; its JSON columns given apart, read), the status
    it shows and its totals; `scope` is left out (None): a list does not read the
    content."""
    data: dict[str, Any] = dict.fromkeys(_SUMMARY_FIELDS)
    for name in _SUMMARY_COLUMNS:
        data[name] = values[name]
    data["status"] = status
    data["totals"] = totals
    if values["kind"] in INVOICE_KINDS and values["status"] != Status.DRAFT:
        settlement = Settlement(
            Decimal(totals["amount_due"]),
            money(values["paid_total"]),
            money(values["credited_total"]),
        )
        data["paid_amount"] = settlement.paid
        data["credited_amount"] = settlement.credited
        data["balance"] = settlement.balance
        data["refund_due"] = settlement.refund_due
    if credit_scope is not None:
        data["credited_lines"] = credit_scope["lines"]
    if (into := values["converted_into_id"]) is not None:
        data["converted_into"] = {"id": into, "number": values["converted_into_number"]}
    return data


def _facts(
    row: DocumentRow, today: dt.date | None, document: Document | None = None
) -> dict[str, Any]:
    status = shown_status(row, today or paris_today(dt.datetime.now(dt.UTC)))
    facts = summary_fields(_RowColumns(row), status, stored_totals(row), row.credit_scope)
    if document is not None:
        facts["scope"] = scope_of(document)
    return facts


def document_out(row: DocumentRow, today: dt.date | None = None) -> DocumentOut:
    """The document as the API shows it; `today` (Europe/Paris) says whether a quote expired."""
    document = shown_content(row)
    report = import_report(document)
    return DocumentOut.model_validate(
        {
            **_facts(row, today, document),
            "document": document,
            "import_report": report.as_dict() if report is not None else None,
        }
    )


def document_json(row: DocumentRow) -> str:
    """`document_out(row).model_dump_json()`. When the row's content was just
    written (`written_document`), it is spliced in as `document`, not serialized a
    second time (a 20-line draft's JSON, written twice per create): the same values,
    the document's members in sorted order."""
    document = written_document(row)
    if document is None:
        return document_out(row).model_dump_json()
    # The summary's data, as a list writes it (`summary_data`): the model's JSON.
    summary = to_json(_facts(row, None, document)).decode()
    report = import_report(document)
    report_json = "null"
    if report is not None:
        report_json = ImportReportOut.model_validate(report.as_dict()).model_dump_json()
    return f'{summary[:-1]},"document":{row.content},"import_report":{report_json}}}'


def document_summary(row: DocumentRow, today: dt.date | None = None) -> DocumentSummary:
    """What a list shows: read from the row's columns, its content is not loaded
    (unless it has no stored totals)."""
    return DocumentSummary.model_validate(_facts(row, today))


def summary_data(row: DocumentRow, today: dt.date | None = None) -> dict[str, Any]:
    """`document_summary(row)` as data ready for `pydantic_core.to_json`, without
    building the model (a list builds 50 of them). tests/server/test_document_views.py
    holds the two to the same JSON."""
    return _facts(row, today)
