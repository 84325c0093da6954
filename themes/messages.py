"""What the theme endpoints and the studio say of a theme, a logo or a website
they refuse, in French and in English: one (French, English) sentence per key,
saying what to do. A pydantic error of the theme model is said by the shared
table (invoicing/input_messages.py); these are the checks of our own. A sentence
never quotes what was sent."""

from __future__ import annotations

from typing import Final, Literal

Language = Literal["fr", "en"]

# (French, English) by key; {name} is filled by `theme_message`.
THEME_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "logo_shape": (
        "Le logo doit être null, une URL data: ou l'objet `logo` d'une réponse précédente.",
        "The logo must be null, a data: URL or the `logo` object of a previous answer.",
    ),
    "logo_unknown": (
        "Ce logo n'est pas enregistré pour ce partenaire : envoyez-le en URL data:.",
        "This logo is not stored for this partner: upload it as a data: URL.",
    ),
    "logo_collision": (
        "Ce logo ne peut pas être enregistré : modifiez-le très légèrement.",
        "This logo cannot be stored: alter it very slightly.",
    ),
    "logo_data_url": (
        "Envoyez le logo en URL data: base64 (data:image/png;base64,…).",
        "Send the logo as a base64 data: URL (data:image/png;base64,…).",
    ),
    "logo_base64": (
        "Les données base64 sont endommagées : encodez le fichier de nouveau.",
        "The base64 data is damaged: encode the file again.",
    ),
    "logo_empty": (
        "Ce fichier est vide : choisissez l'image du logo.",
        "This file is empty: choose the logo's image.",
    ),
    "logo_too_large": (
        "Ce fichier est trop lourd : {limit} octets (1 Mo) au plus.",
        "This file is too large: {limit} bytes (1 MB) at most.",
    ),
    "logo_type": (
        "Ce type de fichier n'est pas accepté : envoyez une image PNG, JPEG, WebP ou SVG.",
        "This file type is not accepted: send a PNG, JPEG, WebP or SVG image.",
    ),
    "logo_not_image": (
        "Ce fichier n'est pas une image PNG, JPEG, WebP ou SVG : exportez le logo dans l'un "
        "de ces formats.",
        "This file is not a PNG, JPEG, WebP or SVG image: export the logo in one of them.",
    ),
    "logo_gif": (
        "Le GIF n'est pas accepté : exportez le logo en PNG, WebP ou SVG.",
        "GIF is not accepted: export the logo as PNG, WebP or SVG.",
    ),
    "logo_type_mismatch": (
        "Ce fichier est envoyé comme {declared} mais son contenu est {actual} : "
        "envoyez-le avec son vrai type.",
        "This file was sent as {declared} but its content is {actual}: send it with its real type.",
    ),
    "logo_damaged": (
        "Ce fichier est endommagé ou n'est pas une image lisible : exportez-le de nouveau.",
        "The file {detail}: export it again.",
    ),
    "logo_sides": (
        "Chaque côté de l'image doit mesurer de {min} à {max} pixels "
        "(celle-ci mesure {width} × {height}).",
        "Each side of the image must be {min} to {max} pixels (this one is {width} × {height}).",
    ),
    "svg_too_large": (
        "Ce SVG dépasse 1 Mo une fois nettoyé : simplifiez-le.",
        "This SVG is larger than 1 MB once sanitized: simplify it.",
    ),
    "website_type": (
        "Entrez l'adresse du site en texte, ou null pour la retirer.",
        "Enter the site's address as text, or null to remove it.",
    ),
    "website_too_long": (
        "Cette adresse est trop longue : {limit} caractères au plus.",
        "This address is too long: {limit} characters at most.",
    ),
    "website_spaces": (
        "Cette adresse contient une espace ou un caractère de contrôle : retirez-les.",
        "This address contains a space or a control character: remove it.",
    ),
    "website_url": (
        "Entrez une adresse web complète, comme https://www.exemple.fr.",
        "Enter a full web address, such as https://www.example.fr.",
    ),
    "website_credentials": (
        "Retirez le nom d'utilisateur et le mot de passe de cette adresse.",
        "Remove the user name and password from this address.",
    ),
}


def theme_message(key: str, **values: object) -> tuple[str, str]:
    """(French, English) of `key`, `values` filled in."""
    fr, en = THEME_MESSAGES[key]
    return fr.format_map(values), en.format_map(values)
