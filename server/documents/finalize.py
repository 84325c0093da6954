"""Finalization: number, freeze, write the XML, chain into the journal.

All in the caller's transaction: the company row is locked first (so one
company's journal grows one entry at a time), then the series counter.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.cii_writer import to_xml_bytes
from invoicing.field_errors import FieldError
from invoicing.model import Document
from invoicing.official import xsd_errors
from invoicing.profiles import Profile
from server.db.documents import DocumentRow
from server.db.tenants import Company
from server.documents.content import load_content, sha256_hex, store_content
from server.documents.issue_hooks import after_issue, before_issue
from server.documents.journal import append_entry
from server.documents.numbering import take_number
from server.documents.status import Status, is_quote
from server.problems import Problem
from server.webhooks.events import document_event


def _invalid(errors: list[FieldError]) -> Problem:
    return Problem(
        422,
        "document_invalid",
        "The document cannot be finalized",
        f"{len(errors)} error(s) must be fixed first.",
        errors=errors,
    )


def _fast_rule_errors(document: Document, profile: Profile) -> list[FieldError]:
    """The fast rules (invoicing.rules), when that module provides them."""
    validate: Any = getattr(importlib.import_module("invoicing.rules"), "validate", None)
    if validate is None:
        return []
    french = document.seller.address.country in (None, "FR")
    findings = validate(document, profile, french=french)
    return [
        FieldError(", ".join(f.fields), f"[{f.rule_id}] {f.message_en}") for f in findings.errors
    ]


def _xml_for(document: Document, profile: Profile) -> bytes:
    errors = _fast_rule_errors(document, profile)
    if errors:
        raise _invalid(errors)
    xml = to_xml_bytes(document, profile)
    schema_errors = xsd_errors(xml, profile)
    if schema_errors:
        raise _invalid([FieldError("", f"XSD: {e.message}") for e in schema_errors])
    return xml


async def finalize(
    session: AsyncSession, company: Company, document_id: int, today: dt.date
) -> DocumentRow:
    """Finalize one draft of `company` (already checked to be the caller's)."""
    await session.scalar(select(Company.id).where(Company.id == company.id).with_for_update())
    row = await session.scalar(
        select(DocumentRow)
        .where(DocumentRow.id == document_id, DocumentRow.company_id == company.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise Problem(404, "not_found", "Not found", "No such document.")
    if row.status != Status.DRAFT:
        raise Problem(409, "already_finalized", "Already finalized", f"{row.number} is issued.")
    document = load_content(row)
    await before_issue(session, row, document)
    issue_date = document.issue_date or today
    number = await take_number(session, company, row.kind, issue_date)
    document = document.model_copy(update={"number": number.text, "issue_date": issue_date})
    document = Document.model_validate(document.model_dump())
    row.series, row.sequence, row.number = number.series, number.sequence, number.text
    store_content(row, document)
    if not is_quote(row):
        row.xml = _xml_for(document, Profile(company.profile))
        row.xml_sha256 = sha256_hex(row.xml)
    row.status = Status.FINALIZED
    row.finalized_at = dt.datetime.now(dt.UTC)
    row.updated_at = row.finalized_at
    await session.flush()
    if not is_quote(row):
        await append_entry(session, row)
    await document_event(session, row, "document.finalized")
    if not is_quote(row):
        await after_issue(session, row)
    return row
