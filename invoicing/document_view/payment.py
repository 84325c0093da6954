"""Payment and the end of the view: terms, means, mentions, which notes print, and
the seller's legal identity in the footer."""

from __future__ import annotations

import re

from invoicing.document_view.base import BuilderBase
from invoicing.document_view.views import Pairs, PartyView, PaymentView
from invoicing.formatting import (
    format_iban,
    payment_means_name,
)
from invoicing.model import (
    Note,
    PaymentMeans,
)
from invoicing.payment_terms import payment_terms_text

_PAYMENT_SUBJECTS = frozenset({"AAB", "PMD", "PMT"})

NO_BREAK_SPACE = "\u00a0"
# In free legal text ("capital de 10 000 €, RCS Lyon 732 829 320"): the spaces that
# group a number's digits, or put its currency after it.
_NUMBER_SPACES = re.compile(r"(?<=\d) (?=\d|€)")


class PaymentParts(BuilderBase):
    def mentions(self) -> tuple[str, ...]:
        document = self.document
        texts: list[str] = []
        category = document.operation_category
        if category:
            texts.append(
                f"{self.label['operation_category']}{self.label['colon']}"
                f"{self.label[f'operation_{category}']}"
            )
        if document.vat_on_debits:
            texts.append(self.label["vat_on_debits"])
        return tuple(texts)

    def means(self, means: PaymentMeans) -> Pairs:
        rows = [self.pair("payment_means", means.text or payment_means_name(means.code, self.lang))]
        if means.iban:
            rows.append(self.pair("iban", format_iban(means.iban)))
        if means.bic:
            rows.append(self.pair("bic", means.bic.strip().upper()))
        if means.account_name:
            rows.append(self.pair("account_name", means.account_name))
        if means.card_pan:
            rows.append(self.pair("card", f"•••• {means.card_pan}"))
        if means.card_holder:
            rows.append(self.pair("card_holder", means.card_holder))
        if means.mandate_reference:
            rows.append(self.pair("mandate_reference", means.mandate_reference))
        if means.debited_iban:
            rows.append(self.pair("debited_iban", format_iban(means.debited_iban)))
        return tuple(rows)

    def payment(self) -> PaymentView:
        document = self.document
        references: list[tuple[str, str]] = []
        if document.payment_reference:
            references.append(self.pair("payment_reference", document.payment_reference))
        if document.creditor_reference:
            references.append(self.pair("creditor_reference", document.creditor_reference))
        if document.payee:
            references.append(self.pair("payee", document.payee.name))
        return PaymentView(
            terms="" if document.is_credit_note else payment_terms_text(document, self.lang) or "",
            means=tuple(self.means(means) for means in document.payment_means),
            references=tuple(references),
        )

    def printed(self, note: Note) -> bool:
        """A credit note prints no payment terms nor late-payment penalties (they stay
        in its XML, where the French rules may ask for them)."""
        return not (self.document.is_credit_note and note.subject in _PAYMENT_SUBJECTS)

    def footer(self, seller: PartyView) -> tuple[str, ...]:
        """The seller's legal identity, in parts the page footer may wrap between but
        never inside a label and its number ("N° TVA FR44…" stays on one line)."""
        parts = [seller.name] if seller.name else []
        if seller.legal_info:
            parts.append(_NUMBER_SPACES.sub(NO_BREAK_SPACE, seller.legal_info))
        parts.extend(
            f"{label} {value}".replace(" ", NO_BREAK_SPACE)
            for label, value in seller.identifiers[:4]
        )
        return tuple(parts)
