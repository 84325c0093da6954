"""Accounting exports: the FEC of a company's finalized documents for a period."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from starlette.responses import Response

from invoicing.model import Document
from server.api.operation import Operation, QueryParam
from server.db.documents import DocumentRow
from server.documents.content import load_content
from server.documents.status import ISSUED
from server.endpoint import ApiCall
from server.fec.columns import file_name
from server.fec.entries import Finalized, journal_lines
from server.fec.validator import validate_fec
from server.fec.writer import fec_text_of
from server.field_messages import field_message
from server.problems import Problem, Refusal, internal_error, invalid_parameter

logger = logging.getLogger("blanche.server")
ENCODINGS = {"utf-8": "utf-8", "iso-8859-15": "iso8859_15"}
MAX_DAYS = 731


def _date(call: ApiCall, name: str) -> dt.date:
    text = call.request.query_params.get(name)
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        raise invalid_parameter("fec_date", name) from None


async def export_fec(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    start, end = _date(call, "from"), _date(call, "to")
    if end < start or (end - start).days > MAX_DAYS:
        raise invalid_parameter("fec_period")
    encoding = call.request.query_params.get("encoding", "utf-8").lower()
    if encoding not in ENCODINGS:
        raise invalid_parameter("fec_encoding")
    siren = str((company.seller or {}).get("siren") or "")
    if not (len(siren) == 9 and siren.isdigit()):
        detail_fr, detail_en = field_message("fec_needs_siren", company=company.id)
        siren_fr, siren_en = field_message("siren")
        raise Refusal(
            422,
            "fec_needs_siren",
            "The company has no SIREN",
            detail_en,
            detail_fr,
            errors=[("seller.siren", siren_en, siren_fr)],
        )
    rows = await call.session.scalars(
        call.caller.scoped(DocumentRow)
        .where(
            DocumentRow.company_id == company.id,
            DocumentRow.status.in_(list(ISSUED)),
            DocumentRow.kind.in_(["invoice", "deposit_invoice", "credit_note"]),
            DocumentRow.issue_date >= start,
            DocumentRow.issue_date <= end,
        )
        .order_by(DocumentRow.issue_date, DocumentRow.finalized_at, DocumentRow.id)
    )
    items: list[Finalized] = []
    foreign: list[str] = []
    for row in rows:
        document = load_content(row)
        assert row.number and row.issue_date and row.finalized_at
        if document.currency != "EUR":
            foreign.append(row.number)
            continue
        deposits: tuple[Document, ...] = ()
        # A final invoice's deposits; a credit note taking the rest of one, the same.
        final_id = row.id if row.kind == "invoice" else row.source_document_id
        if document.prepaid_amount and final_id is not None and row.kind != "deposit_invoice":
            deposits = tuple(
                load_content(deposit)
                for deposit in await call.session.scalars(
                    select(DocumentRow)
                    .where(
                        DocumentRow.company_id == company.id,
                        DocumentRow.settled_by_id == final_id,
                    )
                    .order_by(DocumentRow.id)
                )
            )
        items.append(
            Finalized(
                document,
                row.number,
                row.kind,
                row.issue_date,
                row.finalized_at,
                row.contact_id,
                deposits,
            )
        )
    if foreign:
        raise Problem(
            422,
            "fec_foreign_currency",
            "Documents in another currency",
            "The FEC is kept in euros and these documents carry no exchange rate: "
            f"{', '.join(foreign[:50])}. Book them by hand, or export a period without them.",
            extra={"documents": foreign},
        )
    text = fec_text_of(journal_lines(items))
    problems = validate_fec(text)
    if problems:
        logger.error("FEC of company %d is invalid: %s", company.id, problems[:10])
        raise internal_error()
    name = file_name(siren, end)
    return Response(
        text.encode(ENCODINGS[encoding], errors="replace"),
        media_type=f"text/plain; charset={encoding}",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


OPERATIONS = (
    Operation(
        "GET",
        "/companies/{id:int}/exports/fec",
        export_fec,
        "FEC file (sales journal) of the documents issued from..to, as SIRENFECYYYYMMDD.txt",
        query=(
            QueryParam("from", "First issue date (YYYY-MM-DD)"),
            QueryParam("to", "Last issue date, the closing date in the file name (YYYY-MM-DD)"),
            QueryParam("encoding", "utf-8 (default) or iso-8859-15"),
        ),
        media_type="text/plain",
    ),
)
