"""Where an imported invoice's stated amounts differ from EN 16931's computation.

An import is never silently changed: while its totals basis is unedited, every
output states the file's amounts (`invoicing.totals.compute_totals`), and this
module says, one warning per amount, where those differ from what EN 16931
computes from the same lines, with the likely cause (gross instead of net
price, price precision, rounding...). After an edit of what the totals are
computed from, the amounts are EN 16931's and `import_report` says so.

    report = import_report(document)
    for warning in report.warnings:
        print(warning.line_text())   # "warning: BT-131 line 2: stated 80.00, computed ..."
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from enum import StrEnum
from typing import Any

from invoicing.model import Document, Line, StatedAmounts, StatedVatAmounts
from invoicing.money import CENT, HUNDRED, ZERO, round_amount
from invoicing.totals import Totals, en16931_totals, totals_basis


class Cause(StrEnum):
    """The likely reason a stated amount differs from the computed one."""

    GROSS_PRICE = "gross_price"  # the line amount uses the gross price (BT-148), not BT-146
    PRICE_PRECISION = "price_precision"  # the price was rounded before multiplying
    ROUNDING = "rounding"  # another rounding (mode, or per line), a few cents
    BASE_QUANTITY = "base_quantity"  # the price base quantity (BT-149) was ignored
    SIGN = "sign"  # the same amount with the opposite sign
    CHARGE_SIGN = "charge_sign"  # line charges subtracted, or allowances added
    LINE_AMOUNTS = "line_amounts"  # follows from the stated line amounts
    STATED_AMOUNTS = "stated_amounts"  # follows from other stated amounts
    UNKNOWN = "unknown"


_CAUSE_TEXT: dict[Cause, tuple[str, str]] = {
    Cause.GROSS_PRICE: (
        "gross vs net price: the file computed the line from the gross price (BT-148 {gross}) "
        "where EN 16931 uses the net price (BT-146 {net})",
        "prix brut ou net : le fichier a calculé la ligne sur le prix brut (BT-148 {gross}) "
        "quand EN 16931 prend le prix net (BT-146 {net})",
    ),
    Cause.PRICE_PRECISION: (
        "price precision: the file rounded the price {net} to the cent before multiplying",
        "précision du prix : le fichier a arrondi le prix {net} au centime avant de multiplier",
    ),
    Cause.ROUNDING: (
        "rounding: the file rounds otherwise than EN 16931 (half-up, to the cent, once), "
        "e.g. per line or to whole units",
        "arrondi : le fichier arrondit autrement qu'EN 16931 (au centime le plus proche, une "
        "fois), par exemple par ligne ou à l'unité",
    ),
    Cause.BASE_QUANTITY: (
        "price base quantity: the file ignored BT-149 ({base}) in quantity x price",
        "quantité de base du prix : le fichier a ignoré BT-149 ({base}) dans quantité x prix",
    ),
    Cause.SIGN: (
        "sign: the file states the same amount with the opposite sign",
        "signe : le fichier indique le même montant avec le signe opposé",
    ),
    Cause.CHARGE_SIGN: (
        "allowance or charge sign: the file subtracted the line's charges (BG-28) or added "
        "its allowances (BG-27)",
        "signe d'une remise ou d'une charge : le fichier a soustrait les charges de la ligne "
        "(BG-28) ou ajouté ses remises (BG-27)",
    ),
    Cause.LINE_AMOUNTS: (
        "it follows from the stated line amounts (see the BT-131 warnings)",
        "découle des montants de ligne indiqués (voir les avertissements BT-131)",
    ),
    Cause.STATED_AMOUNTS: (
        "it follows from the other stated amounts above",
        "découle des autres montants indiqués ci-dessus",
    ),
    Cause.UNKNOWN: ("unknown", "inconnue"),
}


@dataclass(frozen=True, slots=True)
class AmountWarning:
    """One stated amount that EN 16931's computation does not reproduce."""

    term: str  # "BT-131", "BT-106", "BT-117"...
    line: int | None  # 1-based line position (BT-131), else None
    line_id: str | None  # BT-126 as written, when the line has one
    vat: str | None  # "S 20" for a VAT breakdown amount (BT-116, BT-117)
    stated: Decimal
    computed: Decimal
    cause: Cause
    details: tuple[tuple[str, str], ...] = ()  # values the cause's text names

    def _where(self) -> str:
        if self.line is not None:
            return f" line {self.line}" + (f" (id {self.line_id})" if self.line_id else "")
        if self.vat is not None:
            return f" VAT {self.vat}"
        return ""

    def cause_text(self, locale: str = "en") -> str:
        english, french = _CAUSE_TEXT[self.cause]
        return (french if locale == "fr" else english).format(**dict(self.details))

    @property
    def message_en(self) -> str:
        return (
            f"{self.term}{self._where()}: stated {self.stated}, computed {self.computed}; "
            f"likely cause: {self.cause_text('en')}"
        )

    @property
    def message_fr(self) -> str:
        where = self._where().replace(" line ", " ligne ").replace(" VAT ", " TVA ")
        return (
            f"{self.term}{where} : indiqué {self.stated}, calculé {self.computed} ; "
            f"cause probable : {self.cause_text('fr')}"
        )

    def line_text(self) -> str:
        """The line `blanche read` prints on stderr."""
        return f"warning: {self.message_en}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "line": self.line,
            "line_id": self.line_id,
            "vat": self.vat,
            "stated": str(self.stated),
            "computed": str(self.computed),
            "cause": self.cause.value,
            "message_en": self.message_en,
            "message_fr": self.message_fr,
        }


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an imported document's amounts are, and where they differ."""

    faithful: bool  # the stated amounts are the document's (its totals basis is unedited)
    warnings: tuple[AmountWarning, ...]
    leftovers: int  # how many values of the file the model could not hold

    @property
    def message_en(self) -> str:
        if self.faithful:
            if not self.warnings:
                return "Imported: its stated amounts are EN 16931's."
            return (
                f"Imported: {len(self.warnings)} stated amount(s) differ from EN 16931's "
                "computation; the document keeps the amounts its file states until you edit "
                "its lines or amounts."
            )
        return "Imported, then edited: the amounts are computed by EN 16931 again."

    @property
    def message_fr(self) -> str:
        if self.faithful:
            if not self.warnings:
                return "Importé : ses montants sont ceux du calcul EN 16931."
            return (
                f"Importé : {len(self.warnings)} montant(s) indiqué(s) diffèrent du calcul "
                "EN 16931 ; le document garde les montants de son fichier tant que vous ne "
                "modifiez ni ses lignes ni ses montants."
            )
        return "Importé puis modifié : les montants sont de nouveau calculés selon EN 16931."

    def as_dict(self) -> dict[str, Any]:
        return {
            "faithful": self.faithful,
            "warnings": [warning.as_dict() for warning in self.warnings],
            "leftovers": self.leftovers,
            "message_en": self.message_en,
            "message_fr": self.message_fr,
        }


