"""The customer card at the top of the customer block: the buyer as the document
states it now (name, address, identifiers), one line each. It follows every edit of
the buyer's details, live (a fragment), not only a customer chosen from the list."""

from __future__ import annotations

from collections.abc import Mapping

from invoicing.model import Party


def buyer_card_lines(buyer: Party, w: Mapping[str, str]) -> tuple[str, ...]:
    """No line for a buyer with nothing stated yet."""
    address = buyer.address
    city = " ".join(part for part in (address.postcode, address.city) if part)
    lines = (
        buyer.name or "",
        address.line1 or "",
        address.line2 or "",
        city,
        f"{w['siren']} {buyer.siren}" if buyer.siren else "",
        f"{w['vat_id']} {buyer.vat_id}" if buyer.vat_id else "",
    )
    return tuple(line for line in lines if line)
