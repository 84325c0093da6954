"""Deposit invoices (factures d'acompte), the part that needs no storage: the lines
of a deposit asked as an amount incl. VAT, shared by the VAT groups it is asked on,
and the billing modes (BT-23) of deposits and of final invoices after deposits.

A deposit invoice's billing mode is the standard one (B1/S1/M1); a final invoice
that deducts deposits takes the "final invoice after deposit" variant of its letter
(B4/S4/M4: the values BR-FR-08 accepts for it).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from invoicing.model import Document, DocumentKind, Line, Party, VatCategory
from invoicing.money import CENT, HUNDRED, ZERO, round_amount
from invoicing.totals import VatBreakdown, compute_totals

STANDARD_MODE, FINAL_AFTER_DEPOSIT_MODE = "1", "4"


def billing_mode(document: Document, digit: str) -> str:
    letter = (document.business_process or "")[:1]
    return (letter if letter in {"B", "S", "M"} else "S") + digit


def _net_for(gross: Decimal, rate: Decimal) -> Decimal:
    """The net amount whose VAT at `rate` brings it to `gross`, to the cent when one exists."""
    guess = round_amount(gross * HUNDRED / (HUNDRED + rate))
    for net in (guess, guess - CENT, guess + CENT):
        if net + round_amount(net * rate / HUNDRED) == gross:
            return net
    return guess


def _split(total: Decimal, groups: Sequence[VatBreakdown]) -> list[tuple[VatBreakdown, Decimal]]:
    """`total` (incl. VAT) shared by the groups in proportion of their amounts incl. VAT."""
    weights = [g.taxable_amount + g.tax_amount for g in groups]
    whole = sum(weights, ZERO)
    shares: list[tuple[VatBreakdown, Decimal]] = []
    given = ZERO
    for index, (group, weight) in enumerate(zip(groups, weights, strict=True)):
        last = index == len(groups) - 1
        share = total - given if last else round_amount(total * weight / whole)
        given += share
        shares.append((group, share))
    return shares


def deposit_lines(total: Decimal, groups: Sequence[VatBreakdown], label: str) -> list[Line]:
    """One line per VAT group; a group whose share no net amount reaches to the cent
    passes the cent on to the next one."""
    lines = []
    carried = ZERO
    for group, share in _split(total, groups):
        rate = group.rate if group.rate is not None else ZERO
        net = _net_for(share + carried, rate)
        carried = share + carried - (net + round_amount(net * rate / HUNDRED))
        suffix = f" (TVA {rate.normalize():f} %)" if len(groups) > 1 else ""
        lines.append(
            Line(
                name=label + suffix,
                quantity=Decimal(1),
                unit="C62",
                net_price=net,
                vat_category=group.category,
                vat_rate=group.rate,
                vat_exemption_reason=group.exemption_reason,
                vat_exemption_reason_code=group.exemption_reason_code,
            )
        )
    return lines


def default_groups(rate: Decimal) -> list[VatBreakdown]:
    return [VatBreakdown(VatCategory.STANDARD, rate, Decimal(1), ZERO, None, None)]


def deposit_document(
    base: Document, amount: Decimal, groups: Sequence[VatBreakdown], label: str
) -> Document:
    """The deposit invoice asking `amount` (incl. VAT) shared by `groups`, with the
    parties and terms of `base` (a quote, or a draft with its customer)."""
    updates: dict[str, Any] = {
        "kind": DocumentKind.DEPOSIT_INVOICE,
        "type_code": None,
        "number": None,
        "issue_date": None,
        "due_date": None,
        "payment_reference": None,
        "preceding_invoices": [],
        "allowances_charges": [],
        "prepaid_amount": None,
        "rounding_amount": None,
        "lines": deposit_lines(amount, groups, label),
        "business_process": billing_mode(base, STANDARD_MODE),
    }
    document = Document.model_validate(base.model_copy(update=updates).model_dump())
    # Some amounts incl. VAT no net amount reaches (at 20 %, 85.05: 70.87 -> 85.04, 70.88 ->
    # 85.06): the cent left over is the BT-114 rounding amount, so the deposit is what was asked.
    reached = compute_totals(document).amount_due
    if reached != amount:
        document = document.model_copy(update={"rounding_amount": amount - reached})
    return document


def _digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def _compact(text: str | None) -> str:
    return "".join((text or "").split()).upper()


def _name(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def same_buyer(a: Party, b: Party) -> bool:
    """Whether two documents are made out to the same customer, as far as the parties
    say: the same SIREN (or SIRET's first 9 digits) when both have one, else the same
    VAT number when both have one, else the same name (case and spaces aside)."""
    siren_a = _digits(a.siren) or _digits(a.siret)[:9]
    siren_b = _digits(b.siren) or _digits(b.siret)[:9]
    if siren_a and siren_b:
        return siren_a == siren_b
    vat_a, vat_b = _compact(a.vat_id), _compact(b.vat_id)
    if vat_a and vat_b:
        return vat_a == vat_b
    name_a, name_b = _name(a.name), _name(b.name)
    return bool(name_a) and name_a == name_b
