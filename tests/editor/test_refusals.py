"""The words of a refusal: the server's own sentence in the user's language, then what
to do; a code's own words when the server says nothing in that language."""

from __future__ import annotations

from editor.refusals import refusal_message, said_field_errors, server_refusal_message
from invoicing.field_errors import FieldError


def test_the_servers_sentence_is_shown_with_what_to_do() -> None:
    said = "il reste au plus 10,00 à payer"
    assert server_refusal_message("payment_refused", said, "fr") == (
        "Il reste au plus 10,00 à payer. Corrigez le paiement, puis réessayez."
    )
    assert server_refusal_message("payment_refused", "at most 10.00 is left to pay", "en") == (
        "At most 10.00 is left to pay. Correct the payment, then try again."
    )


def test_a_sentence_that_says_what_to_do_is_shown_as_it_is() -> None:
    said = "Une facture de solde déduit cet acompte : faites plutôt un avoir sur celle-ci."
    assert server_refusal_message("deposit_settled", said, "fr") == said


def test_an_empty_sentence_falls_back_to_the_words_of_the_code() -> None:
    assert server_refusal_message("over_payment", "  ", "fr") == refusal_message(
        "over_payment", "fr"
    )
    assert "support" in server_refusal_message("something_new", "", "en")


def test_field_errors_become_sentences() -> None:
    errors = said_field_errors([FieldError("amount", "le montant doit dépasser 0")])
    assert errors == (FieldError("amount", "Le montant doit dépasser 0."),)
