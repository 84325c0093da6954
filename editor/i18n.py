"""The editor's words, in French and English.

Numbers, dates and amounts are formatted with Babel (`invoicing.html.Formatter`);
this module holds only words; `editor.field_labels` names an editor path for people
("lines[2].quantity" -> "Ligne 3 · Quantité").
"""

from __future__ import annotations

from functools import cache

from editor.backend import EditorLocale
from editor.flow_words import FLOW_WORDS
from editor.i18n_issued import ISSUED_WORDS

LANGUAGES: tuple[EditorLocale, ...] = ("fr", "en")

_WORDS: dict[str, tuple[str, str]] = {
    # page and states
    "loading": ("Chargement de l'éditeur…", "Loading the editor…"),
    "no_token": (
        "Ce lien d'édition est incomplet. Rouvrez l'éditeur depuis votre application.",
        "This editing link is incomplete. Open the editor again from your application.",
    ),
    "expired": (
        "Votre session d'édition a expiré. Rouvrez l'éditeur depuis votre application : "
        "votre brouillon est conservé.",
        "Your editing session has expired. Open the editor again from your application: "
        "your draft is kept.",
    ),
    "invalid": (
        "Ce lien d'édition n'est pas valide.",
        "This editing link is not valid.",
    ),
    "read_only_other_tab": (
        "Ce document est ouvert dans un autre onglet : ici, il est en lecture seule.",
        "This document is open in another tab: here it is read-only.",
    ),
    "read_only_issued": (
        "Ce document est émis : il ne peut plus être modifié.",
        "This document is issued: it can no longer be changed.",
    ),
    "connection_online": ("Enregistré automatiquement", "Saved automatically"),
    "connection_saving": ("Enregistrement…", "Saving…"),
    "state_saved": ("Enregistré", "Saved"),
    "state_draft_saved_at": ("Brouillon enregistré à {time}", "Draft saved at {time}"),
    "state_draft_saved": ("Brouillon enregistré", "Draft saved"),
    "state_not_saved": ("Pas encore enregistré", "Not saved yet"),
    "connection_offline": (
        "Hors ligne : vos modifications sont gardées et seront envoyées.",
        "Offline: your changes are kept and will be sent.",
    ),
    # titles and statuses
    "title_invoice": ("Facture", "Invoice"),
    "title_quote": ("Devis", "Quote"),
    "title_credit_note": ("Avoir", "Credit note"),
    "title_deposit_invoice": ("Facture d'acompte", "Deposit invoice"),
    "status_draft": ("Brouillon", "Draft"),
    "status_finalized": ("Émise", "Issued"),
    "lifecycle_title": ("Suivi par la plateforme agréée", "Tracking by the approved platform"),
    "lifecycle_pending": (
        "Transmission à la plateforme agréée en cours…",
        "Being sent to the approved platform…",
    ),
    # a lifecycle status's code (CDAR, e.g. 200) after its name, for support calls
    "lifecycle_code": ("code {code}", "code {code}"),
    "status_sent": ("Envoyée", "Sent"),
    "status_paid": ("Payée", "Paid"),
    "status_cancelled": ("Annulée", "Cancelled"),
    "status_partially_paid": ("Partiellement payée", "Partly paid"),
    # un avoir, un devis (FormView.status_label)
    "status_finalized_masculine": ("Émis", "Issued"),
    "status_sent_masculine": ("Envoyé", "Sent"),
    "status_paid_masculine": ("Payé", "Paid"),
    "status_cancelled_masculine": ("Annulé", "Cancelled"),
    "status_accepted": ("Accepté", "Accepted"),
    "status_refused": ("Refusé", "Refused"),
    "status_expired": ("Expiré", "Expired"),
    "status_converted": ("Converti en facture", "Converted into an invoice"),
    # actions
    "actions": ("Actions", "Actions"),
    "save": ("Enregistrer", "Save"),
    "finalize": ("Finaliser", "Finalize"),
    "download_pdf": ("Télécharger le PDF", "Download PDF"),
    "mark_paid": ("Marquer comme payée", "Mark as paid"),
    "record_payment": ("Enregistrer un paiement", "Record a payment"),
    "duplicate": ("Dupliquer", "Duplicate"),
    "delete": ("Supprimer ce document", "Delete this document"),
    "payment_title": ("Enregistrer un paiement", "Record a payment"),
    "payment_balance": ("Reste à payer : {amount}", "Balance: {amount}"),
    "payment_amount": ("Montant reçu", "Amount received"),
    "payment_date": ("Date du paiement", "Payment date"),
    "payment_means_label": ("Moyen de paiement", "Payment means"),
    "payment_reference": ("Référence (facultatif)", "Reference (optional)"),
    "payment_recorded": ("Paiement enregistré.", "Payment recorded."),
    "amount_invalid": (
        "Indiquez un montant en euros, par exemple 120,50.",
        "Enter an amount, for example 120.50.",
    ),
    "amount_too_much": (
        "Le montant dépasse le reste à payer ({amount}).",
        "The amount exceeds the balance ({amount}).",
    ),
    "date_future": (
        "Un paiement ne peut pas être daté après aujourd'hui.",
        "A payment cannot be dated after today.",
    ),
    "date_invalid": (
        "Indiquez une date sous la forme jj/mm/aaaa, par exemple 07/12/2026.",
        "Enter a date as dd/mm/yyyy, for example 07/12/2026.",
    ),
    "credit_title": ("Créer un avoir", "Create a credit note"),
    "credit_text": (
        "Choisissez les lignes et les quantités à créditer. Tout ce qui reste : laissez "
        "les quantités proposées.",
        "Choose the lines and quantities to credit. Everything left: keep the quantities shown.",
    ),
    "credit_left": ("reste {quantity}", "{quantity} left"),
    "credit_quantity": ("Quantité à créditer, ligne {n}", "Quantity to credit, line {n}"),
    "credit_nothing": (
        "Choisissez au moins une ligne avec une quantité.",
        "Choose at least one line with a quantity.",
    ),
    "quantity_too_much": (
        "Au plus {quantity} sur cette ligne.",
        "At most {quantity} on this line.",
    ),
    "delete_confirm": ("Supprimer", "Delete"),
    "delete_title": ("Supprimer ce document ?", "Delete this document?"),
    "delete_text": (
        "Le brouillon sera supprimé définitivement.",
        "The draft will be deleted for good.",
    ),
    "deleted": (
        "Document supprimé. Vous pouvez fermer l'éditeur.",
        "Document deleted. You can close the editor.",
    ),
    "duplicated": (
        "Copie créée : vous êtes maintenant sur la copie, un nouveau brouillon.",
        "Copy made: you are now on the copy, a new draft.",
    ),
    "convert": ("Convertir en facture", "Convert to invoice"),
    "credit_note": ("Créer un avoir", "Create a credit note"),
    "confirm_finalize_title": ("Finaliser ce document ?", "Finalize this document?"),
    "confirm_finalize_text": (
        "Il recevra son numéro définitif et ne pourra plus être modifié ni supprimé. "
        "Pour le corriger ensuite, il faudra émettre un avoir.",
        "It gets its final number and can no longer be changed or deleted. "
        "To correct it afterwards you will need a credit note.",
    ),
    "confirm": ("Finaliser", "Finalize"),
    "cancel": ("Annuler", "Cancel"),
    "saved": ("Enregistré.", "Saved."),
    "finalized": ("Document finalisé : {number}.", "Document finalized: {number}."),
    "paid": ("Marqué comme payé.", "Marked as paid."),
    "fix_errors_first": (
        "Corrigez d'abord les erreurs signalées.",
        "Fix the reported errors first.",
    ),
    "fix_input_first": (
        "Certaines valeurs ne sont pas lisibles : corrigez-les avant d'enregistrer.",
        "Some values cannot be read: correct them before saving.",
    ),
    "action_failed": ("L'action n'a pas abouti : {detail}", "The action failed: {detail}"),
    # customer
    "customer": ("Client", "Customer"),
    "customer_search": ("Rechercher un client", "Search for a customer"),
    "customer_search_hint": (
        "Tapez un nom, un SIREN ou une ville.",
        "Type a name, a SIREN or a city.",
    ),
    "no_results": ("Aucun résultat.", "No results."),
    "change_customer": ("Changer de client", "Change customer"),
    "customer_details": (
        "Informations du client sur ce document",
        "Customer details on this document",
    ),
    "new_customer": ("Nouveau client", "New customer"),
    "new_customer_title": ("Nouveau client", "New customer"),
    "kind": ("Type", "Type"),
    "kind_company": ("Entreprise", "Company"),
    "kind_person": ("Particulier", "Individual"),
    "create_customer": ("Créer le client", "Create customer"),
    "duplicate_customer": (
        "Ce client existe déjà : {name}. Utilisez-le, ou créez-en un autre s'il s'agit "
        "d'un autre client.",
        "This customer exists already: {name}. Use it, or create another one if it is a "
        "different customer.",
    ),
    "use_customer": ("Utiliser ce client", "Use this customer"),
    "create_anyway": ("Créer quand même", "Create anyway"),
    "name": ("Nom", "Name"),
    "company_name": ("Raison sociale", "Company name"),
    "siren": ("SIREN", "SIREN"),
    "siret": ("SIRET", "SIRET"),
    "vat_id": ("N° de TVA intracommunautaire", "VAT number"),
    "email": ("E-mail", "Email"),
    "address_line1": ("Adresse", "Address"),
    "address_line2": ("Complément d'adresse", "Address line 2"),
    "postcode": ("Code postal", "Postcode"),
    "city": ("Ville", "City"),
    "country": ("Pays (code ISO, ex. FR)", "Country (ISO code, e.g. FR)"),
    "electronic_address": ("Adresse de facturation électronique", "Electronic invoicing address"),
    "public_sector": ("Client public (Chorus Pro)", "Public-sector customer (Chorus Pro)"),
    # lines
    "lines": ("Lignes", "Lines"),
    "line_n": ("Ligne {n}", "Line {n}"),
    "line_name": ("Désignation", "Description"),
    "line_description": ("Détail", "Details"),
    "quantity": ("Quantité", "Quantity"),
    "unit": ("Unité", "Unit"),
    "unit_price": ("Prix unitaire HT", "Unit price excl. VAT"),
    "discount": ("Remise %", "Discount %"),
    "vat_rate": ("TVA %", "VAT %"),
    "vat_category": ("Régime de TVA", "VAT category"),
    "exemption_reason": ("Motif d'exonération", "Exemption reason"),
    "line_amount": ("Montant HT", "Amount excl. VAT"),
    "add_line": ("Ajouter une ligne", "Add a line"),
    "add_product": ("Ajouter depuis le catalogue", "Add from the catalogue"),
    "product_search": ("Rechercher un produit", "Search for a product"),
    "remove_line": ("Supprimer la ligne {n}", "Remove line {n}"),
    "move_up": ("Monter la ligne {n}", "Move line {n} up"),
    "move_down": ("Descendre la ligne {n}", "Move line {n} down"),
    "reorder_hint": (
        "Alt + flèche haut ou bas déplace la ligne.",
        "Alt + up or down arrow moves the line.",
    ),
    "no_lines": ("Aucune ligne pour l'instant.", "No lines yet."),
    # VAT categories
    "vat_S": ("Taux normal", "Standard rate"),
    "vat_Z": ("Taux zéro", "Zero rate"),
    "vat_E": ("Exonéré", "Exempt"),
    "vat_AE": ("Autoliquidation", "Reverse charge"),
    "vat_K": ("Livraison intracommunautaire", "Intra-community supply"),
    "vat_G": ("Export hors UE", "Export outside the EU"),
    "vat_O": ("Hors champ de la TVA", "Outside the scope of VAT"),
    # document fields
    "details": ("Informations", "Details"),
    "issue_date": ("Date d'émission", "Issue date"),
    "issue_date_hint": (
        "Vide : la date du jour à la finalisation.",
        "Empty: today at finalization.",
    ),
    "due_date": ("Date d'échéance", "Due date"),
    "valid_until": ("Valable jusqu'au", "Valid until"),
    "payment_terms": ("Conditions de paiement", "Payment terms"),
    "operation_category": ("Nature de l'opération", "Type of operation"),
    "operation_none": ("— choisir —", "— choose —"),
    "operation_goods": ("Biens", "Goods"),
    "operation_services": ("Services", "Services"),
    "operation_mixed": ("Biens et services", "Goods and services"),
    "operation_paid": ("{what} — déjà payée", "{what} — already paid"),
    "operation_final": (
        "{what} — facture finale après acompte",
        "{what} — final invoice after deposit",
    ),
    "operation_choose": (
        "Choisissez ce que vous facturez : des biens, des services, ou les deux.",
        "Choose what you invoice: goods, services, or both.",
    ),
    "vat_on_debits": ("TVA acquittée sur les débits", "VAT paid on debits (on invoicing)"),
    "subject": ("Objet", "Subject"),
    "references": ("Références", "References"),
    "buyer_reference": ("Référence client (code service)", "Buyer reference (service code)"),
    "order_reference": ("N° de bon de commande", "Purchase order number"),
    "contract_reference": ("N° de contrat", "Contract number"),
    "project_reference": ("Référence projet", "Project reference"),
    "payment": ("Paiement", "Payment"),
    "payment_means": ("Moyen de paiement", "Payment means"),
    "iban": ("IBAN", "IBAN"),
    "bic": ("BIC", "BIC"),
    "delivery": ("Livraison", "Delivery"),
    "delivery_date": ("Date de livraison", "Delivery date"),
    "delivery_name": ("Lieu de livraison", "Delivery place"),
    "recipient_email": ("E-mail du destinataire", "Recipient email"),
    "notes": ("Mentions", "Notes"),
    "note": ("Mention", "Note"),
    "add_note": ("Ajouter une mention", "Add a note"),
    "remove_note": ("Supprimer cette mention", "Remove this note"),
    "preceding_invoice": ("Facture corrigée (n°)", "Corrected invoice (number)"),
    "preceding_invoice_date": ("Date de la facture corrigée", "Date of the corrected invoice"),
    "seller": ("Émetteur", "Issuer"),
    "seller_hint": (
        "Vos informations viennent des réglages de votre entreprise.",
        "Your details come from your company settings.",
    ),
    # totals and checks
    "totals": ("Totaux", "Totals"),
    "total_lines": ("Total des lignes HT", "Lines total excl. VAT"),
    "total_allowances": ("Remises", "Allowances"),
    "total_charges": ("Frais", "Charges"),
    "total_excl": ("Total HT", "Total excl. VAT"),
    "total_vat": ("TVA", "VAT"),
    "total_incl": ("Total TTC", "Total incl. VAT"),
    "prepaid": ("Acomptes déduits", "Deposits deducted"),
    "paid_in_advance": ("Déjà réglé", "Paid in advance"),
    "amount_due": ("Net à payer", "Amount due"),
    "vat_breakdown": ("Détail de la TVA", "VAT breakdown"),
    "vat_base": ("Base HT", "Taxable amount"),
    "vat_amount": ("Montant de TVA", "VAT amount"),
    "vat_rate_col": ("Taux", "Rate"),
    "checks": ("Vérifications", "Checks"),
    "no_problem": ("Aucune erreur.", "No errors."),
    "errors_one": ("1 erreur à corriger", "1 error to fix"),
    "errors_count": ("{n} erreurs à corriger", "{n} errors to fix"),
    "to_complete_one": ("1 information à compléter", "1 thing to complete"),
    "to_complete_many": ("{n} informations à compléter", "{n} things to complete"),
    "todo_one": (
        "1 information à compléter avant de finaliser : elle est signalée sous son champ.",
        "1 thing to complete before finalizing: it is shown under its field.",
    ),
    "todo_many": (
        "{n} informations à compléter avant de finaliser : chacune est signalée sous son champ.",
        "{n} things to complete before finalizing: each is shown under its field.",
    ),
    "before_finalizing": ("avant de finaliser", "before finalizing"),
    "warnings_one": ("1 avertissement", "1 warning"),
    "warnings_many": ("{n} avertissements", "{n} warnings"),
    "not_in_editor": (
        "à corriger dans les réglages de l'entreprise",
        "fix it in the company settings",
    ),
    "document_level": ("Document", "Document"),
    "official": ("Contrôle officiel", "Official check"),
    "official_pending": ("Contrôle officiel en attente…", "Official check pending…"),
    "official_ok": (
        "Conforme aux règles officielles ({profile}).",
        "Meets the official rules ({profile}).",
    ),
    "official_errors": (
        "{n} écart(s) aux règles officielles ({profile}) :",
        "{n} departure(s) from the official rules ({profile}):",
    ),
    "official_more": (
        "Le contrôle officiel ({profile}) signale aussi :",
        "The official check ({profile}) also reports:",
    ),
    "official_same": (
        "Le contrôle officiel signale les mêmes points que la liste ci-dessus.",
        "The official check reports the same points as the list above.",
    ),
    "official_xsd": (
        "La structure du fichier Factur-X n'est pas encore complète : complétez les "
        "informations demandées ci-dessus.",
        "The Factur-X file's structure is not complete yet: fill in the information asked above.",
    ),
    "official_rule": (
        "Une règle officielle n'est pas respectée ({rule}) : voyez les détails techniques "
        "ou contactez le support.",
        "An official rule is not met ({rule}): see the technical details or contact support.",
    ),
    "technical_details": ("Détails techniques", "Technical details"),
    "official_skipped": (
        "Le contrôle officiel se fera quand les valeurs seront lisibles.",
        "The official check runs once every value can be read.",
    ),
    "official_quote": (
        "Un devis n'est pas une facture électronique : pas de contrôle officiel.",
        "A quote is not an e-invoice: no official check.",
    ),
    "preview": ("Aperçu", "Preview"),
    "preview_frame": ("Aperçu du document", "Document preview"),
}


@cache
def words(locale: str) -> dict[str, str]:
    index = 0 if locale.startswith("fr") else 1
    return {key: pair[index] for key, pair in (_WORDS | FLOW_WORDS | ISSUED_WORDS).items()}
