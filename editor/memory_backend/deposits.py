"""The memory backend's deposits: a deposit invoice asked on a quote (its share of
each VAT group, `invoicing.deposits`), and a draft invoice deducting issued ones."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from editor.backend import (
    ActionRefused,
    DepositInvoice,
    Draft,
    DraftCustomer,
    EditorSession,
    NewDeposit,
)
from editor.memory_backend.lifecycle import MemoryLifecycle
from editor.memory_backend.store import StoredDocument, content_of
from invoicing.deposits import (
    FINAL_AFTER_DEPOSIT_MODE,
    STANDARD_MODE,
    billing_mode,
    default_groups,
    deposit_document,
    same_buyer,
)
from invoicing.field_errors import FieldError
from invoicing.model import Document, DocumentKind, PrecedingInvoice
from invoicing.money import HUNDRED, ZERO, round_amount
from invoicing.rules.drafts import parse_draft
from invoicing.totals import compute_totals, prepaid_from_deposits

_OPEN_QUOTE = ("finalized", "sent", "accepted")
_ISSUED_DEPOSIT = ("finalized", "sent", "partially_paid", "paid")


class MemoryDeposits(MemoryLifecycle):
    def _asked_on(self, quote_id: int) -> Decimal:
        return sum(
            (
                compute_totals(self._source_document(d)).amount_due
                for d in self.documents.values()
                if d.kind is DocumentKind.DEPOSIT_INVOICE and d.source_id == quote_id
            ),
            ZERO,
        )

    async def create_deposit(self, session: EditorSession, deposit: NewDeposit) -> Draft:
        quote = self._document(session, deposit.quote_id)
        if quote.kind is not DocumentKind.QUOTE or quote.status not in _OPEN_QUOTE:
            raise ActionRefused("wrong_status", "a deposit is asked on an issued quote")
        document = self._source_document(quote)
        totals = compute_totals(document)
        whole = totals.tax_inclusive_total
        field = "percent" if deposit.percent is not None else "amount"
        amount = (
            round_amount(whole * deposit.percent / HUNDRED)
            if deposit.percent is not None
            else deposit.amount or ZERO
        )
        left = whole - self._asked_on(quote.id)
        if amount <= 0 or amount > left:
            raise ActionRefused(
                "validation_failed", f"{left} left to ask", [FieldError(field, f"<= {left}")]
            )
        label = f"Acompte sur le devis {quote.number or ''}".strip()
        made = deposit_document(document, amount, totals.vat_breakdown, label)
        term = document.payment_term or self._company(session).payment_term
        made = made.model_copy(update={"payment_term": term})
        return self._derived(quote, Document.model_validate(made.model_dump()))

    async def set_deposit_amount(
        self, session: EditorSession, document_id: int, amount: Decimal, vat_rate: Decimal
    ) -> Draft:
        stored = self._document(session, document_id)
        if stored.kind is not DocumentKind.DEPOSIT_INVOICE or stored.status != "draft":
            raise ActionRefused("wrong_status", "only a draft deposit invoice")
        current = parse_draft(stored.draft_content)[0]
        made = deposit_document(current, amount, default_groups(vat_rate), "Acompte")
        kept = {"issue_date": current.issue_date, "due_date": current.due_date}
        stored.content = made.model_copy(update=kept)
        stored.draft_content = content_of(stored.content)
        stored.seq += 1
        stored.saved = True
        return stored.draft()

    def _deposits(
        self, session: EditorSession, invoice_id: int, customer: DraftCustomer | None = None
    ) -> list[StoredDocument]:
        """The issued deposits of the invoice's customer (`customer`, else as saved),
        in its currency, that no other invoice deducts (as
        server/documents/deposits.deductible_deposits)."""
        invoice = self.documents[invoice_id]
        if customer is None:
            customer = DraftCustomer.of(self._source_document(invoice), invoice.contact_id)
        return [
            d
            for d in self.documents.values()
            if d.company_id == session.company_id
            and d.kind is DocumentKind.DEPOSIT_INVOICE
            and d.status in _ISSUED_DEPOSIT
            and self.settled_by.get(d.id, invoice_id) == invoice_id
            and self._of_customer(customer, d)
        ]

    def _of_customer(self, customer: DraftCustomer, d: StoredDocument) -> bool:
        deposit = self._source_document(d)
        if deposit.currency != customer.currency:
            return False
        if customer.contact_id is not None and d.contact_id is not None:
            return customer.contact_id == d.contact_id
        return same_buyer(customer.buyer, deposit.buyer)

    def _deposits_to_deduct(self, session: Any, stored: StoredDocument) -> bool:
        """Of the customer of its working copy, as the service's."""
        if stored.kind is not DocumentKind.INVOICE or stored.status != "draft":
            return False
        working = parse_draft(stored.draft_content)[0] if stored.draft_content else None
        customer = None if working is None else DraftCustomer.of(working, stored.contact_id)
        return bool(self._deposits(session, stored.id, customer))

    async def deposit_invoices(
        self, session: EditorSession, document_id: int, customer: DraftCustomer | None = None
    ) -> Sequence[DepositInvoice]:
        self._document(session, document_id)
        found = []
        for stored in self._deposits(session, document_id, customer):
            document = self._source_document(stored)
            found.append(
                DepositInvoice(
                    id=stored.id,
                    number=stored.number or "",
                    issue_date=document.issue_date,
                    amount=compute_totals(document).amount_due,
                    currency=document.currency,
                    buyer_name=document.buyer.name or "",
                    deducted=self.settled_by.get(stored.id) == document_id,
                )
            )
        return found

    async def deduct_deposits(
        self, session: EditorSession, document_id: int, deposit_ids: Sequence[int]
    ) -> Draft:
        invoice = self._document(session, document_id)
        if invoice.kind is not DocumentKind.INVOICE or invoice.status != "draft":
            raise ActionRefused("wrong_status", "only a draft invoice deducts deposits")
        open_ones = {d.id: d for d in self._deposits(session, document_id)}
        if any(i not in open_ones for i in deposit_ids) or len(set(deposit_ids)) != len(
            deposit_ids
        ):
            raise ActionRefused(
                "deposit_refused", "not an open deposit", [FieldError("deposit_ids", "")]
            )
        chosen = [open_ones[i] for i in deposit_ids]
        for deposit_id, invoice_id in list(self.settled_by.items()):
            if invoice_id == document_id:
                del self.settled_by[deposit_id]
        self.settled_by.update({d.id: document_id for d in chosen})
        document = self._source_document(invoice)
        numbers = {d.number for d in open_ones.values()}
        references = [p for p in document.preceding_invoices if p.number not in numbers]
        for stored in chosen:
            issued = self._source_document(stored)
            references.append(
                PrecedingInvoice(number=stored.number or "", issue_date=issued.issue_date)
            )
        digit = FINAL_AFTER_DEPOSIT_MODE if chosen else STANDARD_MODE
        prepaid = prepaid_from_deposits([(self._source_document(d), ZERO) for d in chosen])
        updated = document.model_copy(
            update={
                "preceding_invoices": references,
                "prepaid_amount": prepaid if chosen else None,
                "business_process": billing_mode(document, digit),
            }
        )
        invoice.content = Document.model_validate(updated.model_dump())
        invoice.draft_content = content_of(invoice.content)
        invoice.seq += 1
        invoice.saved = True
        return invoice.draft()
