"""Finalization: check, number, freeze, write the XML, chain into the journal.

Three steps, so that no transaction is open during the heavy work:

1. plan (a short transaction): the draft, its issue date (never after today in
   Europe/Paris, never before the last document of its numbering, a year that never
   goes back), its due date (computed from the payment terms, or 422 naming
   `due_date`), and the number it will get: the next of its series;
2. check (no transaction; the official check runs in the process pool): the fast
   rules, then XSD + Factur-X EN 16931 (FNFE, with the CEN rules) + BR-FR when the
   document is in the reform's e-invoicing or B2G scope, on the XML of the document
   exactly as it will be issued (that number, those dates). Any error: 422 with the
   findings mapped to fields;
3. issue (a transaction): the company row, the draft and the series counter are
   locked; the number is taken and the checked document stored. When another
   finalization took the planned number meanwhile, the number taken is of the same
   series; if it also has the same length, the XML differs from the checked one only
   in the digits of BT-1, which the official rules read only for presence, length
   (BR-FR-01) and characters (BR-FR-02) (and AFL line references, which we never
   write): the verdict is the same. Otherwise (a longer number, or the draft changed
   since the check) the three steps run again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from editor.work_pool import DeadlineMissed, PoolBusy, WorkFailed
from invoicing.cii.writer import to_xml_bytes
from invoicing.legal_notes import without_company_b2b_notes
from invoicing.model import Document, DocumentKind
from invoicing.payment_terms import due_date_of
from invoicing.profiles import Profile
from invoicing.rules import validate
from invoicing.rules.official_fields import official_fields
from invoicing.scope import french_rules_apply
from server.api.documents.crud import company_legal_notes, default_payment_term
from server.db.documents import DocumentRow, NumberingCounter
from server.db.tenants import Company
from server.documents.content import load_content, sha256_hex, store_content
from server.documents.issue_hooks import after_issue, before_issue
from server.documents.journal import append_entry
from server.documents.numbering import Number, prefix_of, take_number, upcoming_number
from server.documents.refusals import fr_date
from server.documents.status import Status, is_quote
from server.pa.outbox import enqueue_invoice
from server.printed_look import freeze_logo
from server.problems import Refusal, not_found
from server.webhooks.events import document_event

MAX_ATTEMPTS = 3

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class OfficialChecker(Protocol):
    """The heavy-work pool's official check (editor.work_pool.WorkPool)."""

    async def check(self, document: Document, profile: Profile, french: bool) -> dict[str, Any]:
        """`official.OfficialResult.as_dict()` of the document's XML."""
        ...


@dataclass(frozen=True, slots=True)
class Plan:
    document: Document  # as it will be issued
    number: Number
    updated_at: dt.datetime  # the draft's, when planned: a later edit means plan again
    profile: Profile
    quote: bool


def _invalid(errors: list[tuple[str, str, str]], detail: tuple[str, str] | None = None) -> Refusal:
    """`errors`: (field, English, French); `detail`: (English, French)."""
    count = len(errors)
    en, fr = detail or (
        f"{count} error(s) must be fixed first.",
        f"{count} erreur(s) à corriger d'abord.",
    )
    return Refusal(
        422, "document_invalid", "The document cannot be finalized", en, fr, errors=errors
    )


def already_finalized(number: str | None) -> Refusal:
    return Refusal(
        409, "already_finalized", "Already finalized", f"{number} is issued.", f"{number} est émis."
    )


def _date_problem(code: str, title: str, en: str, fr: str) -> Refusal:
    return Refusal(422, code, title, en, fr, errors=[("issue_date", en, fr)])


async def _numbering_dates(
    db: AsyncSession, company_id: int, prefix: str
) -> list[tuple[int, dt.date | None]]:
    """(year, last issue date) of each series of this numbering (`F-2026`, `F-2027`...)."""
    pattern = re.compile(re.escape(prefix) + r"-(\d{4})")
    rows = await db.execute(
        select(NumberingCounter.series, NumberingCounter.last_issue_date).where(
            NumberingCounter.company_id == company_id
        )
    )
    found = []
    for series, last in rows:
        match = pattern.fullmatch(series)
        if match is not None:
            found.append((int(match.group(1)), last))
    return found


