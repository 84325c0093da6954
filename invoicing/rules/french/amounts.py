"""BR-FR rules on VAT categories, rates and number formats. Checked with the
French option."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from invoicing.cii.names import format_amount, format_number
from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule
from invoicing.rules.french.codes import (
    FR_VAT_CATEGORIES,
    FR_VAT_RATES,
    SELF_BILLED_MULTI_MODES,
    rate_text,
)
from invoicing.rules.xpath import (
    valid_decimal_19_2,
    valid_decimal_19_4,
    valid_decimal_19_6,
    valid_percent_4_2,
)

FAMILY = "french"

# Magnitudes below which the written number cannot break the BR-FR digit limits
# (the model's decimal places keep the rest in bounds): skip formatting them.
_AMOUNT_SAFE = Decimal(10) ** 16
_QUANTITY_SAFE = Decimal(10) ** 14
_PRICE_SAFE = Decimal(10) ** 12


def _quantity_ok(quantity: Decimal) -> bool:
    if abs(quantity) < _QUANTITY_SAFE and quantity.as_tuple().exponent >= -4:  # type: ignore[operator]
        return True
    return valid_decimal_19_4(format_number(quantity))


def _price_ok(price: Decimal, signed: bool) -> bool:
    if 0 <= price < _PRICE_SAFE and price.as_tuple().exponent >= -6:  # type: ignore[operator]
        return True
    return valid_decimal_19_6(format_number(price), positive=not signed)


# --- VAT categories and rates ----------------------------------------------------------


@rule(
    "BR-FR-15",
    refs=(
        "BR-FR-15_BT-95_BT-102",
        "BR-FR-15_BT-95_BT-102_LM",
        "BR-FR-15_BT-95_BT-118",
        "BR-FR-15_BT-95_BT-118_LM",
        "BR-FR-15_BT-95_BT-151",
        "BR-FR-15_BT-95_BT-151_LM",
    ),
    reads=("lines.vat_category", "allowances_charges"),
    french=True,
    fr="Les catégories de TVA L (IGIC) et M (IPSI) ne s'appliquent pas en France.",
    en="VAT categories L (IGIC) and M (IPSI) do not apply in France.",
)
def french_vat_category(ctx: Context) -> Iterator[Hit]:
    breakdown_fields: list[str] = []
    for index, line in enumerate(ctx.doc.lines):
        if line.vat_category.value not in FR_VAT_CATEGORIES:
            path = f"lines[{index}].vat_category"
            breakdown_fields.append(path)
            yield Hit((path,), ("BR-FR-15_BT-95_BT-151", "BR-FR-15_BT-95_BT-151_LM"))
    for index, item in enumerate(ctx.doc.allowances_charges):
        if (item.vat_category or "S") not in FR_VAT_CATEGORIES:
            path = f"allowances_charges[{index}].vat_category"
            breakdown_fields.append(path)
            yield Hit((path,), ("BR-FR-15_BT-95_BT-102", "BR-FR-15_BT-95_BT-102_LM"))
    for group in ctx.vat_groups:
        if group.category not in FR_VAT_CATEGORIES:
            yield Hit(
                group.fields("vat_category") or tuple(breakdown_fields) or ("lines",),
                ("BR-FR-15_BT-95_BT-118", "BR-FR-15_BT-95_BT-118_LM"),
            )


@rule(
    "BR-FR-16",
    refs=("BR-FR-16_BT-152", "BR-FR-16_BT-119", "BR-FR-16_BT-96_BT-103"),
    reads=TOTALS_READS,
    french=True,
    fr="Le taux de TVA {rate} % n'existe pas en France (20, 10, 5,5, 2,1, 0 ; "
    "8,5, 13, 1,75, 1,05, 0,9 outre-mer ; 9,2, 9,6, 7, 19,6... pour les "
    "corrections d'anciens taux).",
    en="VAT rate {rate}% does not exist in France (20, 10, 5.5, 2.1, 0; 8.5, 13, 1.75, "
    "1.05, 0.9 overseas; 9.2, 9.6, 7, 19.6... to correct former rates).",
)
def french_vat_rate(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        text = rate_text(line.vat_rate)
        if text and text not in FR_VAT_RATES:
            yield Hit((f"lines[{index}].vat_rate",), ("BR-FR-16_BT-152",), {"rate": text})
    for index, item in enumerate(ctx.doc.allowances_charges):
        text = rate_text(item.vat_rate)
        if text and text not in FR_VAT_RATES:
            yield Hit(
                (f"allowances_charges[{index}].vat_rate",),
                ("BR-FR-16_BT-96_BT-103",),
                {"rate": text},
            )
    for group in ctx.vat_groups:
        text = rate_text(group.breakdown.rate)
        if text and text not in FR_VAT_RATES:
            yield Hit(group.fields("vat_rate", "vat_rate"), ("BR-FR-16_BT-119",), {"rate": text})


@rule(
    "BR-FR-DEC-04",
    refs=("BR-FR-DEC-04_BT-152", "BR-FR-DEC-04_BT-119", "BR-FR-DEC-04_BT-96_BT-103"),
    reads=TOTALS_READS,
    french=True,
    fr="Le taux de TVA doit être positif, avec au plus 2 décimales.",
    en="The VAT rate must be positive, with at most 2 decimals.",
)
def rate_format(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        text = rate_text(line.vat_rate)
        if text and not valid_percent_4_2(text):
            yield Hit((f"lines[{index}].vat_rate",), ("BR-FR-DEC-04_BT-152",))
    for index, item in enumerate(ctx.doc.allowances_charges):
        text = rate_text(item.vat_rate)
        if text and not valid_percent_4_2(text):
            yield Hit((f"allowances_charges[{index}].vat_rate",), ("BR-FR-DEC-04_BT-96_BT-103",))
    for group in ctx.vat_groups:
        text = rate_text(group.breakdown.rate)
        if text and not valid_percent_4_2(text):
            yield Hit(group.fields("vat_rate", "vat_rate"), ("BR-FR-DEC-04_BT-119",))


# --- number formats ----------------------------------------------------------------------


@rule(
    "BR-FR-DEC-01",
    refs=(
        "BR-FR-DEC-01_BT-92_BT-99",
        "BR-FR-DEC-01_BT-93_BT-100",
        "BR-FR-DEC-01_BT-106",
        "BR-FR-DEC-01_BT-107",
        "BR-FR-DEC-01_BT-108",
        "BR-FR-DEC-01_BT-109",
        "BR-FR-DEC-01_BT-110",
        "BR-FR-DEC-01_BT-112",
        "BR-FR-DEC-01_BT-113",
        "BR-FR-DEC-01_BT-114",
        "BR-FR-DEC-01_BT-115",
        "BR-FR-DEC-01_BT-116",
        "BR-FR-DEC-01_BT-117",
        "BR-FR-DEC-01_BT-131",
        "BR-FR-DEC-01_BT-136_BT-141",
        "BR-FR-DEC-01_BT-137_BT-142",
    ),
    reads=TOTALS_READS,
    french=True,
    fr="Montant trop grand : 19 chiffres au plus (signe compris).",
    en="Amount too large: 19 digits at most (sign included).",
)
def amount_digits(ctx: Context) -> Iterator[Hit]:
    doc, totals = ctx.doc, ctx.totals

    def bad(amount: Decimal) -> bool:
        # Below 10^16 an amount written with 2 decimals has at most 19 characters.
        return abs(amount) >= _AMOUNT_SAFE and not valid_decimal_19_2(format_amount(amount))

    for index, (amount, base) in enumerate(
        zip(totals.allowance_charge_amounts, totals.allowance_charge_bases, strict=True)
    ):
        if bad(amount):
            yield Hit((f"allowances_charges[{index}].amount",), ("BR-FR-DEC-01_BT-92_BT-99",))
        if base is not None and bad(base):
            yield Hit((f"allowances_charges[{index}].base_amount",), ("BR-FR-DEC-01_BT-93_BT-100",))
    header = [
        ("BT-106", totals.line_total),
        ("BT-109", totals.tax_exclusive_total),
        ("BT-112", totals.tax_inclusive_total),
        ("BT-115", totals.amount_due),
    ]
    if doc.allowances_charges:
        header += [("BT-107", totals.allowance_total), ("BT-108", totals.charge_total)]
    if doc.prepaid_amount is not None:
        header.append(("BT-113", totals.prepaid_amount))
    if doc.rounding_amount is not None:
        header.append(("BT-114", totals.rounding_amount))
    # The BT-110 and BT-111 asserts share a context: only BT-110 ever fires,
    # for either TaxTotalAmount element.
    tax_totals = [("lines", totals.vat_total)]
    accounting = doc.vat_accounting_currency
    if (
        accounting
        and accounting != doc.currency
        and totals.vat_total_accounting_currency is not None
    ):
        tax_totals.append(("vat_total_accounting_currency", totals.vat_total_accounting_currency))
    for path, amount in tax_totals:
        if bad(amount):
            yield Hit((path,), ("BR-FR-DEC-01_BT-110",))
    for term, amount in header:
        if bad(amount):
            yield Hit(("lines",), (f"BR-FR-DEC-01_{term}",))
    for group in ctx.vat_groups:
        refs = []
        if bad(group.breakdown.taxable_amount):
            refs.append("BR-FR-DEC-01_BT-116")
        if bad(group.breakdown.tax_amount):
            refs.append("BR-FR-DEC-01_BT-117")
        if refs:
            yield Hit(group.fields("quantity", "amount"), tuple(refs))
    for index, line_totals in enumerate(totals.lines):
        if bad(line_totals.net_amount):
            yield Hit((f"lines[{index}].quantity",), ("BR-FR-DEC-01_BT-131",))
        for position, (amount, base) in enumerate(
            zip(
                line_totals.allowance_charge_amounts,
                line_totals.allowance_charge_bases,
                strict=True,
            )
        ):
            path = f"lines[{index}].allowances_charges[{position}]"
            if bad(amount):
                yield Hit((f"{path}.amount",), ("BR-FR-DEC-01_BT-136_BT-141",))
            if base is not None and bad(base):
                yield Hit((f"{path}.base_amount",), ("BR-FR-DEC-01_BT-137_BT-142",))


@rule(
    "BR-FR-DEC-02",
    refs=("BR-FR-DEC-02_BT-129", "BR-FR-DEC-02_BT-149"),
    reads=("lines.quantity", "lines.base_quantity"),
    french=True,
    fr="Ligne {line} : quantité invalide (4 décimales et 19 chiffres au plus).",
    en="Line {line}: invalid quantity (at most 4 decimals and 19 digits).",
)
def quantity_format(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        quantity = line.quantity if line.quantity is not None else Decimal(0)
        if not _quantity_ok(quantity):
            yield Hit((f"lines[{index}].quantity",), ("BR-FR-DEC-02_BT-129",), {"line": index + 1})
        if line.base_quantity is not None and not _quantity_ok(line.base_quantity):
            yield Hit(
                (f"lines[{index}].base_quantity",),
                ("BR-FR-DEC-02_BT-149",),
                {"line": index + 1},
            )


@rule(
    "BR-FR-DEC-03",
    refs=("BR-FR-DEC-03_BT-146", "BR-FR-DEC-03_BT-147", "BR-FR-DEC-03_BT-148"),
    reads=("lines.net_price", "lines.gross_price", "lines.price_discount", "business_process"),
    french=True,
    fr="Ligne {line} : prix invalide (positif, 6 décimales et 19 chiffres au plus).",
    en="Line {line}: invalid price (positive, at most 6 decimals and 19 digits).",
)
def price_format(ctx: Context) -> Iterator[Hit]:
    signed = ctx.doc.business_process in SELF_BILLED_MULTI_MODES
    for index, line in enumerate(ctx.doc.lines):
        prices = [("net_price", "BT-146", line.net_price or Decimal(0))]
        if line.gross_price is not None:
            prices.append(("gross_price", "BT-148", line.gross_price))
            if line.price_discount is not None:
                prices.append(("price_discount", "BT-147", line.price_discount))
        for path, term, price in prices:
            if not _price_ok(price, signed):
                yield Hit(
                    (f"lines[{index}].{path}",),
                    (f"BR-FR-DEC-03_{term}",),
                    {"line": index + 1},
                )
