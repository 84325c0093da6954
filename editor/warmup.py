"""What the first keystroke of a process would otherwise pay for: templates compiled
(the document, the editor's form and each of its blocks, a line of the lines block),
Babel's locale data, the rule tables and the document validators loaded."""

from __future__ import annotations

import datetime as dt

from editor.analysis import analyse
from editor.backend import Branding, Draft, EditorOptions, EditorSession
from editor.i18n import words
from editor.render import BLOCKS, block_html, editor_html, fragments, official_html, preview_html
from editor.shown_findings import shown_findings
from editor.view import FormView
from invoicing.samples import demo_invoice


def warm_up() -> None:
    document = demo_invoice(2).model_copy(update={"number": None})
    content = document.model_dump(mode="json", exclude_none=True)
    draft = Draft(None, document.kind, "draft", None, content, 0, None, False)
    branding = Branding("Blanche", None, None)
    expires_at = dt.datetime.now(dt.UTC)
    for locale in ("fr", "en"):
        analysis = analyse(content, locale)
        shown = shown_findings(analysis.findings, draft, locale)
        fragments(analysis, shown, locale)
        official = {"state": "pending"}
        official_html(official, locale)
        preview_html(
            analysis.document, analysis.totals, locale=locale, logo_url=None, stylesheets=()
        )
        words(locale)
        options = EditorOptions(locale=locale)
        session = EditorSession("warm-up", 0, 0, 0, None, document.kind, "", options, expires_at)
        form = FormView(
            session=session, draft=draft, content=content, analysis=analysis, branding=branding
        )
        editor_html(form, official)
        for name in BLOCKS:
            block_html(name, form)
