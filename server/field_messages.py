"""What the API says of a value its model accepted but the service cannot use —
another company's user, a replay window the wrong way round — in French and in
English: one (French, English) sentence per key, saying what to do. A sentence
never quotes the value sent; the field path says which one it is."""

from __future__ import annotations

from typing import Final

from server.problems import Refusal, field_refusal

# (French, English) by key; {name} is filled by `field_message`.
FIELD_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "siren": ("Un SIREN compte 9 chiffres.", "A SIREN is 9 digits."),
    "user_of_another_company": (
        "Cet utilisateur appartient à une autre entreprise : choisissez-en un de celle-ci.",
        "This user belongs to another company: choose one of this company's users.",
    ),
    "document_of_another_company": (
        "Ce document appartient à une autre entreprise : choisissez-en un de celle-ci.",
        "This document belongs to another company: choose one of this company's documents.",
    ),
    "no_such_contact": (
        "Aucun contact de cette entreprise n'a cet identifiant.",
        "No contact of this company has this id.",
    ),
    "no_such_user": (
        "Aucun utilisateur de cette entreprise n'a cet identifiant.",
        "No user of this company has this id.",
    ),
    "no_such_quote": (
        "Aucun devis de cette entreprise n'a cet identifiant.",
        "No quote of this company has this id.",
    ),
    "not_your_company": (
        "Cette entreprise n'est pas l'une des vôtres : "
        "donnez l'identifiant d'une de vos entreprises.",
        "This company is not one of yours: give the id of one of your companies.",
    ),
    "number_at_finalization": (
        "Le numéro est attribué à la finalisation : laissez ce champ vide.",
        "The number is given at finalization: leave this field empty.",
    ),
    "kind_kept": (
        "Le type d'un brouillon ne change pas : pour facturer un devis, utilisez POST …/convert.",
        "A draft keeps its kind: to invoice a quote, use POST …/convert.",
    ),
    "no_recipient": (
        "Aucun destinataire : indiquez `to` (le document ne nomme aucune adresse e-mail).",
        "No recipient: give `to` (the document names no email address).",
    ),
    "button_required": (
        "Ce bouton ne peut pas être masqué : enregistrer, finaliser et émettre un avoir "
        "sont les gestes qui émettent et corrigent légalement une facture.",
        "This button cannot be hidden: saving, finalizing and issuing a credit note "
        "are how invoices are legally issued and corrected.",
    ),
    "button_unknown": (
        "Ce bouton est inconnu : choisissez parmi {hideable}.",
        "This button is unknown: use one of {hideable}.",
    ),
    "origin_not_registered": (
        "Cette origine n'est pas parmi celles enregistrées pour le partenaire.",
        "This origin is not one of the partner's registered origins.",
    ),
    "companies_empty": (
        "Indiquez au moins une entreprise, ou omettez ce champ pour les suivre toutes.",
        "List at least one company, or leave this field out to follow them all.",
    ),
    "add_when_following_all": (
        "Laissez `add` vide quand le webhook suit toutes les entreprises.",
        "Leave `add` empty when the webhook follows every company.",
    ),
    "add_to_all": (
        "Ce webhook suit toutes les entreprises : envoyez d'abord all_companies: false.",
        "This webhook follows every company: send all_companies: false first.",
    ),
    "time_zone": (
        "Indiquez un fuseau horaire, par exemple 2026-03-02T00:00:00Z.",
        "Give a time zone, e.g. 2026-03-02T00:00:00Z.",
    ),
    "to_after_from": ("`to` doit être après `from`.", "`to` must be after `from`."),
    "merge_listed_twice": (
        "Un contact figure deux fois : listez chacun une seule fois.",
        "A contact is listed twice: list each one once.",
    ),
    "merge_target": (
        "La cible doit être l'un des `contacts`.",
        "The target must be one of `contacts`.",
    ),
    "merge_type": (
        "Ce contact est de type {kind} : indiquez ce type.",
        "This contact is of type {kind}: give this type.",
    ),
    "merge_companies": (
        "Tous les contacts doivent appartenir à la même entreprise.",
        "All contacts must belong to the same company.",
    ),
    "fec_needs_siren": (
        "Le nom du fichier FEC commence par le SIREN : renseignez seller.siren "
        "(PATCH /api/v1/companies/{company}).",
        "The FEC file is named after the SIREN: set seller.siren "
        "(PATCH /api/v1/companies/{company}).",
    ),
    "replay_days": (
        "Rejouez au plus {days} jours par requête.",
        "Replay at most {days} days per request.",
    ),
}


def field_message(key: str, **values: object) -> tuple[str, str]:
    """(French, English) of `key`, `values` filled in."""
    fr, en = FIELD_MESSAGES[key]
    return fr.format_map(values), en.format_map(values)


def refused_field(
    field: str, key: str, code: str = "validation_failed", **values: object
) -> Refusal:
    """422 `code` on `field`, said by `key`: the detail is the field's message."""
    fr, en = field_message(key, **values)
    return field_refusal(code, field, en, fr)
