"""The parties and the header of the view: title, dates, references, the invoices
a document relates to."""

from __future__ import annotations

from invoicing.document_view.base import BuilderBase
from invoicing.document_view.views import Pairs, PartyView
from invoicing.formatting import (
    format_siren,
)
from invoicing.model import (
    Document,
    DocumentKind,
    Party,
)
from invoicing.payment_terms import due_date_of


def is_final_after_deposit(document: Document) -> bool:
    """An invoice deducting deposits: BT-23's variant digit 4 (final after deposit)."""
    mode = document.business_process or ""
    return document.kind is DocumentKind.INVOICE and len(mode) == 2 and mode[1] == "4"


class HeaderParts(BuilderBase):
    def party(self, party: Party) -> PartyView:
        ids: list[tuple[str, str]] = []
        if party.siren:
            ids.append(self.pair("siren", format_siren(party.siren)))
        if party.siret:
            ids.append(self.pair("siret", format_siren(party.siret)))
        if party.legal_registration:
            ids.append(self.pair("registration", party.legal_registration.value))
        if party.vat_id:
            ids.append(self.pair("vat_id", party.vat_id))
        if party.tax_registration:
            ids.append(self.pair("tax_registration", party.tax_registration))
        ids.extend(self.pair("identifier", identifier.value) for identifier in party.identifiers)
        if party.electronic_address and party.electronic_address.value != party.siren:
            ids.append(self.pair("electronic_address", party.electronic_address.value))
        contact: list[str] = []
        if party.contact:
            if party.contact.name:
                contact.append(party.contact.name)
            if party.contact.phone:
                contact.append(f"{self.label['phone']} {party.contact.phone}")
            if party.contact.email:
                contact.append(party.contact.email)
        return PartyView(
            name=party.name or "",
            trading_name=(
                party.trading_name
                if party.trading_name and party.trading_name != party.name
                else ""
            ),
            address_lines=self.address_lines(party.address),
            identifiers=tuple(ids),
            contact_lines=tuple(contact),
            legal_info=party.legal_info or "",
        )

    def title(self) -> str:
        document = self.document
        if document.kind is DocumentKind.QUOTE:
            return self.label["title_quote"]
        specific = self.label.get(f"title_{document.effective_type_code}")
        if specific:
            return specific
        if document.is_credit_note:
            return self.label["title_credit_note"]
        if is_final_after_deposit(document):
            return self.label["title_final_invoice"]
        return self.label[f"title_{document.kind.value}"]

    def dates(self) -> Pairs:
        document, fmt = self.document, self.fmt
        quote = document.kind is DocumentKind.QUOTE
        rows: list[tuple[str, str]] = []
        if document.issue_date:
            rows.append(
                self.pair("quote_date" if quote else "issue_date", fmt.date(document.issue_date))
            )
        due_date = due_date_of(document)
        if due_date and not document.is_credit_note:  # a credit note states no payment terms
            rows.append(self.pair("valid_until" if quote else "due_date", fmt.date(due_date)))
        if document.delivery and document.delivery.date:
            rows.append(self.pair("delivery_date", fmt.date(document.delivery.date)))
        period = self.period(document.invoicing_period)
        if period:
            rows.append(self.pair("invoicing_period", period))
        if document.tax_point_date:
            rows.append(self.pair("tax_point_date", fmt.date(document.tax_point_date)))
        return tuple(rows)

    def references(self) -> Pairs:
        document = self.document
        rows: list[tuple[str, str]] = []
        for key in (
            "buyer_reference",
            "order_reference",
            "sales_order_reference",
            "contract_reference",
            "project_reference",
            "tender_reference",
            "despatch_advice_reference",
            "receiving_advice_reference",
            "buyer_accounting_reference",
        ):
            value = getattr(document, key)
            if value:
                if key == "project_reference" and document.project_name:
                    value = f"{value} — {document.project_name}"
                rows.append(self.pair(key, value))
        if document.invoiced_object:
            rows.append(self.pair("invoiced_object", document.invoiced_object.value))
        return tuple(rows)

    def related(self) -> tuple[str, ...]:
        """The invoice(s) a credit note corrects, the deposits a final invoice deducts,
        or preceding invoices."""
        prefix = "preceding"
        if self.document.is_credit_note:
            prefix = "corrects"
        elif is_final_after_deposit(self.document):
            prefix = "deducts"
        credit = self.document.number or self.label["draft"]
        texts: list[str] = []
        for preceding in self.document.preceding_invoices:
            if preceding.issue_date:
                texts.append(
                    self.label[prefix].format(
                        credit=credit,
                        number=preceding.number,
                        date=self.fmt.date(preceding.issue_date),
                    )
                )
            else:
                texts.append(
                    self.label[f"{prefix}_undated"].format(credit=credit, number=preceding.number)
                )
        return tuple(texts)
