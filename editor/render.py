"""Server-rendered HTML: the page, the editor, its blocks and live fragments (Jinja2,
autoescaping on: everything a user typed is escaped here), and the preview."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from editor.amount_rows import TotalRow, total_rows, vat_rows
from editor.analysis import PROFILE, Analysis
from editor.assets import Assets
from editor.backend import Contact, Product
from editor.buyer_card import buyer_card_lines
from editor.due_dates import due_field_text, due_text
from editor.i18n import words
from editor.logo import upload as logo_upload
from editor.logo.image import is_logo_path
from editor.official_view import official_view
from editor.shown_findings import ShownFinding
from editor.view import FormView, LineView, raw_value
from invoicing.html import Formatter, document_view, render_view
from invoicing.model import Document, DocumentKind
from invoicing.totals import Totals
from themes.logo import MAX_LOGO_BYTES

TEMPLATES = Path(__file__).parent / "templates"
BLOCKS = ("header", "customer", "lines", "details", "notes")


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.globals["line_html"] = line_html
    environment.globals.update(
        logo_words=logo_upload.words,
        logo_types=logo_upload.ACCEPTED_TYPES,
        logo_max_bytes=MAX_LOGO_BYTES,
    )
    return environment


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


_LINE_CACHE_SIZE = 4096
_lines_rendered: dict[tuple[Any, ...], str] = {}


def line_html(form: FormView, line: LineView, first: bool, last: bool) -> Markup:
    """One line of the lines block. Its HTML depends on the line's values, its place
    and the form's language and state only: kept, so that adding, moving or removing
    a line renders only the lines that changed."""
    values = json.dumps(raw_value(form.content, ("lines", line.index)), sort_keys=True)
    key = (form.locale, form.read_only, values, line, first, last)
    html = _lines_rendered.get(key)
    if html is None:
        html = render("blocks/line.html.j2", form=form, line=line, first=first, last=last)
        if len(_lines_rendered) >= _LINE_CACHE_SIZE:
            del _lines_rendered[next(iter(_lines_rendered))]  # the oldest
        _lines_rendered[key] = html
    return Markup(html)


def page_html(assets: Assets, *, lang: str, parent_origin: str, ws_path: str) -> str:
    return render(
        "page.html.j2",
        assets=assets,
        lang=lang,
        w=words(lang),
        fr=words("fr"),
        en=words("en"),
        parent_origin=parent_origin,
        ws_path=ws_path,
    )


def fragment_context(
    analysis: Analysis, shown: Sequence[ShownFinding], locale: str
) -> dict[str, Any]:
    fmt = Formatter(locale, analysis.document.currency)
    rows = total_rows(analysis.totals, fmt, locale, already_paid=analysis.document.already_paid)
    due = due_text(analysis.document, fmt, locale)
    if due is not None:
        rows.append(TotalRow(words(locale)["due_on"], due))
    return {
        "w": words(locale),
        "totals": rows,
        "vat": vat_rows(analysis.totals, fmt, locale),
        "findings": shown,
        "quote": analysis.document.kind is DocumentKind.QUOTE,
    }


def editor_html(form: FormView, official: Mapping[str, Any]) -> str:
    context = fragment_context(form.analysis, form.findings(), form.locale)
    return render("editor.html.j2", form=form, official=official, **context)


def block_html(name: str, form: FormView) -> str:
    if name not in BLOCKS:
        raise ValueError(f"no block {name}")
    return render(f"blocks/{name}.html.j2", form=form, w=form.w)


def fragments(analysis: Analysis, shown: Sequence[ShownFinding], locale: str) -> dict[str, str]:
    """The live fragments: totals, VAT breakdown, findings summary, the due date and
    the customer card with its scope."""
    context = fragment_context(analysis, shown, locale)
    names = ("totals", "vat", "findings")
    quote = context["quote"]
    told = {name: _fragment(name, locale, tuple(context[name]), quote) for name in names}
    # Text, not HTML: the value of the read-only due date beside the payment term.
    fmt = Formatter(locale, analysis.document.currency)
    told["due"] = due_field_text(analysis.document, fmt, locale)
    document = analysis.document
    card = buyer_card_lines(document.buyer, words(locale))
    scope = None if document.kind is DocumentKind.QUOTE else analysis.scope.value
    told["customer_summary"] = _customer_summary(locale, card, scope)
    return told


@lru_cache(maxsize=1024)
def _customer_summary(locale: str, card: tuple[str, ...], scope: str | None) -> str:
    return render("fragments/customer_summary.html.j2", w=words(locale), card=card, scope=scope)


@lru_cache(maxsize=4096)
def _fragment(name: str, locale: str, rows: tuple[Any, ...], quote: bool = False) -> str:
    """Most keystrokes leave most fragments as they were: their HTML is kept by value."""
    return render(f"fragments/{name}.html.j2", w=words(locale), quote=quote, **{name: rows})


def official_html(official: Mapping[str, Any], locale: str) -> str:
    view = official_view(official, locale)
    return render("fragments/official.html.j2", official=view, w=words(locale))


@cache
def pending_official_html(locale: str) -> str:
    """Said after every patch until the official check has run on the new draft."""
    return official_html({"state": "pending"}, locale)


def profile_label(french: bool) -> str:
    label = "Factur-X EN 16931" if PROFILE.value == "en16931" else f"Factur-X {PROFILE.value}"
    return label + (" + BR-FR" if french else "")


def contact_options(contacts: Iterable[Contact], locale: str) -> str:
    items = []
    for contact in contacts:
        city = " ".join(p for p in (contact.address.postcode, contact.address.city) if p)
        detail = " · ".join(p for p in (contact.siren or "", city) if p)
        items.append({"id": contact.id, "main": contact.name, "detail": detail})
    return render("fragments/options.html.j2", items=items, prefix="bl-contact", w=words(locale))


def product_options(products: Iterable[Product], locale: str, currency: str = "EUR") -> str:
    fmt = Formatter(locale, currency)
    items = [
        {"id": product.id, "main": product.name, "detail": fmt.unit_price(product.unit_price)}
        for product in products
    ]
    return render("fragments/options.html.j2", items=items, prefix="bl-product", w=words(locale))


def preview_html(
    document: Document,
    totals: Totals,
    *,
    locale: str,
    logo_url: str | None,
    stylesheets: Sequence[str],
) -> str:
    """The document's own HTML (what the PDF renders), linking its stylesheets
    instead of inlining them: the editor page's CSP allows no inline style; and
    its logo by path (editor.logo.image), where the PDF has the image itself."""
    view = document_view(document, locale=locale, totals=totals, inline_css=False)
    if logo_url is not None and is_logo_path(logo_url):
        view = replace(view, logo=logo_url)
    html = render_view(view)
    links = _stylesheet_links(tuple(stylesheets))
    head_end = html.find("</head>")
    return html[:head_end] + links + html[head_end:] if head_end >= 0 else html


@lru_cache(maxsize=256)  # a partner's theme: the same few URLs for every preview
def _stylesheet_links(urls: tuple[str, ...]) -> str:
    return str(
        Markup("").join(Markup('<link rel="stylesheet" href="{}">').format(url) for url in urls)
    )