def import_report(document: Document) -> ImportReport | None:
    """None for a document that was not imported."""
    imported = document.imported
    if imported is None:
        return None
    if imported.basis != totals_basis(document):
        return ImportReport(False, (), len(imported.leftovers))
    warnings = tuple(amount_warnings(document, imported.stated, en16931_totals(document)))
    return ImportReport(True, warnings, len(imported.leftovers))


def amount_warnings(
    document: Document, stated: StatedAmounts, computed: Totals
) -> Iterator[AmountWarning]:
    """One warning per stated amount `computed` does not reproduce, lines first."""
    differing_lines = False
    for index, (line, line_totals) in enumerate(zip(document.lines, computed.lines, strict=True)):
        amount = stated.line_net_amounts[index] if index < len(stated.line_net_amounts) else None
        if amount is None or amount == line_totals.net_amount:
            continue
        differing_lines = True
        cause, details = _line_cause(line, amount, line_totals.net_amount)
        yield AmountWarning(
            "BT-131", index + 1, line.id, None, amount, line_totals.net_amount, cause, details
        )
    yield from _header_warnings(document, stated, computed, differing_lines)


def _line_cause(
    line: Line, stated: Decimal, computed: Decimal
) -> tuple[Cause, tuple[tuple[str, str], ...]]:
    quantity = line.quantity or ZERO
    net = line.net_price if line.net_price is not None else ZERO
    base = line.base_quantity or Decimal(1)
    adjustments = computed - round_amount(quantity * net / base)  # the line allowances/charges
    if line.gross_price is not None:
        gross = round_amount(quantity * line.gross_price / base)
        if stated in {gross, gross + adjustments}:
            return Cause.GROSS_PRICE, (("gross", str(line.gross_price)), ("net", str(net)))
    if stated == -computed:
        return Cause.SIGN, ()
    if adjustments and stated == computed - 2 * adjustments:
        return Cause.CHARGE_SIGN, ()
    if base != 1 and stated in {
        round_amount(quantity * net) + adjustments,
        round_amount(quantity * net),
    }:
        return Cause.BASE_QUANTITY, (("base", str(base)),)
    if stated == round_amount(quantity * round_amount(net) / base) + adjustments:
        return Cause.PRICE_PRECISION, (("net", str(net)),)
    exact = quantity * net / base
    if any(
        stated == exact.quantize(step, rounding=mode) + adjustments
        for mode in (ROUND_HALF_EVEN, ROUND_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR)
        for step in (CENT, _UNIT)
    ) or stated == round_amount(exact.quantize(_UNIT, rounding=ROUND_HALF_UP) + adjustments):
        return Cause.ROUNDING, ()
    return Cause.UNKNOWN, ()


