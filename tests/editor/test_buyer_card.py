"""The customer card follows the buyer's details as they are typed: every tab on the
draft is told the card's new lines (the `customer_card` fragment), escaped, and a
buyer with nothing stated has no card."""

from __future__ import annotations

from editor.buyer_card import buyer_card_lines
from editor.i18n import words
from invoicing.model import Address, Party
from tests.editor.conftest import Mint
from tests.editor.conftest import TestClient as TestClient
from tests.editor.tabs import patch, tab, until


def test_the_card_says_the_buyer_line_by_line() -> None:
    buyer = Party(
        name="Garage Lenoir",
        siren="552100554",
        address=Address(line1="1 place du Marché", postcode="37000", city="Tours"),
    )
    assert buyer_card_lines(buyer, words("en")) == (
        "Garage Lenoir",
        "1 place du Marché",
        "37000 Tours",
        "SIREN 552100554",
    )
    assert buyer_card_lines(Party(), words("fr")) == ()


def test_every_tab_is_told_the_card_of_the_buyer_typed(client: TestClient, mint: Mint) -> None:
    token = mint()
    with tab(client, token, "tab-first-001") as writer:
        welcome = until(writer, "welcome")
        assert "Garage Lenoir" not in welcome["fragments"]["customer_card"]
        with tab(client, token, "tab-second-01") as reader:
            until(reader, "welcome")
            patch(writer, 1, path="buyer.name", value="Garage Lenoir <Tours>")
            card = "Garage Lenoir &lt;Tours&gt;"
            assert until(writer, "ack")["fragments"]["customer_card"].startswith(card)
            assert until(reader, "remote")["fragments"]["customer_card"].startswith(card)
            patch(writer, 2, path="buyer.address.city", value="Amboise")
            told = until(writer, "ack")["fragments"]["customer_card"]
            assert told.startswith(card + "<br>") and told.endswith("Amboise")
            patch(writer, 3, path="buyer.address.line1", value="1 place du Marché")
            told = until(writer, "ack")["fragments"]["customer_card"]
            assert told == card + "<br>1 place du Marché<br>Amboise"
            patch(writer, 4, path="buyer.address.line1", value="")  # no blank line left
            assert until(writer, "ack")["fragments"]["customer_card"] == card + "<br>Amboise"
