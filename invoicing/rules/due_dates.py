"""An invoice states when it is due (French Code de commerce, art. L441-9; EN 16931
BR-CO-25 asks for a due date or payment terms when an amount is due), and its text
of payment terms does not say another term than the one that gives its due date."""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.model import DocumentKind
from invoicing.payment_terms import due_term, term_text, text_following
from invoicing.rules.engine import Context, Hit, rule
from invoicing.rules.findings import Severity
from invoicing.stated_terms import contradiction

FAMILY = "core"


@rule(
    "BL-DUE-DATE",
    reads=("kind", "type_code", "due_date", "payment_term"),
    fr="Indiquez l'échéance : des conditions de paiement ou une date d'échéance.",
    en="State when it is due: payment terms or a due date.",
    why="A mandatory mention in France (C. com. L441-9). Finalization refuses an invoice "
    "without a due date (typed, or computed from the payment terms); a credit note is "
    "due on its issue date.",
)
def due_date_stated(ctx: Context) -> Iterator[Hit]:
    doc = ctx.source  # printed on the document whatever its XML profile carries (MINIMUM)
    if doc.kind is DocumentKind.QUOTE or doc.is_credit_note:
        return
    if doc.due_date is None and doc.payment_term is None:
        yield Hit(("due_date",))


@rule(
    "BL-TERMS-TEXT",
    reads=("payment_terms", "payment_term", "due_date", "issue_date"),
    severity=Severity.WARNING,
    quotes=True,
    fr="Le texte des conditions de paiement dit « {words} », mais le délai choisi est "
    "« {term_fr} » : corrigez le texte ou le délai.",
    en="The payment terms text says “{words}” but the chosen term is “{term_en}”: "
    "correct the text or the term.",
    why="Our check: the printed text must not contradict the due date. The words "
    'Blanche recognises ("Paiement à 30 jours") follow the chosen term by themselves '
    "(invoicing.payment_terms); other ways of stating days, end of month or on receipt "
    '("Règlement sous 30 jours") are printed as typed, so they are pointed out '
    "(invoicing.stated_terms). Discount and late-payment clauses are not read.",
)
def terms_text_agrees(ctx: Context) -> Iterator[Hit]:
    doc = ctx.source
    term = due_term(doc)
    if not doc.payment_terms or term is None:
        return
    printed = text_following(doc.payment_terms, term)
    stated = contradiction(printed, term)
    if stated is not None:
        yield Hit(
            ("payment_terms",),
            params={
                "words": stated.words,
                "term_fr": term_text(term, "fr"),
                "term_en": term_text(term, "en"),
            },
        )
