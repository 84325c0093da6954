"""The terms a payment terms text states in the user's own words, and the warning
when they say another term than the chosen one (BL-TERMS-TEXT)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoicing.model import Document, PaymentTerm, PaymentTermKind
from invoicing.model.payment import MAX_TERM_DAYS
from invoicing.payment_terms import payment_terms_text, term_text
from invoicing.profiles import Profile
from invoicing.rules import validate
from invoicing.samples import demo_invoice
from invoicing.stated_terms import contradiction, stated_terms

DAYS = PaymentTermKind.DAYS
END_OF_MONTH = PaymentTermKind.DAYS_END_OF_MONTH
ON_RECEIPT = PaymentTermKind.ON_RECEIPT
FORTY_FIVE_EOM = PaymentTerm(kind=END_OF_MONTH, days=45)


@pytest.mark.parametrize(
    ("text", "kind", "days", "words"),
    [
        ("Règlement sous 30 jours", DAYS, 30, "30 jours"),
        ("Règlement à 45 j fin de mois par chèque", END_OF_MONTH, 45, "45 j fin de mois"),
        ("60 jours nets, fin de mois", END_OF_MONTH, 60, "60 jours nets, fin de mois"),
        ("Payable dès réception de la facture", ON_RECEIPT, None, "dès réception"),
        ("Comptant", ON_RECEIPT, None, "Comptant"),
        ("Terms: Net 30", DAYS, 30, "Net 30"),
        ("Payment due within 15 days", DAYS, 15, "15 days"),
        ("Payable upon receipt", ON_RECEIPT, None, "upon receipt"),
        ("Due 30 days end of month", END_OF_MONTH, 30, "30 days end of month"),
    ],
)
def test_the_ways_people_state_a_term(
    text: str, kind: PaymentTermKind, days: int | None, words: str
) -> None:
    (stated,) = stated_terms(text)
    assert (stated.kind, stated.days, stated.words) == (kind, days, words)


@pytest.mark.parametrize(
    "text",
    [
        "Par virement bancaire",
        "Escompte de 2 % pour paiement sous 8 jours",
        "Pénalités de retard exigibles le jour suivant la date de règlement",
        "Indemnité forfaitaire pour frais de recouvrement : 40 €",
        "No discount for payment within 10 days",
        "Période du 01/01/2027 au 31/01/2027",
    ],
)
def test_other_delays_and_words_state_no_term(text: str) -> None:
    assert stated_terms(text) == []


def test_a_term_stated_otherwise_than_chosen_is_a_contradiction() -> None:
    found = contradiction("Règlement sous 30 jours", FORTY_FIVE_EOM)
    assert found is not None and found.words == "30 jours"
    assert contradiction("Règlement sous 45 jours", FORTY_FIVE_EOM) is not None  # not EOM
    assert contradiction("Règlement sous 45 jours fin de mois", FORTY_FIVE_EOM) is None
    assert contradiction("Comptant", PaymentTerm(kind=DAYS, days=0)) is None  # the same day
    assert contradiction("Net 30", PaymentTerm(kind=ON_RECEIPT)) is not None
    fixed = PaymentTerm(kind=PaymentTermKind.FIXED_DATE, date=dt.date(2027, 3, 1))
    assert contradiction("Règlement sous 30 jours", fixed) is None  # a date is not compared


def _with(text: str, term: PaymentTerm) -> Document:
    return demo_invoice().model_copy(
        update={"payment_terms": text, "payment_term": term, "due_date": None}
    )


def _warnings(document: Document) -> list[tuple[str, str, str]]:
    return [
        (f.fields[0], f.message_fr, f.message_en)
        for f in validate(document, Profile.EN16931, french=True)
        if f.rule_id == "BL-TERMS-TEXT"
    ]


def test_the_editor_warns_at_the_payment_terms_text_in_both_languages() -> None:
    (warning,) = _warnings(_with("Règlement sous 30 jours par virement.", FORTY_FIVE_EOM))
    field, french, english = warning
    assert field == "payment_terms"
    assert "« 30 jours »" in french and "Paiement à 45 jours fin de mois" in french
    assert "“30 jours”" in english and "Payment 45 days end of month" in english
    # Words Blanche recognises follow the term when printed: nothing to say.
    assert _warnings(_with("Paiement à 30 jours par virement.", FORTY_FIVE_EOM)) == []
    assert _warnings(_with("Par virement.", FORTY_FIVE_EOM)) == []


_TERMS = st.one_of(
    st.builds(PaymentTerm, kind=st.just(DAYS), days=st.integers(0, MAX_TERM_DAYS)),
    st.builds(PaymentTerm, kind=st.just(END_OF_MONTH), days=st.integers(0, MAX_TERM_DAYS)),
    st.just(PaymentTerm(kind=ON_RECEIPT)),
    st.builds(
        PaymentTerm,
        kind=st.just(PaymentTermKind.FIXED_DATE),
        date=st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
    ),
)
# What people write around the words of a term, legal mentions with figures included.
_AROUND = st.sampled_from(
    [
        "",
        "par virement.",
        "Par virement bancaire :",
        "Escompte pour paiement anticipé : néant.",
        "Pénalités de retard : 3 fois le taux d'intérêt légal.",
        "Indemnité forfaitaire pour frais de recouvrement : 40 €.",
        "by bank transfer.",
        "No discount for early payment.",
        "Merci de rappeler le numéro de facture",
    ]
)


@given(
    chosen=_TERMS,
    typed=_TERMS,
    language=st.sampled_from(["fr", "en"]),
    before=_AROUND,
    after=_AROUND,
)
def test_the_text_blanche_prints_never_contradicts_the_chosen_term(
    chosen: PaymentTerm, typed: PaymentTerm, language: str, before: str, after: str
) -> None:
    """Whatever term a text was written for (the company's default, an earlier
    choice), the text printed with the chosen one draws no warning."""
    text = " ".join(part for part in (before, term_text(typed, language), after) if part)
    document = _with(text, chosen)
    printed = payment_terms_text(document, language)
    assert printed is not None
    assert contradiction(printed, chosen) is None
    assert contradiction(term_text(chosen, language), chosen) is None
    assert _warnings(document) == []
