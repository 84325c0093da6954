"""The VAT category families of EN 16931, as one table: each family's category,
the parties and rate it needs, and which of the -01..-10 rules apply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from invoicing.rules.engine import Context

PARTIES = (
    "seller.vat_id",
    "seller.tax_registration",
    "buyer.vat_id",
    "buyer.siren",
    "buyer.legal_registration",
    "tax_representative.vat_id",
)

RateTest = Callable[[Decimal | None], bool]

# Factur-X EXTENDED recomputes each standard-rated breakdown per rate; with no
# rate, both of its tests fail along with BR-S-09.
EXTENDED_NO_RATE = ("BR-FXEXT-S08b", "BR-FXEXT-S-09b")


def _positive(rate: Decimal | None) -> bool:
    return rate is not None and rate > 0


def _zero(rate: Decimal | None) -> bool:
    return rate is not None and rate == 0


def _not_negative(rate: Decimal | None) -> bool:
    return rate is not None and rate >= 0


def _absent(rate: Decimal | None) -> bool:
    return rate is None


def _seller_registered(ctx: Context) -> bool:
    return ctx.seller_va or ctx.seller_fc or ctx.representative_va


def _seller_va(ctx: Context) -> bool:
    return ctx.seller_va or ctx.representative_va


def _reverse_charge(ctx: Context) -> bool:
    return _seller_registered(ctx) and (ctx.buyer_va or ctx.buyer_legal_id)


def _intra_community(ctx: Context) -> bool:
    return _seller_va(ctx) and ctx.buyer_va


def _not_subject(ctx: Context) -> bool:
    return not ctx.seller_va and not ctx.representative_va and not ctx.buyer_va


@dataclass(frozen=True)
class Family:
    prefix: str  # "BR-S"
    category: str  # "S"
    name_fr: str
    name_en: str
    parties: Callable[[Context], bool]
    parties_fr: str
    parties_en: str
    rate: RateTest
    rate_fr: str
    rate_en: str
    exactly_one_breakdown: bool  # -01 in its Z/E/AE/K/G/O form
    basis: str  # -08: "computed" (cannot fail), "tolerance" (±1) or "exact"
    tax_zero: bool  # -09 requires a zero tax amount (S: rate × basis)
    needs_reason: bool | None  # -10: True needs one, False forbids one, None: no rule
    has_09: bool = True

    def the_fr(self, *, start: bool = False) -> str:
        """The name with its article: "l'exonération de TVA", "le taux zéro"."""
        if self.name_fr[:1].lower() in "aeéiou":
            named = f"l'{self.name_fr}"
        else:
            named = f"{'le' if self.name_fr in _MASCULINE_FR else 'la'} {self.name_fr}"
        return named[:1].upper() + named[1:] if start else named


_MASCULINE_FR = frozenset({"taux zéro"})


_REGISTERED_FR = "un numéro de TVA (ou un identifiant fiscal) du vendeur ou de son représentant"
_REGISTERED_EN = "a VAT number (or tax registration) of the seller or its tax representative"

FAMILIES = (
    Family(
        "BR-S", "S", "TVA au taux normal", "standard-rated VAT",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _positive, "un taux supérieur à 0", "a rate above 0",
        exactly_one_breakdown=False, basis="computed", tax_zero=False, needs_reason=False,
    ),
    Family(
        "BR-Z", "Z", "taux zéro", "zero-rated VAT",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=False,
    ),
    Family(
        "BR-E", "E", "exonération de TVA", "VAT exemption",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-AE", "AE", "autoliquidation", "reverse charge",
        _reverse_charge,
        "un numéro de TVA du vendeur et un numéro de TVA ou SIREN du client",
        "a VAT number of the seller and a VAT number or SIREN of the customer",
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-IC", "K", "livraison intracommunautaire", "intra-community supply",
        _intra_community,
        "les numéros de TVA du vendeur et du client",
        "the VAT numbers of the seller and of the customer",
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-G", "G", "exportation hors UE", "export outside the EU",
        _seller_va,
        "un numéro de TVA du vendeur ou de son représentant",
        "a VAT number of the seller or its tax representative",
        _zero, "un taux de 0", "a rate of 0",
        exactly_one_breakdown=True, basis="tolerance", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-O", "O", "opération hors champ de la TVA", "supply not subject to VAT",
        _not_subject,
        "qu'aucun numéro de TVA (vendeur, représentant, client) ne soit indiqué",
        "that no VAT number (seller, representative, customer) is given",
        _absent, "aucun taux", "no rate",
        exactly_one_breakdown=True, basis="exact", tax_zero=True, needs_reason=True,
    ),
    Family(
        "BR-AF", "L", "IGIC (îles Canaries)", "IGIC (Canary Islands)",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _positive, "un taux supérieur à 0", "a rate above 0",
        exactly_one_breakdown=False, basis="computed", tax_zero=False, needs_reason=False,
        has_09=False,
    ),
    Family(
        "BR-AG", "M", "IPSI (Ceuta et Melilla)", "IPSI (Ceuta and Melilla)",
        _seller_registered, _REGISTERED_FR, _REGISTERED_EN,
        _not_negative, "un taux positif ou nul", "a rate of 0 or more",
        exactly_one_breakdown=False, basis="computed", tax_zero=False, needs_reason=False,
        has_09=False,
    ),
)  # fmt: skip
