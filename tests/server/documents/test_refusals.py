"""The French words of the flows' refusals agree with the document they speak of:
"cette facture est payée", "cet avoir est émis", "ce devis est converti en facture"."""

from __future__ import annotations

import pytest

from server.documents.refusals import kind_is_fr, status_fr


@pytest.mark.parametrize(
    ("kind", "status", "said"),
    [
        ("invoice", "paid", "Cette facture est payée"),
        ("invoice", "partially_paid", "Cette facture est partiellement payée"),
        ("invoice", "cancelled", "Cette facture est annulée"),
        ("deposit_invoice", "finalized", "Cette facture d'acompte est émise"),
        ("invoice", "draft", "Cette facture est un brouillon"),
        ("credit_note", "finalized", "Cet avoir est émis"),
        ("credit_note", "sent", "Cet avoir est envoyé"),
        ("quote", "accepted", "Ce devis est accepté"),
        ("quote", "converted", "Ce devis est converti en facture"),
    ],
)
def test_the_status_agrees_with_the_kind(kind: str, status: str, said: str) -> None:
    assert kind_is_fr(kind, status) == said


def test_feminine_forms() -> None:
    assert status_fr("sent", feminine=True) == "envoyée"
    assert status_fr("converted", feminine=True) == "convertie en facture"
    assert status_fr("expired") == "expiré"
