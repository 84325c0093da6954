"""BR-FR coherence rules between fields (BR-FR-CO-*): credit notes and
corrective invoices, paid invoices, foreign currencies. Checked with the
French option."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.rules.engine import LINE_COUNT, TOTALS_READS, Context, Hit, rule
from invoicing.rules.french.codes import (
    CORRECTIVE_TYPES,
    CREDIT_TYPES,
    DEPOSIT_TYPES,
    FINAL_AFTER_DEPOSIT_MODES,
    PAID_MODES,
)

FAMILY = "french"


# --- coherence between fields --------------------------------------------------------------


@rule(
    "BR-FR-CO-03_BT-3",
    refs=("BR-FR-CO-03_BT-3",),
    reads=("type_code", "kind", "contract_reference", "invoicing_period"),
    french=True,
    fr="Avoir de remise globale (262) : indiquez le contrat et la période de facturation "
    "(début et fin).",
    en="Global discount credit note (262): give the contract and the invoicing period "
    "(start and end).",
)
def global_discount_credit(ctx: Context) -> Iterator[Hit]:
    if ctx.type_code != "262":
        return
    doc = ctx.doc
    period = doc.invoicing_period
    if not (doc.contract_reference and period and period.start and period.end):
        yield Hit(("contract_reference", "invoicing_period.start", "invoicing_period.end"))


@rule(
    "BR-FR-CO-04_BT-4",
    refs=("BR-FR-CO-04_BT-4",),
    reads=("type_code", "kind", "preceding_invoices"),
    french=True,
    fr="Facture rectificative : indiquez une (et une seule) facture d'origine.",
    en="Corrective invoice: give one (and only one) original invoice.",
)
def corrective_reference(ctx: Context) -> Iterator[Hit]:
    if ctx.type_code in CORRECTIVE_TYPES and len(ctx.doc.preceding_invoices) != 1:
        yield Hit(("preceding_invoices",))


@rule(
    "BR-FR-CO-05_BT-3",
    refs=("BR-FR-CO-05_BT-3",),
    reads=("type_code", "kind", "preceding_invoices", LINE_COUNT),
    french=True,
    fr="Avoir : indiquez la facture qu'il corrige, avec son numéro et sa date.",
    en="Credit note: give the invoice it corrects, with its number and date.",
)
def credit_note_reference(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if ctx.type_code not in CREDIT_TYPES or not doc.lines:
        return
    if not any(p.issue_date is not None for p in doc.preceding_invoices):
        yield Hit(("preceding_invoices",))


@rule(
    "BR-FR-CO-07_BT-9",
    refs=("BR-FR-CO-07_BT-9",),
    reads=("due_date", "issue_date", "type_code", "kind", "business_process"),
    french=True,
    fr="La date d'échéance ne peut pas précéder la date de facture.",
    en="The due date cannot be before the invoice date.",
)
def due_after_issue(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if not doc.due_date or ctx.type_code in DEPOSIT_TYPES or doc.business_process in PAID_MODES:
        return
    if doc.due_date < ctx.issue_date:
        yield Hit(("due_date",))


@rule(
    "BR-FR-CO-08_BT-23",
    refs=("BR-FR-CO-08_BT-23",),
    reads=("business_process", "type_code", "kind"),
    french=True,
    fr="Une facture d'acompte ne peut pas avoir le cadre « définitive après acompte » "
    "(B4, S4, M4).",
    en="A deposit invoice cannot use the 'final after deposit' billing mode (B4, S4, M4).",
)
def deposit_not_final(ctx: Context) -> Iterator[Hit]:
    if ctx.doc.business_process in FINAL_AFTER_DEPOSIT_MODES and ctx.type_code in DEPOSIT_TYPES:
        yield Hit(("business_process", "type_code"))


@rule(
    "BR-FR-CO-09",
    refs=("BR-FR-CO-09_BT-23-1", "BR-FR-CO-09_BT-23-2", "BR-FR-CO-09_BT-23-3"),
    reads=("business_process", "due_date", *TOTALS_READS),
    french=True,
    fr="Facture déjà payée (B2, S2, M2) : le montant payé doit égaler le total TTC, le net à "
    "payer être nul, et la date d'échéance être la date du paiement.",
    en="Already paid invoice (B2, S2, M2): the paid amount must equal the total with VAT, "
    "the amount due be zero, and the due date be the payment date.",
)
def already_paid(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if doc.business_process not in PAID_MODES:
        return
    totals = ctx.totals
    if doc.prepaid_amount is None or totals.prepaid_amount != totals.tax_inclusive_total:
        yield Hit(("prepaid_amount",), ("BR-FR-CO-09_BT-23-1",))
    if totals.amount_due != 0:
        yield Hit(("prepaid_amount", "rounding_amount"), ("BR-FR-CO-09_BT-23-2",))
    if not doc.due_date:
        yield Hit(("due_date",), ("BR-FR-CO-09_BT-23-3",))


@rule(
    "BR-FR-CO-12_BT-5",
    refs=("BR-FR-CO-12_BT-5",),
    reads=("currency", "vat_accounting_currency", "vat_total_accounting_currency"),
    french=True,
    fr="Facture en devise étrangère : indiquez EUR comme devise de comptabilité TVA et le "
    "montant de TVA en euros.",
    en="Invoice in a foreign currency: set EUR as the VAT accounting currency and give the "
    "VAT total in euros.",
)
def foreign_currency(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    if doc.currency == "EUR":
        return
    if doc.vat_accounting_currency != "EUR" or doc.vat_total_accounting_currency is None:
        yield Hit(("vat_accounting_currency", "vat_total_accounting_currency"))
