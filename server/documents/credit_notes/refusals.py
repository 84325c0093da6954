"""The refusals of credit notes: more than is left to credit, a credited part changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from server.problems import Refusal


def exceeds(
    detail: tuple[str, str], errors: Sequence[tuple[str, str, str]], left: dict[str, Any]
) -> Refusal:
    return Refusal(
        422,
        "credit_exceeds_invoice",
        "More than what is left to credit",
        *detail,
        errors=errors,
        extra={"left_to_credit": left},
    )


def changed() -> Refusal:
    return Refusal(
        422,
        "credit_note_changed",
        "The credited lines cannot change",
        "This credit note credits the lines and quantities chosen when it was made from its "
        "invoice (lines, allowances and charges, prepaid and rounding amounts, currency, "
        "invoice reference). Delete it and make another to credit otherwise.",
        "Cet avoir crédite les lignes et quantités choisies à sa création depuis la facture "
        "(lignes, remises et frais, acompte déduit, arrondi, devise, référence de la facture). "
        "Supprimez-le et faites-en un autre pour créditer autre chose.",
        errors=[
            (
                "lines",
                "lines and quantities come from the invoice",
                "les lignes et quantités viennent de la facture",
            )
        ],
    )
