"""The studio's words in French and English: the language of the browser on the first
visit (Accept-Language), then the one chosen with the switch. The contrast report's
purposes and adjustment reasons (themes/palette.py speaks English) are said here too."""

from __future__ import annotations

import re
from functools import cache

from editor.buttons import BUTTONS
from editor.i18n import words as editor_words

LANGUAGES = ("fr", "en")

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Studio de thème", "Theme studio"),
    "language": ("Langue", "Language"),
    "primary": ("Principale", "Primary"),
    "primary_hint": ("boutons, liens, anneau de focus", "buttons, links, focus ring"),
    "secondary": ("Secondaire", "Secondary"),
    "secondary_hint": ("boutons secondaires, libellés", "secondary buttons, labels"),
    "accent": ("Accent", "Accent"),
    "accent_hint": ("mises en avant", "highlights"),
    "primary_picker": ("Principale : sélecteur de couleur", "Primary colour picker"),
    "primary_hex": ("Principale : couleur (hexadécimal)", "Primary colour (hex)"),
    "secondary_picker": ("Secondaire : sélecteur de couleur", "Secondary colour picker"),
    "secondary_hex": ("Secondaire : couleur (hexadécimal)", "Secondary colour (hex)"),
    "accent_picker": ("Accent : sélecteur de couleur", "Accent colour picker"),
    "accent_hex": ("Accent : couleur (hexadécimal)", "Accent colour (hex)"),
    "module_name": ("Nom du module", "Module name"),
    "font": ("Police", "Font"),
    "website": ("Votre site (pied des e-mails)", "Your site (email footers)"),
    "website_label": ("Site web", "Website"),
    "logo": ("Logo", "Logo"),
    "logo_drop": (
        "Déposez un PNG, JPEG, WebP ou SVG (1 Mo au plus), ou cliquez",
        "Drop a PNG, JPEG, WebP or SVG (1 MB max), or click",
    ),
    "logo_note": ("{width}×{height}, {size} octets", "{width}x{height}, {size} bytes"),
    "logo_removed": ("; retiré : {what}", "; removed: {what}"),
    "remove": ("Retirer", "Remove"),
    "publish": ("Publier", "Publish"),
    "published": ("Version {version} publiée.", "Published version {version}."),
    "published_css": ("CSS publiée : ", "Published CSS: "),
    "sample_error": (
        "Ligne 2 : la quantité doit être un nombre",
        "Line 2: quantity must be a number",
    ),
    "sample_link": ("Un lien", "A link"),
    "contrast": ("Contraste (WCAG 2.2 AA)", "Contrast (WCAG 2.2 AA)"),
    "adjusted": (
        "Ajusté pour que le texte reste lisible :",
        "Adjusted so that text stays readable:",
    ),
    "no_adjustment": ("Aucune couleur n'a dû être ajustée.", "No colour needed an adjustment."),
    "pair": ("Paire", "Pair"),
    "use": ("Usage", "Use"),
    "ratio": ("Rapport", "Ratio"),
    "minimum": ("Minimum", "Min"),
    "on": ("sur", "on"),
    "editor": ("L'éditeur", "The editor"),
    "editor_help": (
        "L'éditeur intégré montre le thème publié : publiez pour y voir vos changements.",
        "The embedded editor shows the published theme; publish to see your changes in it.",
    ),
    "editor_needs_company": (
        "L'aperçu de l'éditeur demande une entreprise avec un utilisateur : créez-les par l'API.",
        "The editor preview needs a company with a user: create them through the API.",
    ),
    "editor_title": ("Aperçu de l'éditeur", "Editor preview"),
    "quote_email": ("E-mail d'un devis", "Quote email"),
    "invoice_email": ("E-mail d'une facture", "Invoice email"),
    "pdf": ("PDF d'une facture, première page", "Invoice PDF, first page"),
    "pdf_alt": ("première page d'une facture", "first page of an invoice"),
    "pdf_no_logo": (
        "Sans logo : une facture porte celui de l'entreprise qui l'émet, votre logo reste"
        " dans l'en-tête de l'éditeur.",
        "No logo: an invoice wears the logo of the company issuing it; yours stays in the"
        " editor's header.",
    ),
    "signed_out": (
        "Ouvrez le lien de connexion reçu depuis votre compte partenaire pour utiliser le studio.",
        "Open the sign-in link from your partner account to use the studio.",
    ),
    "link_invalid": (
        "Ce lien de connexion n'est pas valide, a expiré ou a déjà servi : demandez-en un nouveau.",
        "This sign-in link is invalid, expired or already used: ask for a new one.",
    ),
}

# themes/palette.py's purposes, in French ({name}: a brand or notice token).
_PURPOSES_FR: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), french)
    for pattern, french in (
        (r"body text", "texte courant"),
        (r"large text \(>= 24px, or 18\.66px bold\)", "grand texte (≥ 24 px, ou 18,66 px gras)"),
        (r"disabled text", "texte désactivé"),
        (r"UI", "composants d'interface"),
        (r"focus ring", "anneau de focus"),
        (r"(?P<name>[\w-]+) button outline", "contour des boutons {name}"),
        (r"text on (?P<name>[\w-]+) buttons", "texte sur les boutons {name}"),
        (r"(?P<name>[\w-]+) message text", "texte des messages {name}"),
        (r"(?P<name>[\w-]+) icon and field border", "icône et bordure de champ {name}"),
        (r"text on (?P<name>[\w-]+) badges", "texte sur les pastilles {name}"),
    )
)
_REASON = re.compile(
    r"contrast (?P<ratio>[\d.]+):1 with (?P<other>[\w-]+) is below (?P<min>[\d.]+):1 "
    r"\((?P<purpose>[^;]*?)\)(?=;|$)"
)
_MOVED = re.compile(
    r"moved within its hue band away from the partner colours "
    r"\(distance (?P<distance>[\d.]+), target (?P<target>[\d.]+)\)"
)


@cache
def words(language: str) -> dict[str, str]:
    index = 0 if language == "fr" else 1
    return {key: pair[index] for key, pair in _WORDS.items()}


def language_of(accept_language: str) -> str:
    """The browser's first language the studio speaks (French when none)."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "fr"


def purpose(text: str, language: str) -> str:
    if language != "fr":
        return text
    for pattern, french in _PURPOSES_FR:
        found = pattern.fullmatch(text)
        if found:
            return french.format(**found.groupdict())
    return text


def reason(text: str, language: str) -> str:
    """An adjustment's reason ('contrast 2.10:1 with surface-bg is below 4.5:1 (body
    text)', several joined by '; ') in the studio's language."""
    if language != "fr":
        return text

    def french(found: re.Match[str]) -> str:
        return (
            f"contraste {found['ratio'].replace('.', ',')}:1 avec {found['other']}, sous "
            f"{found['min'].replace('.', ',')}:1 ({purpose(found['purpose'], 'fr')})"
        )

    text = _MOVED.sub(
        lambda found: (
            "déplacée dans sa bande de teinte, loin des couleurs du partenaire "
            f"(distance {found['distance'].replace('.', ',')}, cible "
            f"{found['target'].replace('.', ',')})"
        ),
        text,
    )
    return _REASON.sub(french, text)


def sample_buttons(language: str) -> tuple[str, str, str]:
    """The editor's own labels of three of its buttons (editor/buttons.py's list)."""
    names = ("save", "duplicate", "finalize")
    assert all(name in BUTTONS for name in names)
    said = editor_words(language)
    return said["save"], said["duplicate"], said["finalize"]
