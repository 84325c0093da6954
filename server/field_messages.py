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
    "work_order_product": (
        "Aucun produit du catalogue de cette entreprise n'a cet identifiant : créez-le avec "
        "POST /api/v1/companies/{company}/products ou donnez un autre identifiant.",
        "No product of this company's catalogue has this id: create it with "
        "POST /api/v1/companies/{company}/products or send another id.",
    ),
    "work_order_time_product": (
        "Les temps passés ont besoin du produit sous lequel le temps est vendu : indiquez "
        "time_product_id (un produit vendu à l'heure, HUR, ou à la minute, MIN).",
        "Time entries need the product the time is sold as: send time_product_id "
        "(a product whose unit is HUR, per hour, or MIN, per minute).",
    ),
    "work_order_time_unit": (
        "Ce produit est vendu par {unit} : les temps passés ont besoin d'un produit vendu à "
        "l'heure (HUR) ou à la minute (MIN) ; changez son unité ou choisissez-en un autre.",
        "This product is sold per {unit}: time entries need a product sold per hour (HUR) "
        "or minute (MIN); change its unit or send another product.",
    ),
    "work_order_item": (
        "Indiquez un product_id, ou un name et un unit_price pour un article hors catalogue.",
        "Give a product_id, or a name and a unit_price for an unlisted item.",
    ),
    "work_order_contact": (
        "Aucun contact de cette entreprise n'a cet identifiant : choisissez l'un de ses "
        "contacts, ou envoyez `customer.external_ref` avec le nom du client pour le créer.",
        "No contact of this company has this id: use one of its contacts, or send "
        "`customer.external_ref` with the customer's name to create it.",
    ),
    "work_order_external_ref": (
        "Aucun contact de cette entreprise n'a cette référence externe : envoyez "
        "`customer.name` (et `kind`) pour le créer, ou utilisez `customer.id`.",
        "No contact of this company has this external reference: send `customer.name` "
        "(and `kind`) to create it, or use `customer.id`.",
    ),
    "work_order_user": (
        "Aucun utilisateur de cette entreprise n'a cet identifiant : omettez-le pour prendre "
        "le premier utilisateur de l'entreprise.",
        "No user of this company has this id: leave it out to use the company's first user.",
    ),
    "attachment_content": ("Envoyez content_base64 ou une uri.", "Send content_base64 or a uri."),
    "attachment_base64": (
        "Ce n'est pas du base64 valide : envoyez les octets du fichier encodés en base64 "
        "(RFC 4648, sans retour à la ligne).",
        "This is not valid base64: send the file's bytes base64-encoded "
        "(RFC 4648, no line breaks).",
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


SaidError = tuple[str, str, str]
"""(field, English, French): a field's refusal as a `Refusal` lists it."""


def said_error(field: str, key: str, **values: object) -> SaidError:
    fr, en = field_message(key, **values)
    return field, en, fr


def refused_field(
    field: str, key: str, code: str = "validation_failed", **values: object
) -> Refusal:
    """422 `code` on `field`, said by `key`: the detail is the field's message."""
    fr, en = field_message(key, **values)
    return field_refusal(code, field, en, fr)
