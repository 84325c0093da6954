"""Deposit invoices (factures d'acompte) and the final invoices that deduct them.

A deposit invoice (type 386) asks for an amount or a percentage, optionally of
a quote: one line per VAT rate of the quote, in proportion, so that its VAT
follows the quote's. Its billing mode (BT-23) is the standard one (B1/S1/M1).

A final invoice deducts the deposit invoices it settles: BT-113 (prepaid
amount) is their amount due (computed by `invoicing.totals`), each is
referenced in BG-3 (BT-25/BT-26), and BT-23 becomes the "final invoice after
deposit" mode of its letter (B4/S4/M4: the values BR-FR-08 accepts). A deposit
is settled by one final invoice at most (`DocumentRow.settled_by_id`), and only by an
invoice to the same customer (`deposit_for`: the same contact, else the same buyer)
in the same currency.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Self

from pydantic import Field, model_validator
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposits import (
    FINAL_AFTER_DEPOSIT_MODE,
    STANDARD_MODE,
    billing_mode,
    default_groups,
    deposit_document,
    same_buyer,
)
from invoicing.model import (
    Amount,
    Document,
    DocumentKind,
    Percent,
    PrecedingInvoice,
)
from invoicing.money import HUNDRED, ZERO, round_amount
from invoicing.text import Text
from invoicing.totals import VatBreakdown, compute_totals, prepaid_from_deposits
from server.api.common import Input
from server.db.documents import DocumentRow
from server.documents.content import load_content, store_content
from server.documents.refusals import fr_number, kind_is_fr, status_fr
from server.documents.settlement import money
from server.documents.status import ISSUED, Status
from server.problems import Refusal, field_refusal

MAX_DEPOSITS = 50
MAX_SCANNED = 500  # open deposits of a company looked at for one invoice's customer


class DepositIn(Input):
    """Body of `POST /companies/{id}/deposit-invoices`."""

    quote_id: int | None = Field(None, description="The quote the deposit is asked on")
    contact_id: int | None = Field(None, description="The customer, when there is no quote")
    amount: Amount | None = Field(None, gt=0, description="Deposit including VAT")
    percent: Percent | None = Field(
        None, gt=0, le=100, description="Deposit as a percentage of the quote's total incl. VAT"
    )
    vat_rate: Percent | None = Field(
        None, ge=0, le=100, description="VAT rate when there is no quote (default 20)"
    )
    label: Text | None = Field(None, description="Line label (default: 'Acompte …')")

    @model_validator(mode="after")
    def _one_amount(self) -> Self:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("give either `amount` or `percent`")
        if self.percent is not None and self.quote_id is None:
            raise ValueError("a `percent` is a share of a quote: give `quote_id`")
        return self


class SettleIn(Input):
    """Body of `POST /documents/{id}/deposits`: the deposits a final invoice deducts."""

    deposit_ids: list[int] = Field(max_length=MAX_DEPOSITS)


async def deposits_asked(session: AsyncSession, quote: DocumentRow) -> Decimal:
    """What the deposit invoices made from `quote` ask, drafts included."""
    rows = await session.scalars(
        select(DocumentRow).where(
            DocumentRow.company_id == quote.company_id,
            DocumentRow.source_document_id == quote.id,
            DocumentRow.kind == DocumentKind.DEPOSIT_INVOICE.value,
            DocumentRow.status != Status.CANCELLED,
        )
    )
    return sum((compute_totals(load_content(r)).amount_due for r in rows), ZERO)


async def deposit_content(
    session: AsyncSession, body: DepositIn, base: Document, quote: DocumentRow | None
) -> Document:
    """The deposit invoice draft: `base` carries the parties (the quote, or the
    company defaults and the contact)."""
    if quote is not None:
        totals = compute_totals(base)
        whole = totals.tax_inclusive_total
        if whole <= 0 or not totals.vat_breakdown:
            raise field_refusal(
                "validation_failed",
                "quote_id",
                "this quote has no amount to ask a deposit on",
                "ce devis n'a pas de montant sur lequel demander un acompte",
            )
        amount = (
            body.amount
            if body.amount is not None
            else round_amount(whole * (body.percent or ZERO) / HUNDRED)
        )
        left = whole - await deposits_asked(session, quote)
        if amount > left:
            rest = max(left, ZERO)
            raise field_refusal(
                "validation_failed",
                "amount" if body.amount is not None else "percent",
                f"the deposits asked on this quote leave {rest} to ask",
                f"les acomptes déjà demandés sur ce devis laissent {fr_number(rest)} à demander",
            )
        groups: Sequence[VatBreakdown] = totals.vat_breakdown
        share = f"{body.percent.normalize():f} % " if body.percent is not None else ""
        label = body.label or f"Acompte {share}sur le devis {quote.number or ''}".strip()
    else:
        assert body.amount is not None
        amount = body.amount
        groups = default_groups(body.vat_rate if body.vat_rate is not None else Decimal(20))
        label = body.label or "Acompte"
    return deposit_document(base, amount, groups, label)


def deposit_for(
    contact_id: int | None, document: Document, deposit: DocumentRow, deposit_document: Document
) -> bool:
    """Whether the deposit invoice was asked of the customer of an invoice (its
    contact `contact_id`, its content `document`), in its currency: the same contact
    when both name one, else the same buyer."""
    if deposit_document.currency != document.currency:
        return False
    if contact_id is not None and deposit.contact_id is not None:
        return contact_id == deposit.contact_id
    return same_buyer(document.buyer, deposit_document.buyer)


async def deductible_deposits(
    session: AsyncSession,
    invoice: DocumentRow,
    document: Document,
    *,
    contact_id: int | None,
    limit: int = MAX_DEPOSITS,
) -> list[tuple[DocumentRow, Document]]:
    """The issued deposit invoices the draft `invoice` may deduct: of its customer
    (the contact `contact_id`, the buyer and currency of `document`: as saved, or as
    the editor's form has them now), in its currency, and deducted by no other
    invoice (the ones it deducts included), oldest first."""
    query = select(DocumentRow).where(
        DocumentRow.company_id == invoice.company_id,
        DocumentRow.partner_id == invoice.partner_id,
        DocumentRow.kind == DocumentKind.DEPOSIT_INVOICE.value,
        DocumentRow.status.in_([s for s in ISSUED if s != Status.CANCELLED]),
        or_(DocumentRow.settled_by_id.is_(None), DocumentRow.settled_by_id == invoice.id),
    )
    if contact_id is not None:  # another contact's deposit is never its customer's
        query = query.where(
            or_(DocumentRow.contact_id.is_(None), DocumentRow.contact_id == contact_id)
        )
    found: list[tuple[DocumentRow, Document]] = []
    for row in await session.scalars(query.order_by(DocumentRow.id).limit(MAX_SCANNED)):
        deposit = load_content(row)
        if deposit_for(contact_id, document, row, deposit):
            found.append((row, deposit))
            if len(found) >= limit:
                break
    return found


def _settle_refused(en: str, fr: str) -> Refusal:
    return field_refusal("deposit_refused", "deposit_ids", en, fr)


async def _deposit_rows(
    session: AsyncSession, invoice: DocumentRow, ids: Sequence[int]
) -> list[DocumentRow]:
    if len(set(ids)) != len(ids):
        raise _settle_refused("a deposit is given twice", "un acompte est donné deux fois")
    rows = []
    for deposit_id in ids:
        row = await session.scalar(
            select(DocumentRow)
            .where(
                DocumentRow.id == deposit_id,
                DocumentRow.company_id == invoice.company_id,
                DocumentRow.partner_id == invoice.partner_id,
            )
            .with_for_update()
        )
        if row is None or row.kind != DocumentKind.DEPOSIT_INVOICE.value:
            raise _settle_refused(
                f"{deposit_id} is no deposit invoice of this company",
                f"{deposit_id} n'est pas une facture d'acompte de cette entreprise",
            )
        if row.status not in ISSUED or row.status == Status.CANCELLED:
            raise _settle_refused(
                f"deposit {row.number or row.id} is {row.status}: not issued",
                f"l'acompte {row.number or row.id} est {status_fr(row.status)} : pas émis",
            )
        if row.settled_by_id not in (None, invoice.id):
            raise _settle_refused(
                f"deposit {row.number} is deducted by another invoice",
                f"l'acompte {row.number} est déjà déduit par une autre facture",
            )
        rows.append(row)
    return rows


async def open_deposits_of_quote(
    session: AsyncSession, quote_id: int, invoice: DocumentRow
) -> list[int]:
    """The issued deposits asked on the quote that `invoice` (its conversion) may deduct."""
    rows = await session.scalars(
        select(DocumentRow)
        .where(
            DocumentRow.company_id == invoice.company_id,
            DocumentRow.source_document_id == quote_id,
            DocumentRow.kind == DocumentKind.DEPOSIT_INVOICE.value,
            DocumentRow.status.in_([s for s in ISSUED if s != Status.CANCELLED]),
            DocumentRow.settled_by_id.is_(None),
        )
        .order_by(DocumentRow.id)
    )
    document = load_content(invoice)
    return [
        row.id for row in rows if deposit_for(invoice.contact_id, document, row, load_content(row))
    ]


async def settle(session: AsyncSession, invoice: DocumentRow, deposit_ids: Sequence[int]) -> None:
    """The draft final invoice `invoice` (locked) deducts exactly `deposit_ids`."""
    if invoice.kind != DocumentKind.INVOICE.value or invoice.status != Status.DRAFT:
        raise Refusal(
            409,
            "wrong_status",
            "Not possible in this status",
            f"This {invoice.kind} is {invoice.status}: only a draft invoice deducts deposits.",
            f"{kind_is_fr(invoice.kind, invoice.status)} : seule une "
            "facture brouillon déduit des acomptes.",
            extra={"status": invoice.status},
        )
    rows = await _deposit_rows(session, invoice, deposit_ids)
    document = load_content(invoice)
    for row in rows:
        deposit = load_content(row)
        if deposit.currency != document.currency:
            raise _settle_refused(
                f"deposit {row.number} is in another currency",
                f"l'acompte {row.number} est dans une autre devise",
            )
        if not deposit_for(invoice.contact_id, document, row, deposit):
            raise _settle_refused(
                f"deposit {row.number} was asked of another customer",
                f"l'acompte {row.number} a été demandé à un autre client",
            )
    wanted = set(deposit_ids)
    previous = list(
        await session.scalars(
            select(DocumentRow).where(
                DocumentRow.company_id == invoice.company_id,
                DocumentRow.settled_by_id == invoice.id,
            )
        )
    )
    released = {row.number for row in previous if row.id not in wanted}
    for row in previous:
        if row.id not in wanted:
            row.settled_by_id = None
    for row in rows:
        row.settled_by_id = invoice.id
    deposit_numbers = {row.number for row in rows} | released
    references = [p for p in document.preceding_invoices if p.number not in deposit_numbers]
    references += [PrecedingInvoice(number=r.number or "", issue_date=r.issue_date) for r in rows]
    prepaid = prepaid_from_deposits([(load_content(r), money(r.credited_total)) for r in rows])
    digit = FINAL_AFTER_DEPOSIT_MODE if rows else STANDARD_MODE
    updated = document.model_copy(
        update={
            "preceding_invoices": references,
            "prepaid_amount": prepaid if rows else None,
            "business_process": billing_mode(document, digit),
        }
    )
    store_content(invoice, Document.model_validate(updated.model_dump()))
    await session.flush()


async def check_before_issue(
    session: AsyncSession, invoice: DocumentRow, document: Document
) -> None:
    """A final invoice is issued only with the deposits it deducts still issued,
    referenced, and adding up to its BT-113."""
    rows = list(
        await session.scalars(
            select(DocumentRow)
            .where(
                DocumentRow.company_id == invoice.company_id,
                DocumentRow.settled_by_id == invoice.id,
            )
            .with_for_update()
        )
    )
    if not rows:
        return
    errors: list[tuple[str, str, str]] = []
    numbers = {p.number for p in document.preceding_invoices}
    for row in rows:
        if not deposit_for(invoice.contact_id, document, row, load_content(row)):  # buyer changed
            errors.append(
                (
                    "buyer",
                    f"deposit {row.number} was asked of another customer",
                    f"l'acompte {row.number} a été demandé à un autre client",
                )
            )
        if row.status not in ISSUED or row.status == Status.CANCELLED:
            errors.append(
                (
                    "preceding_invoices",
                    f"deposit {row.number} is {row.status}",
                    f"l'acompte {row.number} est {status_fr(row.status)}",
                )
            )
        elif row.number not in numbers:
            errors.append(
                (
                    "preceding_invoices",
                    f"deposit {row.number} is not referenced",
                    f"l'acompte {row.number} n'est pas référencé",
                )
            )
    prepaid = prepaid_from_deposits([(load_content(r), money(r.credited_total)) for r in rows])
    if document.prepaid_amount != prepaid:
        errors.append(
            (
                "prepaid_amount",
                f"the deposits deducted add up to {prepaid}",
                f"les acomptes déduits font {fr_number(prepaid)}",
            )
        )
    if prepaid > compute_totals(document).tax_inclusive_total:
        errors.append(
            (
                "prepaid_amount",
                "the deposits deducted exceed this invoice's total",
                "les acomptes déduits dépassent le total de cette facture",
            )
        )
    if errors:
        raise Refusal(
            422,
            "deposits_mismatch",
            "The deposits deducted do not match",
            f"Set the deposits again: POST /api/v1/documents/{invoice.id}/deposits.",
            "Les acomptes déduits ne correspondent plus : choisissez-les à nouveau.",
            errors=errors,
        )
