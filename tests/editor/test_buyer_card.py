"""The customer card follows the buyer's details as they are typed: every tab on the
draft is told the card's new lines and the scope they give (the `customer_summary`
fragment), escaped, and a buyer with nothing stated has no card."""

from __future__ import annotations

from typing import Any

from lxml import html

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


def _summary(message: dict[str, Any]) -> tuple[list[str], str | None]:
    """The card's lines and the scope told in a message."""
    told = html.fragment_fromstring(message["fragments"]["customer_summary"], create_parent=True)
    cards = told.xpath('.//p[@id="bl-customer-card"]')
    lines = [text.strip() for text in cards[0].xpath("text()")] if cards else []
    scopes = told.xpath('.//p[@id="bl-scope"]/@data-scope')
    return lines, str(scopes[0]) if scopes else None


def test_every_tab_is_told_the_card_of_the_buyer_typed(client: TestClient, mint: Mint) -> None:
    token = mint()
    with tab(client, token, "tab-first-001") as writer:
        welcome = until(writer, "welcome")
        assert _summary(welcome) == ([], None)  # no customer yet: no card
        with tab(client, token, "tab-second-01") as reader:
            until(reader, "welcome")
            patch(writer, 1, path="buyer.name", value="Garage Lenoir <Tours>")
            ack = until(writer, "ack")
            assert "Garage Lenoir &lt;Tours&gt;" in ack["fragments"]["customer_summary"]
            assert _summary(ack) == (["Garage Lenoir <Tours>"], "e_invoicing")
            remote = until(reader, "remote")
            assert _summary(remote) == (["Garage Lenoir <Tours>"], "e_invoicing")
            patch(writer, 2, path="buyer.address.city", value="Amboise")
            assert _summary(until(writer, "ack"))[0] == ["Garage Lenoir <Tours>", "Amboise"]
            patch(writer, 3, path="buyer.address.line1", value="1 place du Marché")
            assert _summary(until(writer, "ack"))[0][1] == "1 place du Marché"
            patch(writer, 4, path="buyer.address.line1", value="")  # no blank line left
            assert _summary(until(writer, "ack"))[0] == ["Garage Lenoir <Tours>", "Amboise"]
            patch(writer, 5, path="buyer.address.country", value="BE")  # outside France
            assert _summary(until(writer, "ack"))[1] == "e_reporting"
            patch(writer, 6, path="buyer.name", value="")
            assert _summary(until(writer, "ack")) == (["Amboise"], "e_reporting")
            patch(writer, 7, path="buyer.address.city", value="")  # nothing stated left
            assert _summary(until(writer, "ack")) == ([], None)