async def check_issue_date(
    db: AsyncSession, company: Company, kind: str, issue_date: dt.date, today: dt.date
) -> None:
    """Never after today; never before the last document of the same numbering; a
    number's year never goes back (no fresh `F-2019` once `F-2026` exists)."""
    if issue_date > today:
        raise _date_problem(
            "issue_date_future",
            "Issue date in the future",
            f"The issue date {issue_date} is after today ({today}, Paris time): an invoice "
            "is dated the day it is issued, or earlier.",
            f"La date d'émission {fr_date(issue_date)} est après aujourd'hui "
            f"({fr_date(today)}, heure de Paris) : une facture est datée du jour de son "
            "émission, ou d'avant.",
        )
    prefix = prefix_of(company, kind)
    series = await _numbering_dates(db, company.id, prefix)
    last_year = max((year for year, _ in series), default=None)
    if last_year is not None and issue_date.year < last_year:
        raise _date_problem(
            "chronology",
            "Issue date in a closed year",
            f"Numbers {prefix}-{last_year}-… are already issued: a document dated "
            f"{issue_date} would open a series of an earlier year. Date it "
            f"{last_year} or later.",
            f"Des numéros {prefix}-{last_year}-… sont déjà émis : un document daté du "
            f"{fr_date(issue_date)} ouvrirait une série d'une année antérieure. Datez-le de "
            f"{last_year} ou après.",
        )
    last_date = max((last for _, last in series if last is not None), default=None)
    if last_date is not None and issue_date < last_date:
        raise _date_problem(
            "chronology",
            "Issue date earlier than the previous number",
            f"A document of this numbering ({prefix}) is already dated {last_date}; numbers "
            "must follow the dates: use that date or a later one.",
            f"Un document de cette numérotation ({prefix}) est déjà daté du "
            f"{fr_date(last_date)} ; les numéros suivent les dates : choisissez cette date "
            "ou une date postérieure.",
        )


def _due_date(document: Document, issue_date: dt.date, quote_days: int) -> dt.date | None:
    """BT-9 as issued: computed from the payment terms unless typed. A credit note
    owes its amount from its issue (BR-CO-25 needs a date or terms); an invoice
    without one is refused by `check_for_issue`. A quote without a validity date
    stays valid the company's `quote_days` after its issue date."""
    due = due_date_of(document, issue_date)
    if due is None and document.kind is DocumentKind.QUOTE:
        return issue_date + dt.timedelta(days=quote_days)
    if due is None and document.kind is not DocumentKind.QUOTE and document.is_credit_note:
        return issue_date
    return due


async def plan_finalization(
    db: AsyncSession, company_id: int, document_id: int, today: dt.date
) -> Plan:
    company = await db.get(Company, company_id)
    row = await db.scalar(
        select(DocumentRow).where(
            DocumentRow.id == document_id, DocumentRow.company_id == company_id
        )
    )
    if company is None or row is None:
        raise not_found("document")
    if row.status != Status.DRAFT:
        raise already_finalized(row.number)
    document = without_company_b2b_notes(load_content(row), company_legal_notes(company))
    if (term := default_payment_term(document, company)) is not None:
        document = document.model_copy(update={"payment_term": term})  # e.g. a converted quote
    issue_date = document.issue_date or today
    await check_issue_date(db, company, row.kind, issue_date, today)
    due_date = _due_date(document, issue_date, company.quote_validity_days)
    number = await upcoming_number(db, company, row.kind, issue_date)
    issued = document.model_copy(
        update={"number": number.text, "issue_date": issue_date, "due_date": due_date}
    )
    issued = Document.model_validate(issued.model_dump())
    return Plan(issued, number, row.updated_at, Profile(company.profile), is_quote(row))


def _rule_errors(document: Document, profile: Profile, french: bool) -> list[tuple[str, str, str]]:
    findings = validate(document, profile, french=french)
    return [
        (", ".join(f.fields), f"[{f.rule_id}] {f.message_en}", f"[{f.rule_id}] {f.message_fr}")
        for f in findings.errors
    ]


def _official_errors(
    result: dict[str, Any], profile: Profile, french: bool
) -> list[tuple[str, str, str]]:
    """The official validators' findings: their messages exist in English only."""
    errors = []
    if not result.get("xsd_valid", True) and not any(
        e.get("source") == "xsd" for e in result.get("errors", [])
    ):
        errors.append(("", "XSD: the XML is not valid", "XSD : le XML n'est pas valide"))
    for finding in result.get("errors", []):
        rule_id = str(finding.get("rule_id") or "")
        fields = official_fields(rule_id, str(finding.get("location") or ""), profile, french)
        source = finding.get("source", "")
        said = f"[{rule_id or source}] {finding.get('message', '')}"
        errors.append((", ".join(fields), said, said))
    return errors


