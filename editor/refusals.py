"""What the user reads when the server refuses an action, in the user's language,
saying what happened and what to do. When the server says the refusal in that
language itself (the document flows: payments, credit notes, deposits, quotes), its
sentence is shown, followed by what to do when it does not say it; otherwise the
words come from the refusal's stable code. The server's English detail (for
developers) never reaches the user's screen; it travels in the `error` event's
`detail` for the host page's logs."""

from __future__ import annotations

from collections.abc import Iterable

from editor.field_labels import field_label
from invoicing.field_errors import FieldError

_BY_CODE: dict[str, tuple[str, str]] = {
    "chronology": (
        "La date d'émission est antérieure à celle d'un document déjà émis dans cette série. "
        "Choisissez une date égale ou postérieure, ou laissez la date vide pour aujourd'hui.",
        "The issue date is before that of a document already issued in this series. Choose "
        "the same or a later date, or leave the date empty for today.",
    ),
    "issue_date_future": (
        "La date d'émission est dans le futur. Choisissez la date d'aujourd'hui ou une date "
        "passée.",
        "The issue date is in the future. Choose today or a past date.",
    ),
    "document_invalid": (
        "Le document n'est pas encore complet : corrigez les points signalés, puis "
        "finalisez à nouveau.",
        "The document is not complete yet: fix the points shown, then finalize again.",
    ),
    "invalid": (
        "Le document n'est pas encore complet : corrigez les points signalés, puis réessayez.",
        "The document is not complete yet: fix the points shown, then try again.",
    ),
    "validation_failed": (
        "Certaines informations sont refusées : corrigez les champs signalés, puis réessayez.",
        "Some information was refused: fix the fields shown, then try again.",
    ),
    "already_finalized": (
        "Ce document est déjà émis. Rechargez l'éditeur pour le voir tel qu'il est.",
        "This document is already issued. Reload the editor to see it as it is.",
    ),
    "document_finalized": (
        "Ce document est émis : il ne peut plus changer. Pour le corriger, créez un avoir.",
        "This document is issued: it can no longer change. To correct it, create a credit note.",
    ),
    "wrong_status": (
        "Cette action n'est pas possible dans l'état actuel du document. Rechargez "
        "l'éditeur pour voir son état.",
        "This action is not possible in the document's current state. Reload the editor to "
        "see its state.",
    ),
    "not_saved": (
        "Enregistrez d'abord le document, puis réessayez.",
        "Save the document first, then try again.",
    ),
    "kind_changed": (
        "Le type de ce document a changé ailleurs. Rechargez l'éditeur.",
        "This document's kind was changed elsewhere. Reload the editor.",
    ),
    "not_found": (
        "Ce document n'existe plus (il a peut-être été supprimé). Fermez l'éditeur et "
        "rouvrez-le depuis votre application.",
        "This document no longer exists (it may have been deleted). Close the editor and open "
        "it again from your application.",
    ),
    "not_available": (
        "Cette action n'est pas disponible ici. Rechargez l'éditeur ; si elle manque "
        "toujours, votre application l'a désactivée.",
        "This action is not available here. Reload the editor; if it is still missing, your "
        "application has turned it off.",
    ),
    "unreadable": (
        "Certaines valeurs ne sont pas lisibles : corrigez les champs signalés, puis réessayez.",
        "Some values cannot be read: fix the fields shown, then try again.",
    ),
    "already_converted": (
        "Ce devis a déjà été converti en facture : ouvrez cette facture plutôt.",
        "This quote was already converted into an invoice: open that invoice instead.",
    ),
    "over_credit": (
        "L'avoir dépasse ce qui reste à créditer sur la facture : réduisez les quantités.",
        "The credit note exceeds what is left to credit on the invoice: lower the quantities.",
    ),
    "over_payment": (
        "Le paiement dépasse le reste à payer : indiquez un montant plus petit.",
        "The payment exceeds the balance: enter a smaller amount.",
    ),
    "email_not_configured": (
        "L'envoi d'e-mails n'est pas configuré : téléchargez le PDF et envoyez-le vous-même.",
        "Sending email is not set up: download the PDF and send it yourself.",
    ),
    "email_delivery_failed": (
        "Le serveur d'e-mails n'a pas accepté l'envoi. Vérifiez l'adresse, puis réessayez "
        "dans quelques minutes ; le document n'a pas changé.",
        "The email server did not accept the message. Check the address, then try again in "
        "a few minutes; the document has not changed.",
    ),
    "document_not_issued": (
        "Finalisez d'abord le document : il reçoit alors son numéro et son PDF légal.",
        "Finalize the document first: it then gets its number and its legal PDF.",
    ),
    "quote_has_no_xml": (
        "Un devis n'a pas de données Factur-X : convertissez-le en facture.",
        "A quote has no Factur-X data: convert it into an invoice.",
    ),
    "rate_limited": (
        "Trop de demandes en peu de temps : patientez quelques secondes, puis réessayez.",
        "Too many requests at once: wait a few seconds, then try again.",
    ),
}
# What to do after a flow's refusal whose sentence says only what happened.
_NEXT_STEP: dict[str, tuple[str, str]] = {
    "payment_refused": (
        "Corrigez le paiement, puis réessayez.",
        "Correct the payment, then try again.",
    ),
    "credit_exceeds_invoice": (
        "Réduisez les quantités, puis réessayez.",
        "Lower the quantities, then try again.",
    ),
    "validation_failed": (
        "Corrigez les champs signalés, puis réessayez.",
        "Fix the fields shown, then try again.",
    ),
    "deposit_refused": (
        "Choisissez d'autres acomptes, puis réessayez.",
        "Choose other deposits, then try again.",
    ),
    "deposits_mismatch": (
        "Choisissez à nouveau les acomptes à déduire, puis émettez la facture.",
        "Choose the deposits to deduct again, then issue the invoice.",
    ),
    "wrong_status": (
        "Rechargez l'éditeur pour voir l'état du document.",
        "Reload the editor to see the document's state.",
    ),
    "already_converted": (
        "Ouvrez cette facture plutôt.",
        "Open that invoice instead.",
    ),
}
_UNKNOWN = (
    "L'action n'a pas abouti. Réessayez ; si cela persiste, contactez le support de votre "
    "application (code : {code}).",
    "The action did not succeed. Try again; if it persists, contact your application's "
    "support (code: {code}).",
)
_FIELD = ("Valeur refusée : vérifiez ce champ.", "Value refused: check this field.")


