"""What the first keystroke of a process would otherwise pay for: templates compiled,
Babel's locale data, the rule tables and the document validators loaded."""

from __future__ import annotations

from editor.analysis import analyse
from editor.backend import Draft
from editor.i18n import words
from editor.render import fragments, official_html, preview_html
from editor.view import shown_findings
from invoicing.samples import demo_invoice


def warm_up() -> None:
    document = demo_invoice(2).model_copy(update={"number": None})
    content = document.model_dump(mode="json", exclude_none=True)
    draft = Draft(None, document.kind, "draft", None, content, 0, None, False)
    for locale in ("fr", "en"):
        analysis = analyse(content, locale)
        shown = shown_findings(analysis.findings, draft, locale)
        fragments(analysis, shown, locale)
        official_html({"state": "pending"}, locale)
        preview_html(
            analysis.document, analysis.totals, locale=locale, logo_data_uri=None, stylesheets=()
        )
        words(locale)
