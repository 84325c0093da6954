"""EN 16931 core rules on the lines: names, prices, periods, and the reasons of
allowances and charges (the document's and each line's)."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.rules.engine import Context, Hit, rule

_AGREEMENT = "ApplicableHeaderTradeAgreement"

FAMILY = "core"


@rule(
    "BR-25",
    refs=("BR-25",),
    reads=("lines.name",),
    fr="Ligne {line} : indiquez la désignation de l'article ou de la prestation.",
    en="Line {line}: enter the name of the item or service.",
    quotes=True,
)
def line_name(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if not line.name:
            yield Hit((f"lines[{index}].name",), params={"line": index + 1})


@rule(
    "BR-27",
    refs=("BR-27",),
    reads=("lines.net_price",),
    fr="Ligne {line} : le prix unitaire ne peut pas être négatif ; "
    "pour une remise, utilisez une remise ou une quantité négative.",
    en="Line {line}: the unit price cannot be negative; "
    "for a discount use an allowance or a negative quantity.",
    quotes=True,
)
def net_price_not_negative(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if line.net_price is not None and line.net_price < 0:
            yield Hit((f"lines[{index}].net_price",), params={"line": index + 1})


@rule(
    "BR-28",
    refs=("BR-28",),
    reads=("lines.gross_price",),
    fr="Ligne {line} : le prix brut ne peut pas être négatif.",
    en="Line {line}: the gross price cannot be negative.",
    quotes=True,
)
def gross_price_not_negative(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if line.gross_price is not None and line.gross_price < 0:
            yield Hit((f"lines[{index}].gross_price",), params={"line": index + 1})


@rule(
    "BR-29",
    refs=("BR-29",),
    reads=("invoicing_period",),
    fr="La fin de la période de facturation précède son début.",
    en="The invoicing period ends before it starts.",
)
def invoicing_period_order(ctx: Context) -> Iterator[Hit]:
    period = ctx.doc.invoicing_period
    if period and period.start and period.end and period.end < period.start:
        yield Hit(("invoicing_period.start", "invoicing_period.end"))


@rule(
    "BR-30",
    refs=("BR-30",),
    reads=("lines.period",),
    fr="Ligne {line} : la fin de la période précède son début.",
    en="Line {line}: the period ends before it starts.",
)
def line_period_order(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        period = line.period
        if period and period.start and period.end and period.end < period.start:
            yield Hit(
                (f"lines[{index}].period.start", f"lines[{index}].period.end"),
                params={"line": index + 1},
            )


@rule(
    "BR-33",
    refs=("BR-33", "BR-CO-21"),
    reads=("allowances_charges",),
    fr="Remise {number} : indiquez son motif (texte ou code).",
    en="Allowance {number}: give its reason (text or code).",
)
def allowance_reason(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.allowances_charges):
        if not item.is_charge and not item.reason and not item.reason_code:
            yield Hit((f"allowances_charges[{index}].reason",), params={"number": index + 1})


@rule(
    "BR-38",
    refs=("BR-38", "BR-CO-22"),
    reads=("allowances_charges",),
    fr="Frais {number} : indiquez leur motif (texte ou code).",
    en="Charge {number}: give its reason (text or code).",
)
def charge_reason(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.allowances_charges):
        if item.is_charge and not item.reason and not item.reason_code:
            yield Hit((f"allowances_charges[{index}].reason",), params={"number": index + 1})


@rule(
    "BR-42",
    refs=("BR-42", "BR-CO-23"),
    reads=("lines.allowances_charges",),
    fr="Ligne {line} : indiquez le motif de la remise (texte ou code).",
    en="Line {line}: give the reason of the allowance (text or code).",
)
def line_allowance_reason(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        for position, item in enumerate(line.allowances_charges):
            if not item.is_charge and not item.reason and not item.reason_code:
                yield Hit(
                    (f"lines[{index}].allowances_charges[{position}].reason",),
                    params={"line": index + 1},
                )


@rule(
    "BR-44",
    refs=("BR-44", "BR-CO-24"),
    reads=("lines.allowances_charges",),
    fr="Ligne {line} : indiquez le motif des frais (texte ou code).",
    en="Line {line}: give the reason of the charge (text or code).",
)
def line_charge_reason(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        for position, item in enumerate(line.allowances_charges):
            if item.is_charge and not item.reason and not item.reason_code:
                yield Hit(
                    (f"lines[{index}].allowances_charges[{position}].reason",),
                    params={"line": index + 1},
                )
