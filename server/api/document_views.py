"""How documents are shown by the API: the row's facts, totals and content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from invoicing.model import Document, VatCategory
from invoicing.totals import compute_totals
from server.api.common import Output, Page
from server.db.documents import DocumentRow
from server.documents.content import load_content


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
    paid_on: dt.date | None
    payment_means_code: str | None
    payment_reference: str | None
    totals: TotalsOut
    created_at: dt.datetime
    updated_at: dt.datetime
    finalized_at: dt.datetime | None


class DocumentOut(DocumentSummary):
    document: Document


class DocumentList(Page):
    items: list[DocumentSummary]


def _facts(row: DocumentRow, document: Document) -> dict[str, Any]:
    facts = {name: getattr(row, name) for name in DocumentSummary.model_fields if name != "totals"}
    facts["totals"] = compute_totals(document)
    return facts


def document_out(row: DocumentRow) -> DocumentOut:
    document = load_content(row)
    return DocumentOut.model_validate({**_facts(row, document), "document": document})


def document_summary(row: DocumentRow) -> DocumentSummary:
    return DocumentSummary.model_validate(_facts(row, load_content(row)))
