"""The editor's words for an issued document (its read-only view, sending it by email,
its downloads, the credit note dialog) and for dates typed day first (French,
English). Merged into `editor.i18n.words`."""

from __future__ import annotations

ISSUED_WORDS: dict[str, tuple[str, str]] = {
    "send_email": ("Envoyer par e-mail", "Send by email"),
    "download_xml": ("Télécharger le XML", "Download XML"),
    "email_title": ("Envoyer par e-mail", "Send by email"),
    "email_to": ("Destinataire", "Recipient"),
    "email_to_hint": (
        "Plusieurs adresses : séparez-les par des virgules.",
        "Several addresses: separate them with commas.",
    ),
    "email_subject": ("Objet", "Subject"),
    "email_message": ("Message (facultatif)", "Message (optional)"),
    # said when the session's language is not the document's (invoicing.original_language)
    "email_language": (
        "L'e-mail est rédigé dans la langue du document, comme son PDF.",
        "The email is written in the document's language (French), as its PDF is.",
    ),
    "email_attachment": (
        "Pièce jointe : {name} (PDF Factur-X, avec ses données XML)",
        "Attached: {name} (Factur-X PDF, with its XML data)",
    ),
    "email_send": ("Envoyer", "Send"),
    "email_sent": ("E-mail envoyé à {to}.", "Email sent to {to}."),
    "email_to_missing": (
        "Indiquez l'adresse e-mail du destinataire.",
        "Enter the recipient's email address.",
    ),
    "email_to_invalid": (
        "« {address} » n'est pas une adresse e-mail (exemple : nom@exemple.fr).",
        "“{address}” is not an email address (for example name@example.com).",
    ),
    "email_to_many": ("10 destinataires au plus.", "At most 10 recipients."),
    "email_subject_invalid": (
        "Indiquez un objet d'une ligne, 300 caractères au plus.",
        "Enter a one-line subject of at most 300 characters.",
    ),
    "email_message_long": (
        "Le message fait au plus 10 000 caractères.",
        "The message is at most 10,000 characters long.",
    ),
    "credit_invoiced": ("Facturé", "Invoiced"),
    "credit_credited": ("Déjà crédité", "Already credited"),
    "credit_remaining": ("Reste à créditer", "Left to credit"),
    "credit_to_credit": ("Quantité à créditer", "Quantity to credit"),
    "credit_amounts": (
        "Quantités et montants hors taxes, ligne par ligne.",
        "Quantities and amounts excluding VAT, line by line.",
    ),
    "credit_total": (
        "Total de l'avoir : {incl} TTC ({excl} HT, TVA {vat})",
        "Credit note total: {incl} incl. VAT ({excl} excl. VAT, VAT {vat})",
    ),
    "credit_total_none": (
        "Aucune quantité choisie : l'avoir serait vide.",
        "No quantity chosen: the credit note would be empty.",
    ),
    "credit_total_unknown": (
        "Total de l'avoir : corrigez d'abord les quantités.",
        "Credit note total: correct the quantities first.",
    ),
    "document_view": ("Le document émis", "The issued document"),
    "document_frame": ("{title} {number}, tel qu'émis", "{title} {number}, as issued"),
    "date_format": ("Format : jj/mm/aaaa.", "Format: dd/mm/yyyy."),
    "date_placeholder": ("jj/mm/aaaa", "dd/mm/yyyy"),
}