_UNIT = Decimal(1)
_HEADER_TERMS = (
    ("line_total", "BT-106"),
    ("allowance_total", "BT-107"),
    ("charge_total", "BT-108"),
    ("tax_exclusive_total", "BT-109"),
    ("vat_total", "BT-110"),
    ("tax_inclusive_total", "BT-112"),
    ("amount_due", "BT-115"),
)


def _header_warnings(
    document: Document, stated: StatedAmounts, computed: Totals, differing_lines: bool
) -> Iterator[AmountWarning]:
    earlier = False  # an amount above differs: later ones may follow from it
    for vat in stated.vat_breakdown:
        found = _vat_warnings(document, vat, computed, differing_lines)
        for warning in found:
            earlier = True
            yield warning
    for name, term in _HEADER_TERMS:
        amount = getattr(stated, name)
        value = getattr(computed, name)
        if amount is None or amount == value:
            continue
        if name == "line_total" and differing_lines:
            cause = Cause.LINE_AMOUNTS
        elif _follows_from_stated(name, stated) and (earlier or differing_lines):
            cause = Cause.STATED_AMOUNTS if earlier else Cause.LINE_AMOUNTS
        elif _few_cents(amount - value, document):
            cause = Cause.ROUNDING
        else:
            cause = Cause.UNKNOWN
        earlier = True
        yield AmountWarning(term, None, None, None, amount, value, cause)


def _few_cents(difference: Decimal, document: Document) -> bool:
    """At most a cent per line (or allowance, or charge): rounding done elsewhere."""
    return abs(difference) <= CENT * max(1, len(document.lines) + len(document.allowances_charges))


def _follows_from_stated(name: str, stated: StatedAmounts) -> bool:
    """Is the stated amount `name` what the other stated amounts make it?"""

    def value(field: str) -> Decimal:
        amount = getattr(stated, field)
        return amount if amount is not None else ZERO

    if name == "tax_exclusive_total":
        expected = value("line_total") - value("allowance_total") + value("charge_total")
    elif name == "vat_total":
        expected = sum((v.tax_amount or ZERO for v in stated.vat_breakdown), ZERO)
    elif name == "tax_inclusive_total":
        expected = value("tax_exclusive_total") + value("vat_total")
    elif name == "amount_due":
        expected = value("tax_inclusive_total") - value("prepaid_amount") + value("rounding_amount")
    else:
        return False
    return value(name) == expected


def _vat_label(vat: StatedVatAmounts) -> str:
    rate = "" if vat.rate is None else f" {format(vat.rate.normalize(), 'f')}"
    return f"{vat.category.value}{rate}"


def _vat_warnings(
    document: Document, vat: StatedVatAmounts, computed: Totals, differing_lines: bool
) -> list[AmountWarning]:
    label = _vat_label(vat)
    match = next(
        (
            b
            for b in computed.vat_breakdown
            if b.category is vat.category
            and (b.rate or ZERO).normalize() == (vat.rate or ZERO).normalize()
        ),
        None,
    )
    found: list[AmountWarning] = []
    basis = match.taxable_amount if match else ZERO
    tax = match.tax_amount if match else ZERO
    basis_differs = vat.taxable_amount is not None and vat.taxable_amount != basis
    if basis_differs:
        assert vat.taxable_amount is not None
        if differing_lines:
            cause = Cause.LINE_AMOUNTS
        elif _few_cents(vat.taxable_amount - basis, document):
            cause = Cause.ROUNDING  # the official rules allow BT-116 within 1.00 of its sum
        else:
            cause = Cause.UNKNOWN
        found.append(AmountWarning("BT-116", None, None, label, vat.taxable_amount, basis, cause))
    if vat.tax_amount is not None and vat.tax_amount != tax:
        rate = vat.rate or ZERO
        taxable = vat.taxable_amount if vat.taxable_amount is not None else basis
        from_stated = taxable * rate / HUNDRED
        if basis_differs and vat.tax_amount == round_amount(from_stated):
            cause = Cause.STATED_AMOUNTS
        elif (
            vat.tax_amount == from_stated.quantize(_UNIT, rounding=ROUND_HALF_UP)
            or _per_line_vat(document, vat) == vat.tax_amount
            or _few_cents(vat.tax_amount - tax, document)
        ):
            cause = Cause.ROUNDING
        else:
            cause = Cause.UNKNOWN
        found.append(AmountWarning("BT-117", None, None, label, vat.tax_amount, tax, cause))
    return found


def _per_line_vat(document: Document, vat: StatedVatAmounts) -> Decimal | None:
    """The VAT of the category when rounded per line and summed (a common convention)."""
    if vat.rate is None:
        return None
    lines = [line for line in document.lines if line.vat_category is vat.category]
    if not lines:
        return None
    totals = en16931_totals(document.model_copy(update={"lines": lines, "allowances_charges": []}))
    return sum((round_amount(item.net_amount * vat.rate / HUNDRED) for item in totals.lines), ZERO)