def refusal_message(code: str, locale: str) -> str:
    index = 0 if locale.startswith("fr") else 1
    known = _BY_CODE.get(code)
    if known is not None:
        return known[index]
    return _UNKNOWN[index].format(code=code[:60])


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def server_refusal_message(code: str, said: str, locale: str) -> str:
    """The server's own sentence (already in the user's language), then what to do
    when the sentences of that code say only what happened."""
    index = 0 if locale.startswith("fr") else 1
    sentence = _sentence(said[:500])
    if not sentence:
        return refusal_message(code, locale)
    step = _NEXT_STEP.get(code)
    return f"{sentence} {step[index]}" if step else sentence


def said_field_errors(errors: Iterable[FieldError]) -> tuple[FieldError, ...]:
    """The server's field errors already in the user's language, as sentences."""
    return tuple(FieldError(error.field, _sentence(error.message[:300])) for error in errors)


def field_refusals(errors: Iterable[FieldError], locale: str) -> list[FieldError]:
    """The server's field errors, said in the user's language: a field's own name and
    'value refused' (its English message may be a validator's, e.g. a pattern)."""
    index = 0 if locale.startswith("fr") else 1
    out = []
    for error in errors:
        label = field_label(error.field, locale)
        message = f"{label} : {_FIELD[index]}" if label and index == 0 else _FIELD[index]
        if label and index == 1:
            message = f"{label}: {_FIELD[index]}"
        out.append(FieldError(error.field, message))
    return out
