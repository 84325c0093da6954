"""How large the numbers of a document may be: digits before and after the point.

The model keeps what the XML can say after the point (amounts 2, quantities 4, unit
prices 6 decimals); these bounds limit the digits before it. Amounts stay below
10^13 (ten trillion): above that the official validators, which add amounts as
xs:double (about 15 significant digits), report errors on correct totals
(invoicing/rules/precision.py), and the PDF's columns would not hold them. A
quantity or a unit price has room for any real invoice; their product, the line's
amount, must still fit the amount bound.

The same bounds, the same messages, everywhere: the REST API refuses a document
beyond them (422 on the field), `blanche render` refuses it, and the editor (and
`blanche validate`) show rule `BL-BOUNDS` on the field; a draft stored before the
bounds existed still opens, formats and renders (formatting never raises).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from invoicing.field_errors import FieldError
from invoicing.model import Document
from invoicing.totals import Totals


@dataclass(frozen=True, slots=True)
class Bound:
    kind: str  # "amount", "quantity", "unit_price"
    integer_digits: int
    decimals: int

    @property
    def limit(self) -> Decimal:
        return _LIMITS[self.integer_digits]

    def holds(self, value: Decimal) -> bool:
        return -_LIMITS[self.integer_digits] < value < _LIMITS[self.integer_digits]


_LIMITS = {digits: Decimal(10) ** digits for digits in range(1, 19)}  # checked per line


AMOUNT = Bound("amount", 13, 2)
QUANTITY = Bound("quantity", 10, 4)
UNIT_PRICE = Bound("unit_price", 11, 6)
BASE_QUANTITY = Bound("quantity", 10, 6)

_LINE_FIELDS = (
    ("quantity", QUANTITY),
    ("net_price", UNIT_PRICE),
    ("gross_price", UNIT_PRICE),
    ("price_discount", UNIT_PRICE),
    ("base_quantity", BASE_QUANTITY),
    ("gross_base_quantity", BASE_QUANTITY),
)
_CHARGE_FIELDS = (("amount", AMOUNT), ("base_amount", AMOUNT))
_DOCUMENT_FIELDS = (
    ("prepaid_amount", AMOUNT),
    ("rounding_amount", AMOUNT),
    ("vat_total_accounting_currency", AMOUNT),
)

MESSAGES = {
    "amount": (
        "Montant trop grand : au plus 13 chiffres avant la virgule et 2 après.",
        "Amount too large: at most 13 digits before the decimal point and 2 after.",
    ),
    "quantity": (
        "Quantité trop grande : au plus 10 chiffres avant la virgule.",
        "Quantity too large: at most 10 digits before the decimal point.",
    ),
    "unit_price": (
        "Prix trop grand : au plus 11 chiffres avant la virgule et 6 après.",
        "Price too large: at most 11 digits before the decimal point and 6 after.",
    ),
    "line_amount": (
        "Le montant de la ligne (quantité × prix) dépasse 13 chiffres avant la virgule.",
        "The line's amount (quantity × price) exceeds 13 digits before the decimal point.",
    ),
    "total": (
        "Le total du document dépasse 13 chiffres avant la virgule : scindez-le.",
        "The document's total exceeds 13 digits before the decimal point: split it.",
    ),
}


@dataclass(frozen=True, slots=True)
class OutOfBounds:
    field: str
    kind: str  # a key of MESSAGES

    def message(self, locale: str = "en") -> str:
        french, english = MESSAGES[self.kind]
        return french if locale.startswith("fr") else english

    def error(self, locale: str = "en") -> FieldError:
        return FieldError(self.field, self.message(locale))


# (field, kind, low, high): the bounds as `_typed` reads them, open at both ends,
# with no method call or look-up per value (it checks every line of every create).
_Check = tuple[str, str, Decimal, Decimal]


def _checks(fields: tuple[tuple[str, Bound], ...]) -> tuple[_Check, ...]:
    return tuple((name, bound.kind, -bound.limit, bound.limit) for name, bound in fields)


_LINE_CHECKS = _checks(_LINE_FIELDS)
_CHARGE_CHECKS = _checks(_CHARGE_FIELDS)
_DOCUMENT_CHECKS = _checks(_DOCUMENT_FIELDS)
_AMOUNT_LOW, _AMOUNT_HIGH = -AMOUNT.limit, AMOUNT.limit


def _typed(document: Document) -> Iterator[OutOfBounds]:
    for index, line in enumerate(document.lines):
        for name, kind, low, high in _LINE_CHECKS:
            value = getattr(line, name)
            if value is not None and not low < value < high:
                yield OutOfBounds(f"lines[{index}].{name}", kind)
        for at, item in enumerate(line.allowances_charges):
            for name, _, low, high in _CHARGE_CHECKS:
                value = getattr(item, name)
                if value is not None and not low < value < high:
                    yield OutOfBounds(f"lines[{index}].allowances_charges[{at}].{name}", "amount")
    for at, item in enumerate(document.allowances_charges):
        for name, _, low, high in _CHARGE_CHECKS:
            value = getattr(item, name)
            if value is not None and not low < value < high:
                yield OutOfBounds(f"allowances_charges[{at}].{name}", "amount")
    for name, _, low, high in _DOCUMENT_CHECKS:
        value = getattr(document, name)
        if value is not None and not low < value < high:
            yield OutOfBounds(name, "amount")


def out_of_bounds(document: Document, totals: Totals) -> list[OutOfBounds]:
    """Every typed value beyond its bound, then every computed amount beyond the
    amount bound (a line's amount on its quantity, the totals on the lines)."""
    found = list(_typed(document))
    typed_lines = {f.field.split(".", 1)[0] for f in found}
    for index, line_totals in enumerate(totals.lines):
        if (
            not (
                _AMOUNT_LOW < line_totals.gross_amount < _AMOUNT_HIGH
                and _AMOUNT_LOW < line_totals.net_amount < _AMOUNT_HIGH
            )
            and f"lines[{index}]" not in typed_lines
        ):
            found.append(OutOfBounds(f"lines[{index}].quantity", "line_amount"))
    if not found:
        amounts = (totals.line_total, totals.tax_exclusive_total, totals.tax_inclusive_total)
        if not all(AMOUNT.holds(amount) for amount in (*amounts, totals.amount_due)):
            found.append(OutOfBounds("lines", "total"))
    return found