async def check_for_issue(document: Document, profile: Profile, checker: OfficialChecker) -> None:
    """The fast rules, then the official check in the pool: 422 on any error."""
    french = french_rules_apply(document)
    errors = _rule_errors(document, profile, french)
    if errors:
        raise _invalid(errors)
    try:
        result = await checker.check(document, profile, french)
    except (PoolBusy, DeadlineMissed, WorkFailed) as error:
        raise Refusal(
            503,
            "official_check_unavailable",
            "Try again",
            f"The official check could not run now ({error}); nothing was issued: retry.",
            "Le contrôle officiel n'a pas pu se faire maintenant ; rien n'a été émis : réessayez.",
        ) from None
    errors = _official_errors(result, profile, french)
    if errors:
        raise _invalid(
            errors,
            (
                f"The official check found {len(errors)} error(s): fix them first.",
                f"Le contrôle officiel a trouvé {len(errors)} erreur(s) : corrigez-les d'abord.",
            ),
        )


def equivalent_numbers(checked: str, taken: str) -> bool:
    """Same length, differing only in digits: same verdict from every official rule."""
    return len(checked) == len(taken) and all(
        a == b or (a.isdigit() and b.isdigit()) for a, b in zip(checked, taken, strict=True)
    )


async def finalize(
    transaction: Transaction,
    company_id: int,
    document_id: int,
    today: dt.date,
    checker: OfficialChecker,
    read_transaction: Transaction | None = None,
) -> None:
    """Finalize one draft of a company (already checked to be the caller's).
    `read_transaction`: a read-only one for the plan (else `transaction`)."""
    for _ in range(MAX_ATTEMPTS):
        async with (read_transaction or transaction)() as db:
            plan = await plan_finalization(db, company_id, document_id, today)
        if not plan.quote:
            await check_for_issue(plan.document, plan.profile, checker)
        async with transaction() as db:
            if await issue(db, plan, company_id, document_id, today):
                return
    raise Refusal(
        503,
        "finalization_busy",
        "Try again",
        "Other documents were being finalized at the same time; retry shortly.",
        "D'autres documents étaient finalisés au même moment : réessayez dans un instant.",
    )


async def issue(
    db: AsyncSession, plan: Plan, company_id: int, document_id: int, today: dt.date
) -> bool:
    """Step 3: lock, take the number, store the checked document. False when the
    plan no longer holds (the draft changed, or the number is not equivalent)."""
    company = await db.scalar(select(Company).where(Company.id == company_id).with_for_update())
    row = await db.scalar(
        select(DocumentRow)
        .where(DocumentRow.id == document_id, DocumentRow.company_id == company_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if company is None or row is None:
        raise not_found("document")
    if row.status != Status.DRAFT:
        raise already_finalized(row.number)
    if row.updated_at != plan.updated_at:
        return False
    await before_issue(db, row, plan.document)
    issue_date = plan.document.issue_date
    assert issue_date is not None
    await check_issue_date(db, company, row.kind, issue_date, today)
    number = await take_number(db, company, row.kind, issue_date)
    if number.text != plan.number.text and not equivalent_numbers(plan.number.text, number.text):
        return False
    document = plan.document.model_copy(update={"number": number.text})
    row.series, row.sequence, row.number = number.series, number.sequence, number.text
    store_content(row, document)
    if not plan.quote:
        row.xml = to_xml_bytes(document, plan.profile)
        row.xml_sha256 = sha256_hex(row.xml)
    row.status = Status.FINALIZED
    row.finalized_at = dt.datetime.now(dt.UTC)
    row.updated_at = row.finalized_at
    await db.flush()
    await freeze_logo(db, row)  # it prints the seller's logo of now, for good
    if not plan.quote:
        await append_entry(db, row)
        if french_rules_apply(document):  # e-invoicing and B2G go through the PA
            await enqueue_invoice(db, row)
    await document_event(db, row, "document.finalized")
    if not plan.quote:
        await after_issue(db, row)
    return True
