"""The seller's logo, set or removed from the editor (where the session's options
allow it: `logo_upload`).

The live channel carries messages of 256 KB at most and a logo may weigh 1 MB, so
the page asks the channel for a signed link (`logo` message, `op: "link"`), PUTs
the file there (the image as the body; the backend's route reads it with
`read_logo` and answers with `answer`), then says `op: "changed"`: the live draft
takes the new logo and every peer's preview shows it. `op: "remove"` removes it.
The page checks the type and size first, with the same words as the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from themes.logo import MAX_LOGO_BYTES, LogoError, ValidLogo, validate_logo

if TYPE_CHECKING:
    from editor.live.connection import Connection

ACCEPTED_TYPES = ("image/png", "image/jpeg", "image/webp", "image/svg+xml")

WORDS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "logo_title": "Votre logo",
        "logo_current": "Votre logo actuel",
        "logo_hint": "Imprimé sur vos factures et devis. PNG, JPEG, WebP ou SVG, 1 Mo au plus.",
        "logo_choose": "Choisir une image",
        "logo_remove": "Retirer le logo",
        "logo_saved": "Logo enregistré : il figure sur l'aperçu et le PDF.",
        "logo_removed": "Logo retiré.",
        "logo_sending": "Envoi du logo…",
        "logo_too_big": "Cette image pèse plus de 1 Mo : choisissez un fichier plus léger.",
        "logo_wrong_type": "Ce fichier n'est pas une image PNG, JPEG, WebP ou SVG lisible.",
        "logo_empty": "Ce fichier est vide.",
        "logo_expired": "Le délai d'envoi est dépassé : choisissez le fichier à nouveau.",
        "logo_failed": "Le logo n'a pas pu être enregistré : réessayez.",
    },
    "en": {
        "logo_title": "Your logo",
        "logo_current": "Your current logo",
        "logo_hint": "Printed on your invoices and quotes. PNG, JPEG, WebP or SVG, 1 MB at most.",
        "logo_choose": "Choose an image",
        "logo_remove": "Remove the logo",
        "logo_saved": "Logo saved: it is on the preview and the PDF.",
        "logo_removed": "Logo removed.",
        "logo_sending": "Sending the logo…",
        "logo_too_big": "This image is larger than 1 MB: choose a lighter file.",
        "logo_wrong_type": "This file is not a readable PNG, JPEG, WebP or SVG image.",
        "logo_empty": "This file is empty.",
        "logo_expired": "The upload link has expired: choose the file again.",
        "logo_failed": "The logo could not be saved: try again.",
    },
}

_STATUS = {"logo_too_big": 413, "logo_expired": 410}


def words(locale: str) -> Mapping[str, str]:
    return WORDS["en" if locale == "en" else "fr"]


async def read_logo(request: Request) -> ValidLogo | str:
    """The request's body as a checked logo (rasters re-encoded, SVG sanitized), or
    the code of the refusal. Reads at most MAX_LOGO_BYTES + 1 bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_LOGO_BYTES:
        return "logo_too_big"
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_LOGO_BYTES:
            return "logo_too_big"
    if not body:
        return "logo_empty"
    content_type = request.headers.get("content-type") or None
    try:
        # Decoding and re-encoding an image is heavy: off the event loop.
        return await asyncio.to_thread(validate_logo, bytes(body), content_type)
    except LogoError:
        return "logo_wrong_type"


def answer(code: str | None, locale: str) -> JSONResponse:
    """`{"ok": true}`, or `{"ok": false, "code", "message"}` in the user's language."""
    headers = {"Cache-Control": "no-store"}
    if code is None:
        return JSONResponse({"ok": True}, headers=headers)
    message = words(locale).get(code) or words(locale)["logo_failed"]
    return JSONResponse(
        {"ok": False, "code": code, "field": "logo", "message": message},
        status_code=_STATUS.get(code, 422),
        headers=headers,
    )


async def on_logo_message(connection: Connection, message: Mapping[str, Any]) -> None:
    """A `logo` message of the live channel: `op` "link", "changed" or "remove"."""
    live = connection.live_draft
    op = message.get("op")
    request = message.get("id")
    if not isinstance(request, int | str) or isinstance(request, bool):
        request = None
    reply: dict[str, Any] = {"type": "result", "id": request, "action": "logo"}
    allowed = (
        connection.session.options.logo_upload
        and connection.writes
        and live.draft.status == "draft"
    )
    w = words(connection.locale)
    if not allowed or op not in ("link", "changed", "remove"):
        await connection.send({**reply, "ok": False, "message": w["logo_failed"]})
        return
    backend = connection.backend
    if op == "link":
        url = await backend.logo_upload_url(connection.session)
        await connection.send({**reply, "ok": True, "url": url})
        return
    if op == "remove":
        await backend.remove_logo(connection.session)
    live.logo = await backend.document_logo(connection.session, live.draft.document_id)
    text = w["logo_removed"] if op == "remove" else w["logo_saved"]
    await connection.send({**reply, "ok": True, "message": text, "has_logo": bool(live.logo)})
    await live.push_preview()
