"""The theme API's refusals in the caller's language: the same code, title and
field paths in French and in English, one sentence per field from the shared
words (pydantic's refusals) or the theme's own table, never the value sent."""

from __future__ import annotations

import base64
import io
from typing import Any

import httpx
from PIL import Image

from tests.server.helpers import Partner

THEME = "/partners/me/theme"
FRENCH = {"Accept-Language": "fr"}
ENGLISH = {"Accept-Language": "en"}
MARKER = "ECHO-MARKER"


def _theme(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "primary": "#0b6e4f",
        "secondary": "#37474f",
        "accent": "#c2185b",
        "module_name": "EDT Compta",
    }
    return {**body, **changes}


def _said(response: httpx.Response) -> tuple[dict[str, Any], dict[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert MARKER not in response.text
    problem: dict[str, Any] = response.json()
    return problem, {error["field"]: error["message"] for error in problem["errors"]}


def test_a_refused_theme_in_french_and_english(partner_a: Partner) -> None:
    body = _theme(
        primary=f"#{MARKER}"[:7],
        secondary="yellow",
        module_name=f"Compta\x07{MARKER}",
        font="comic-sans",
        logo=f"data:image/gif;base64,{base64.b64encode(MARKER.encode()).decode()}",
        website=f"javascript:{MARKER}",
        surprise=MARKER,
    )
    del body["accent"]
    for path, send in ((THEME, partner_a.put), (f"{THEME}/preview", partner_a.post)):
        french, fr = _said(send(path, body, headers=FRENCH))
        english, en = _said(send(path, body, headers=ENGLISH))
        assert fr == {
            "primary": "Entrez une couleur au format #rrggbb, comme #1a73e8.",
            "secondary": "Entrez une couleur au format #rrggbb, comme #1a73e8.",
            "accent": "Ce champ est obligatoire.",
            "module_name": (
                "Ce texte contient un caractère de contrôle invisible (U+0007, caractère n° 7) : "
                "supprimez-le."
            ),
            "font": (
                "Cette valeur est inconnue : choisissez parmi 'system', 'humanist', 'geometric', "
                "'serif' ou 'rounded'."
            ),
            "logo": (
                "Ce type de fichier n'est pas accepté : envoyez une image PNG, JPEG, WebP ou SVG."
            ),
            "website": "Entrez une adresse web complète, comme https://www.exemple.fr.",
            "surprise": "Ce champ n'existe pas : retirez-le.",
        }
        assert en == {
            "primary": "Enter a colour as #rrggbb, such as #1a73e8.",
            "secondary": "Enter a colour as #rrggbb, such as #1a73e8.",
            "accent": "This field is required.",
            "module_name": (
                "This text contains an invisible control character (U+0007, character 7): "
                "remove it."
            ),
            "font": (
                "This value is unknown: use one of 'system', 'humanist', 'geometric', "
                "'serif' or 'rounded'."
            ),
            "logo": "This file type is not accepted: send a PNG, JPEG, WebP or SVG image.",
            "website": "Enter a full web address, such as https://www.example.fr.",
            "surprise": "This field does not exist: remove it.",
        }
        assert french["detail"] == "8 champs sont à corriger."
        assert english["detail"] == "8 fields need a correction."
        assert french["title"] == english["title"] == "The theme is not valid"
        assert french["code"] == english["code"] == "validation_failed"


def test_logo_and_website_refusals_in_french_and_english(
    partner_a: Partner, partner_b: Partner
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 60)).save(buffer, "PNG")
    png = base64.b64encode(buffer.getvalue()).decode()
    published = partner_a.ok(partner_a.put(THEME, _theme(logo=f"data:image/png;base64,{png}")))
    cases = [
        (
            {"logo": published["theme"]["logo"]},  # another partner's logo
            "logo",
            "Ce logo n'est pas enregistré pour ce partenaire : envoyez-le en URL data:.",
            "This logo is not stored for this partner: upload it as a data: URL.",
        ),
        (
            {"logo": f"data:image/png;base64,@@@{MARKER}"},
            "logo",
            "Les données base64 sont endommagées : encodez le fichier de nouveau.",
            "The base64 data is damaged: encode the file again.",
        ),
        (
            {"logo": f"data:image/jpeg;base64,{png}"},
            "logo",
            "Ce fichier est envoyé comme JPEG mais son contenu est PNG : "
            "envoyez-le avec son vrai type.",
            "This file was sent as JPEG but its content is PNG: send it with its real type.",
        ),
        (
            {"logo": 42},
            "logo",
            "Le logo doit être null, une URL data: ou l'objet `logo` d'une réponse précédente.",
            "The logo must be null, a data: URL or the `logo` object of a previous answer.",
        ),
        (
            {"website": f"https://user:{MARKER}@example.fr"},
            "website",
            "Retirez le nom d'utilisateur et le mot de passe de cette adresse.",
            "Remove the user name and password from this address.",
        ),
        (
            {"website": "https://example.fr/" + "a" * 3000},
            "website",
            "Cette adresse est trop longue : 2000 caractères au plus.",
            "This address is too long: 2000 characters at most.",
        ),
        (
            {"website": f"https://example.fr/{MARKER}\x07x"},
            "website",
            "Cette adresse contient une espace ou un caractère de contrôle : retirez-les.",
            "This address contains a space or a control character: remove it.",
        ),
        (
            {"website": 12},
            "website",
            "Entrez l'adresse du site en texte, ou null pour la retirer.",
            "Enter the site's address as text, or null to remove it.",
        ),
        (
            {"module_name": "   "},
            "module_name",
            "Ce champ ne peut pas être vide.",
            "This field cannot be empty.",
        ),
    ]
    for change, field, said_fr, said_en in cases:
        body = _theme(**change)
        _, fr = _said(partner_b.post(f"{THEME}/preview", body, headers=FRENCH))
        _, en = _said(partner_b.post(f"{THEME}/preview", body, headers=ENGLISH))
        assert (fr, en) == ({field: said_fr}, {field: said_en}), change


def test_a_refused_company_logo_in_french_and_english(partner_a: Partner) -> None:
    company = partner_a.company()["id"]
    path = f"/companies/{company}/logo"
    headers = {"Content-Type": "image/png"}
    sent = b"GIF89a" + MARKER.encode()
    french = partner_a.request("PUT", path, content=sent, headers={**headers, **FRENCH})
    english = partner_a.request("PUT", path, content=sent, headers={**headers, **ENGLISH})
    for response in (french, english):
        assert response.status_code == 422 and response.json()["code"] == "logo_refused"
        assert MARKER not in response.text
    assert french.json()["errors"] == [
        {
            "field": "logo",
            "message": "Le GIF n'est pas accepté : exportez le logo en PNG, WebP ou SVG.",
        }
    ]
    assert english.json()["errors"] == [
        {"field": "logo", "message": "GIF is not accepted: export the logo as PNG, WebP or SVG."}
    ]
