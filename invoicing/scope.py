"""The French e-invoicing reform's scope of a document, read from its parties.

- `e_invoicing`: seller and buyer are businesses established in France (the buyer
  is identified by its SIREN): the invoice goes through the plateformes agréées and
  the BR-FR Flux 2 rules apply.
- `b2g`: the buyer is a French public entity (Chorus Pro); BR-FR applies too.
- `e_reporting`: the buyer is a private person (B2C) or is established outside
  France (or the seller is): outside e-invoicing, the transaction is reported in
  aggregate instead. BR-FR does not apply; the document is still a valid Factur-X
  EN 16931 invoice.

Sources and the reasoning: docs/decisions.md ("The reform's scope of a document").
"""

from __future__ import annotations

from enum import StrEnum

from invoicing.model import Document

# Fields the scope is read from: an edit of one of them may change which rules apply.
SCOPE_READS = (
    "seller.address.country",
    "buyer.address.country",
    "buyer.public_sector",
    "buyer.private_person",
)


class Scope(StrEnum):
    E_INVOICING = "e_invoicing"
    B2G = "b2g"
    E_REPORTING = "e_reporting"

    @property
    def french_rules(self) -> bool:
        """Whether the BR-FR Flux 2 rules (fast and official) apply."""
        return self is not Scope.E_REPORTING


def _in_france(country: str | None) -> bool:
    # No country yet: a draft being typed; the rules then say the country is missing.
    return country in (None, "FR")


def scope_of(document: Document) -> Scope:
    """The document's scope. A buyer that is not marked as a private person and is
    in France is a business: e-invoicing, whose rules then ask for its SIREN
    (a business buyer without one must not slip out of e-invoicing unnoticed)."""
    buyer = document.buyer
    if not _in_france(document.seller.address.country):
        return Scope.E_REPORTING
    if buyer.public_sector:
        return Scope.B2G
    if buyer.private_person or not _in_france(buyer.address.country):
        return Scope.E_REPORTING
    return Scope.E_INVOICING


def french_rules_apply(document: Document) -> bool:
    return scope_of(document).french_rules
