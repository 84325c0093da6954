"""The fixed words of the emails, in French and English."""

from __future__ import annotations

from typing import Final, Literal

EmailLocale = Literal["fr", "en"]

STRINGS: Final[dict[str, dict[str, str]]] = {
    "fr": {
        "invoice": "Facture",
        "credit_note": "Avoir",
        "deposit_invoice": "Facture d'acompte",
        "quote": "Devis",
        "from": "De",
        "to": "Pour",
        "issue_date": "Date",
        "due_date": "Échéance",
        "valid_until": "Valable jusqu'au",
        "amount_due": "Montant dû",
        "credit_amount": "Montant de l'avoir",
        "quote_total": "Total TTC",
        "attached": "Pièce jointe :",
        "colon": " : ",  # French puts a space before the colon
        "sent_with": "Envoyé avec",
        "login_subject": "Votre lien de connexion au studio de thème {module}",
        "login_heading": "Studio de thème {module}",
        "login_intro": "Cliquez sur le bouton pour ouvrir le studio de thème.",
        "login_button": "Ouvrir le studio",
        "login_expiry": "Ce lien fonctionne une seule fois, pendant {minutes} minutes.",
        "login_ignore": "Si vous n'avez pas demandé ce lien, ignorez ce message.",
        "new_login_subject": "Nouvelle connexion au studio de thème {module}",
        "new_login_notice": "Une connexion au studio de thème {module} a eu lieu le {when} (UTC).",
        "new_login_advice": (
            "Si ce n'est pas vous, prévenez votre administrateur : les liens de connexion "
            "sont créés depuis votre compte partenaire."
        ),
    },
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "deposit_invoice": "Deposit invoice",
        "quote": "Quote",
        "from": "From",
        "to": "To",
        "issue_date": "Date",
        "due_date": "Due date",
        "valid_until": "Valid until",
        "amount_due": "Amount due",
        "credit_amount": "Credit amount",
        "quote_total": "Total incl. VAT",
        "attached": "Attached:",
        "colon": ": ",
        "sent_with": "Sent with",
        "login_subject": "Your sign-in link to the {module} theme studio",
        "login_heading": "{module} theme studio",
        "login_intro": "Use the button to open the theme studio.",
        "login_button": "Open the studio",
        "login_expiry": "This link works once, for {minutes} minutes.",
        "login_ignore": "If you did not ask for this link, ignore this message.",
        "new_login_subject": "New sign-in to the {module} theme studio",
        "new_login_notice": "Someone signed in to the {module} theme studio on {when} (UTC).",
        "new_login_advice": (
            "If it was not you, tell your administrator: sign-in links are created from "
            "your partner account."
        ),
    },
}


def strings(locale: str) -> dict[str, str]:
    return STRINGS["fr" if locale.lower().startswith("fr") else "en"]
