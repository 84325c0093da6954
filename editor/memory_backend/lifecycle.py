"""The memory backend's document lifecycle: finalization (gapless numbers per
company, kind and year), payments, and the documents made from another (an invoice
from a quote, a duplicate, a credit note)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from editor.analysis import PROFILE, is_french
from editor.backend import ActionRefused, Draft, EditorSession, InvoiceBalance, NewPayment
from editor.memory_backend.store import MemoryStore, StoredDocument, content_of
from invoicing.credit_lines import credited_line
from invoicing.field_errors import FieldError
from invoicing.legal_notes import without_company_b2b_notes
from invoicing.model import Document, DocumentKind, PrecedingInvoice
from invoicing.rules import validate
from invoicing.rules.drafts import parse_draft
from invoicing.totals import Totals, compute_totals

PREFIXES = {
    DocumentKind.INVOICE: "F",
    DocumentKind.CREDIT_NOTE: "AV",
    DocumentKind.DEPOSIT_INVOICE: "AC",
    DocumentKind.QUOTE: "D",
}


class MemoryLifecycle(MemoryStore):
    async def finalize(self, session: EditorSession, document_id: int) -> Draft:
        stored = self._document(session, document_id)
        if stored.status != "draft" or stored.content is None:
            raise ActionRefused("wrong_status", "only a saved draft can be finalized")
        document = without_company_b2b_notes(
            stored.content, self.companies[stored.company_id].legal_notes
        )
        today = self.clock().date()
        issue_date = document.issue_date or today
        numbered = document.model_copy(update={"number": "F-0", "issue_date": issue_date})
        findings = validate(numbered, PROFILE, french=is_french(document))
        if not findings.ok and document.kind is not DocumentKind.QUOTE:
            raise ActionRefused(
                "document_invalid",
                f"{len(findings.errors)} error(s) must be fixed first",
                [FieldError(", ".join(f.fields), f.message_en) for f in findings.errors],
            )
        series = (stored.company_id, stored.kind.value, issue_date.year)
        self.counters[series] = self.counters.get(series, 0) + 1
        number = f"{PREFIXES[stored.kind]}-{issue_date.year}-{self.counters[series]:04d}"
        due_date = document.due_date
        if due_date is None and document.kind is DocumentKind.QUOTE:
            days = self.companies[stored.company_id].quote_validity_days
            due_date = issue_date + dt.timedelta(days=days)
        final = Document.model_validate(
            {
                **document.model_dump(),
                "number": number,
                "issue_date": issue_date,
                "due_date": due_date,
            }
        )
        stored.content = final
        stored.number = number
        stored.status = "finalized"
        stored.logo = self.companies[stored.company_id].seller_logo
        stored.draft_content = content_of(final)
        return stored.draft()

    async def mark_paid(self, session: EditorSession, document_id: int, paid_on: dt.date) -> Draft:
        stored = self._document(session, document_id)
        if stored.kind is DocumentKind.QUOTE or stored.status not in ("finalized", "sent"):
            raise ActionRefused("wrong_status", "only an issued invoice can be paid")
        stored.status = "paid"
        stored.paid_on = paid_on
        return stored.draft()

    def _derived(self, source: StoredDocument, document: Document) -> Draft:
        stored = StoredDocument(
            id=next(self._ids),
            company_id=source.company_id,
            kind=document.kind,
            status="draft",
            draft_content=content_of(document),
            seq=0,
            contact_id=source.contact_id,
            saved=False,
            content=document,
            source_id=source.id,
        )
        self.documents[stored.id] = stored
        return stored.draft()

    def _source_document(self, stored: StoredDocument) -> Document:
        if stored.content is not None:
            return stored.content
        return parse_draft(stored.draft_content)[0]

    async def convert_quote(self, session: EditorSession, document_id: int) -> Draft:
        source = self._document(session, document_id)
        if source.kind is not DocumentKind.QUOTE:
            raise ActionRefused("wrong_status", "only a quote can be converted")
        company = self._company(session)
        document = self._source_document(source).model_copy(
            update={
                "kind": DocumentKind.INVOICE,
                "number": None,
                "issue_date": None,
                "due_date": None,
                "notes": list(company.legal_notes),
            }
        )
        return self._derived(source, Document.model_validate(document.model_dump()))

    async def record_payment(
        self, session: EditorSession, document_id: int, payment: NewPayment
    ) -> Draft:
        stored = self._document(session, document_id)
        if stored.kind is DocumentKind.QUOTE or stored.status not in (
            "finalized",
            "sent",
            "partially_paid",
        ):
            raise ActionRefused("wrong_status", "only an issued invoice can be paid")
        left = (await self.balance(session, document_id)).balance
        amount = left if payment.amount is None else payment.amount
        if amount <= 0 or amount > left:
            raise ActionRefused(
                "validation_failed", f"at most {left}", [FieldError("amount", f"<= {left}")]
            )
        stored.paid += amount
        stored.status = "paid" if amount == left else "partially_paid"
        stored.paid_on = payment.paid_on
        return stored.draft()

    async def balance(self, session: EditorSession, document_id: int) -> InvoiceBalance:
        stored = self._document(session, document_id)
        document = self._source_document(stored)
        due = compute_totals(document).amount_due
        return InvoiceBalance(
            amount_due=due,
            paid=stored.paid,
            credited=Decimal(0),
            balance=max(due - stored.paid, Decimal(0)),
            remaining=tuple(line.quantity or Decimal(0) for line in document.lines),
        )

    async def duplicate(self, session: EditorSession, document_id: int) -> Draft:
        source = self._document(session, document_id)
        document = self._source_document(source).model_copy(
            update={"number": None, "issue_date": None, "due_date": None}
        )
        return self._derived(source, Document.model_validate(document.model_dump()))

    async def delete_document(self, session: EditorSession, document_id: int) -> None:
        stored = self._document(session, document_id)
        if stored.status != "draft" and stored.kind is not DocumentKind.QUOTE:
            raise ActionRefused("document_finalized", "an issued document is never deleted")
        del self.documents[stored.id]

    async def create_credit_note(
        self,
        session: EditorSession,
        document_id: int,
        lines: Sequence[tuple[int, Decimal]] | None = None,
    ) -> Draft:
        source = self._document(session, document_id)
        return self._derived(source, self._credit_document(source, lines))

    async def credit_total(
        self, session: EditorSession, document_id: int, lines: Sequence[tuple[int, Decimal]]
    ) -> Totals:
        return compute_totals(self._credit_document(self._document(session, document_id), lines))

    def _credit_document(
        self, source: StoredDocument, lines: Sequence[tuple[int, Decimal]] | None
    ) -> Document:
        if source.kind not in (
            DocumentKind.INVOICE,
            DocumentKind.DEPOSIT_INVOICE,
        ) or source.status not in (
            "finalized",
            "sent",
            "paid",
        ):
            raise ActionRefused("wrong_status", "a credit note corrects an issued invoice")
        original = self._source_document(source)
        if lines is not None:
            chosen = [
                credited_line(original.lines[index], quantity)
                for index, quantity in lines
                if 0 <= index < len(original.lines)
            ]
            original = original.model_copy(update={"lines": chosen})
        document = original.model_copy(
            update={
                "kind": DocumentKind.CREDIT_NOTE,
                "type_code": None,
                "number": None,
                "issue_date": None,
                "due_date": None,
                "payment_reference": None,
                "preceding_invoices": [
                    PrecedingInvoice(number=source.number or "", issue_date=original.issue_date)
                ],
            }
        )
        return Document.model_validate(document.model_dump())
