"""The studio's Reflex state: the theme being edited and what it looks like.

Every change re-runs the preview (the same checks as the API's preview), so the
contrast report, the email and PDF previews follow what the designer types.
The session token (from the login link) lives in the browser's localStorage.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from server.problems import Problem
from themes import LogoError, validate_logo
from themes.studio.backend import Previews, StudioBackend, StudioSignedOut, ThemeErrors
from themes.studio.words import LANGUAGES, language_of, purpose, reason, sample_buttons, words

_BACKEND: list[StudioBackend] = []


def configure(backend: StudioBackend) -> None:
    """Called once by `themes.studio.serve` before serving."""
    _BACKEND[:] = [backend]


def backend() -> StudioBackend:
    if not _BACKEND:
        raise RuntimeError("the studio backend is not configured (themes.studio.serve)")
    return _BACKEND[0]


FONTS = ["system", "humanist", "geometric", "serif", "rounded"]


class StudioState(rx.State):
    session_token: str = rx.LocalStorage("", name="blanche_studio_session")
    lang: str = rx.LocalStorage("", name="blanche_studio_lang")  # "": the browser's
    signed_in: bool = False
    status: str = ""
    partner_name: str = ""
    main_url: str = ""

    primary: str = "#3454d1"
    secondary: str = "#4a5568"
    accent: str = "#7c3aed"
    module_name: str = ""
    font: str = "system"
    website: str = ""
    logo_preview: str = ""  # a data: URL (new upload) or the served URL of the stored logo
    logo_note: str = ""

    errors: list[dict[str, str]] = []  # noqa: RUF012 (a Reflex state var)
    adjustments: list[dict[str, str]] = []  # noqa: RUF012 (a Reflex state var)
    contrast: list[dict[str, str]] = []  # noqa: RUF012 (a Reflex state var)
    tokens: dict[str, str] = {}  # noqa: RUF012 (a Reflex state var)
    preview_css_url: str = ""
    quote_email_html: str = ""
    invoice_email_html: str = ""
    pdf_png: str = ""

    published_version: int = 0
    published_css_url: str = ""
    editor_url: str = ""
    editor_note: str = ""

    @rx.var
    def t(self) -> dict[str, str]:
        """The studio's words in its language."""
        return words(self.language)

    @rx.var
    def sample_labels(self) -> list[str]:
        return list(sample_buttons(self.language))

    @rx.var
    def language_value(self) -> str:
        return self.language

    @property
    def language(self) -> str:
        return self.lang if self.lang in LANGUAGES else "fr"

    def _w(self, key: str) -> str:
        return words(self.language)[key]

    def _choose_language(self) -> None:
        if self.lang not in LANGUAGES:
            self.lang = language_of(self.router.headers.accept_language)

    @rx.event
    def set_lang(self, value: str) -> Any:
        if value not in LANGUAGES:
            return None
        self.lang = value
        if not self.signed_in:
            return None
        return [StudioState.refresh, StudioState.mount_editor]

    # Backend-only (never sent to the browser): the logo as the API takes it,
    # a data: URL for a new upload or the stored logo's object.
    _logo_value: Any = None

    def _body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "primary": self.primary,
            "secondary": self.secondary,
            "accent": self.accent,
            "module_name": self.module_name,
            "font": self.font or None,
            "logo": self._logo_value,
            "website": self.website.strip() or None,
        }
        return body

    # --- pages ---------------------------------------------------------------------------

    @rx.event
    async def sign_in(self) -> AsyncIterator[Any]:
        self._choose_language()
        token = self.router.url.query_parameters.get("t", "")
        try:
            self.session_token = await backend().sign_in(token)
        except StudioSignedOut:
            self.signed_in = False
            self.status = self._w("link_invalid")
            return
        yield rx.redirect("/", replace=True)

    @rx.event
    async def load(self) -> AsyncIterator[Any]:
        self._choose_language()
        studio = backend()
        self.main_url = studio.settings.public_url
        try:
            self.partner_name, current = await studio.current(self.session_token)
        except StudioSignedOut:
            self.signed_in = False
            self.status = self._w("signed_out")
            return
        self.signed_in = True
        theme = current["theme"]
        self.primary, self.secondary, self.accent = (
            theme["primary"],
            theme["secondary"],
            theme["accent"],
        )
        self.module_name = theme["module_name"]
        self.font = theme["font"] or "system"
        self.website = current["website"] or ""
        self._logo_value = theme["logo"]
        self.logo_preview = self._served(current["logo_url"])
        self.published_version = current["version"] or 0
        self.published_css_url = current["css_url"] if current["version"] else ""
        self.status = ""
        yield StudioState.refresh
        yield StudioState.mount_editor

    def _served(self, path: str | None) -> str:
        return f"{self.main_url}{path}" if path else ""

    # --- editing -------------------------------------------------------------------------

    @rx.event
    def set_primary(self, value: str) -> Any:
        self.primary = value.strip()
        return StudioState.refresh

    @rx.event
    def set_secondary(self, value: str) -> Any:
        self.secondary = value.strip()
        return StudioState.refresh

    @rx.event
    def set_accent(self, value: str) -> Any:
        self.accent = value.strip()
        return StudioState.refresh

    @rx.event
    def set_module_name(self, value: str) -> Any:
        self.module_name = value
        return StudioState.refresh

    @rx.event
    def set_font(self, value: str) -> Any:
        self.font = value if value in FONTS else "system"
        return StudioState.refresh

    @rx.event
    def set_website(self, value: str) -> Any:
        self.website = value
        return StudioState.refresh

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]) -> Any:
        if not files or not self.signed_in:
            return None
        upload = files[0]
        data = await upload.read()
        try:
            logo = validate_logo(data, upload.content_type)
        except LogoError as error:
            self.logo_note = error.message(self.language)
            return None
        url = f"data:{logo.media_type};base64,{base64.b64encode(logo.content).decode()}"
        self._logo_value = url
        self.logo_preview = url
        size = f"{len(logo.content):,}".replace(",", "\u202f" if self.language == "fr" else ",")
        note = self._w("logo_note").format(width=logo.width, height=logo.height, size=size)
        removed = ", ".join(logo.removed)
        self.logo_note = note + (self._w("logo_removed").format(what=removed) if removed else "")
        return StudioState.refresh

    @rx.event
    def remove_logo(self) -> Any:
        self._logo_value = None
        self.logo_preview = ""
        self.logo_note = ""
        return StudioState.refresh

    @rx.event
    async def refresh(self) -> None:
        if not self.signed_in:
            return
        studio = backend()
        try:
            result = await studio.preview(self.session_token, self._body(), self.language)
        except StudioSignedOut:
            self.signed_in = False
            self.status = self._w("signed_out")
            return
        if isinstance(result, ThemeErrors):
            self.errors = result.errors
            return
        self.errors = []
        self._show(result)
        self.pdf_png = await studio.pdf_preview(result)

    def _show(self, previews: Previews) -> None:
        summary = previews.summary
        self.tokens = summary["tokens"]
        language = self.language
        self.adjustments = [
            {**item, "reason": reason(item["reason"], language)} for item in summary["adjustments"]
        ]
        on = self._w("on")
        self.contrast = [
            {
                "pair": f"{rule['foreground']} {on} {rule['background']}",
                "purpose": purpose(rule["purpose"], language),
                "ratio": f"{rule['ratio']:.2f}",
                "minimum": f"{rule['minimum']:g}",
            }
            for rule in summary["contrast"]
        ]
        self.preview_css_url = summary["css_url"]
        self.quote_email_html = previews.quote_email_html
        self.invoice_email_html = previews.invoice_email_html

    @rx.event
    async def publish(self) -> AsyncIterator[Any]:
        try:
            answer = await backend().publish(self.session_token, self._body())
        except StudioSignedOut:
            self.signed_in = False
            self.status = self._w("signed_out")
            return
        except Problem as problem:
            said = problem.localized(self.language)
            self.errors = [error.as_dict() for error in said.errors] or [
                {"field": "", "message": said.detail or said.title}
            ]
            return
        self.errors = []
        self._logo_value = answer["theme"]["logo"]
        self.published_version = answer["version"]
        self.published_css_url = answer["css_url"]
        self.status = self._w("published").format(version=answer["version"])
        yield StudioState.mount_editor

    # --- the real editor, embedded like a partner does -----------------------------------

    @rx.event
    async def mount_editor(self) -> Any:
        try:
            url = await backend().editor_preview_url(self.session_token, self.language)
        except StudioSignedOut:
            return None
        if url is None:
            self.editor_url = ""
            self.editor_note = self._w("editor_needs_company")
            return None
        self.editor_url = url
        self.editor_note = ""
        sdk = json.dumps(f"{self.main_url}/embed/embed.global.js")
        title = json.dumps(self._w("editor_title"))
        return rx.call_script(
            "(function () {"
            f" const url = {json.dumps(url)}, sdk = {sdk};"
            ' const slot = document.getElementById("editor-slot");'
            " if (!slot) return;"
            " function go() {"
            "  if (window.__studioEditor) window.__studioEditor.unmount();"
            "  window.__studioEditor = window.Blanche.mount(slot, {url: url, minHeight: 480,"
            f" title: {title}}});"
            " }"
            " if (window.Blanche) { go(); return; }"
            ' const script = document.createElement("script");'
            " script.src = sdk; script.onload = go; document.head.append(script);"
            "})()"
        )
