"""The words of issue 12's flows (the reform's scope of a document, deposits and
final invoices), in French and English; `editor.i18n.words` serves them with the
others."""

from __future__ import annotations

FLOW_WORDS: dict[str, tuple[str, str]] = {
    "due_on": ("Échéance", "Due"),
    "rounding": ("Arrondi", "Rounding"),
    # the payment term as data (invoicing.payment_terms), in the details
    "payment_term_kind": ("Échéance de paiement", "Payment due"),
    "payment_term_days": ("Nombre de jours", "Number of days"),
    "payment_term_date": ("Date de paiement (date fixe)", "Payment date (fixed date)"),
    "term_none": ("Non précisée", "Not stated"),
    "due_date_computed": (
        "Donnée par l'échéance de paiement choisie.",
        "Given by the payment due chosen.",
    ),
    "due_choose_term": (
        "Choisissez l'échéance de paiement : elle donne la date d'échéance.",
        "Choose when payment is due: it gives the due date.",
    ),
    "term_days": ("À N jours", "N days"),
    "term_days_end_of_month": ("À N jours fin de mois", "N days end of month"),
    "term_on_receipt": ("À réception", "On receipt"),
    "term_fixed_date": ("À date fixe", "On a fixed date"),
    # the reform's scope of the document (invoicing.scope), under the customer
    "scope_e_invoicing": (
        "Facturation électronique : facture entre entreprises établies en France, "
        "transmise par la plateforme agréée.",
        "E-invoicing: an invoice between businesses established in France, sent through "
        "the approved platform.",
    ),
    "scope_b2g": (
        "Acheteur public : facture transmise à Chorus Pro.",
        "Public buyer: the invoice goes to Chorus Pro.",
    ),
    "scope_e_reporting": (
        "Hors facturation électronique (particulier ou client hors de France) : la vente "
        "est déclarée en e-reporting.",
        "Outside e-invoicing (a private person or a customer outside France): the sale is "
        "reported (e-reporting).",
    ),
    "title_final_invoice": ("Facture finale après acompte", "Final invoice after deposit"),
    "deposit": ("Demander un acompte", "Ask for a deposit"),
    "deduct_deposits": ("Déduire des acomptes", "Deduct deposits"),
    "deposit_title": ("Demander un acompte", "Ask for a deposit"),
    "deposit_text": (
        "Indiquez un montant TTC ou un pourcentage du devis (total TTC {total}). La facture "
        "d'acompte reprend les taux de TVA du devis.",
        "Enter an amount incl. VAT or a percentage of the quote (total incl. VAT {total}). "
        "The deposit invoice follows the quote's VAT rates.",
    ),
    "deposit_amount": ("Montant de l'acompte (TTC)", "Deposit amount (incl. VAT)"),
    "deposit_percent": ("Ou pourcentage du devis (%)", "Or percentage of the quote (%)"),
    "deposit_one": (
        "Indiquez un montant ou un pourcentage (l'un des deux).",
        "Enter an amount or a percentage (one of the two).",
    ),
    "percent_invalid": (
        "Indiquez un pourcentage entre 0 et 100, par exemple 30.",
        "Enter a percentage between 0 and 100, for example 30.",
    ),
    "deposit_created": (
        "Facture d'acompte créée : vérifiez-la, puis finalisez-la.",
        "Deposit invoice drafted: check it, then finalize it.",
    ),
    "deposit_total": ("Fixer le montant de l'acompte", "Set the deposit amount"),
    "deposit_amount_text": (
        "Indiquez le montant TTC demandé et son taux de TVA : la ligne d'acompte est "
        "calculée (montant HT et TVA).",
        "Enter the amount asked incl. VAT and its VAT rate: the deposit line is worked out "
        "(net amount and VAT).",
    ),
    "deposit_vat_rate": ("Taux de TVA (%)", "VAT rate (%)"),
    "deposit_amount_set": (
        "Acompte de {amount} TTC : vérifiez la facture, puis finalisez-la.",
        "Deposit of {amount} incl. VAT: check the invoice, then finalize it.",
    ),
    "deduct_title": ("Déduire des acomptes", "Deduct deposits"),
    "deduct_text": (
        "Cochez les factures d'acompte que cette facture solde : leur montant est déduit du "
        "net à payer.",
        "Tick the deposit invoices this invoice settles: their amount is deducted from the "
        "amount due.",
    ),
    "deduct_none": (
        "Aucune facture d'acompte émise n'est à déduire. Émettez d'abord la facture d'acompte.",
        "There is no issued deposit invoice to deduct. Issue the deposit invoice first.",
    ),
    "deduct_confirm": ("Déduire", "Deduct"),
    "deducted": ("Acomptes déduits : {amount}.", "Deposits deducted: {amount}."),
    "deducted_none": ("Aucun acompte n'est plus déduit.", "No deposit is deducted any more."),
}
