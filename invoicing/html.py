"""Document -> HTML: the editor's live preview (the PDF, invoicing.pdf.render, prints the same
`DocumentView` with Typst).

`invoicing.document_view` builds what to show (formatted strings, amounts from
`compute_totals`); this module renders it with Jinja2, autoescaping on.

The document is rendered in sections (`SECTIONS`), each from the view's fields it
declares and kept by their values: the editor renders its preview as the user types,
and a keystroke changes a line and the totals, not the head of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from invoicing.document_view import (
    DocumentView,
    LineView,
    Pairs,
    PartyView,
    document_view,
    stylesheet,
)
from invoicing.formatting import TEMPLATES, Formatter, labels, payment_means_name, unit_name
from invoicing.model import Document
from invoicing.totals import Totals

__all__ = [
    "Formatter",
    "document_view",
    "payment_means_name",
    "render_html",
    "render_view",
    "stylesheet",
    "unit_name",
]


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.globals.update(party=_party, pairs=_pairs, line_row=_line_row)
    return environment


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the document template and the `DocumentView` fields it reads (its
    `doc` has those only, and `label`, which follows `lang`)."""

    template: str
    fields: tuple[str, ...]


SECTIONS = (
    Section(
        "document/head.html.j2",
        (
            *("lang", "kind", "meta_title", "meta_author", "meta_description", "meta_keywords"),
            *("css", "theme_css", "footer", "title", "number_line", "dates", "logo"),
            *("seller", "buyer", "delivery", "related", "references", "subject"),
        ),
    ),
    Section("document/lines.html.j2", ("lang", "show_discount", "lines", "allowances_charges")),
    Section("document/summary.html.j2", ("lang", "vat_rows", "mentions", "totals")),
    Section("document/tail.html.j2", ("lang", "kind", "payment", "notes", "supporting_documents")),
)


@cache
def _template(name: str) -> Template:
    return _environment().get_template(name)


# The parties and the lists of pairs come back unchanged from one rendering of a draft
# to the next (the editor renders its preview as the user types): their HTML is kept.
# Each depends on its arguments only (`document_parts.html.j2` sees nothing else).
@lru_cache(maxsize=2048)
def _party(view: PartyView, heading: str, class_name: str) -> Markup:
    return Markup(_parts().party(view, heading, class_name))


@lru_cache(maxsize=2048)
def _pairs(rows: Pairs, class_name: str) -> Markup:
    return Markup(_parts().pairs(rows, class_name))


@lru_cache(maxsize=8192)
def _line_row(line: LineView, show_discount: bool) -> Markup:
    return Markup(_parts().line_row(line, show_discount))


@cache
def _parts() -> Any:
    """The macros of `document_parts.html.j2`."""
    return _environment().get_template("document_parts.html.j2").module


# Whitespace between two tags, across a line break: only ever template indentation,
# since user text reaches the page escaped and cannot contain "<" or ">".
_LAYOUT_WHITESPACE = re.compile(r">\n\s*<")


def render_view(view: DocumentView) -> str:
    return "".join(
        _section(section, tuple(getattr(view, name) for name in section.fields))
        for section in SECTIONS
    )


@lru_cache(maxsize=4096)
def _section(section: Section, values: tuple[Any, ...]) -> str:
    doc = SimpleNamespace(**dict(zip(section.fields, values, strict=True)))
    doc.label = labels(doc.lang)
    # Whitespace between tags is template indentation: the preview sent to the browser
    # is smaller without it. A section starts and ends with a tag: its ends are layout too.
    return _LAYOUT_WHITESPACE.sub("><", _template(section.template).render(doc=doc)).strip()


def render_html(
    document: Document,
    *,
    locale: str = "fr",
    logo_data_uri: str | None = None,
    theme_css: str = "",
    totals: Totals | None = None,
) -> str:
    """The document as a self-contained HTML page (inline CSS, the logo as a data: URI).

    `theme_css` is the partner's CSS (usually `--brand-primary`, `--brand-secondary`
    and `--brand-accent` on `:root`); `totals` may be passed when already computed.
    """
    return render_view(
        document_view(
            document,
            locale=locale,
            logo_data_uri=logo_data_uri,
            theme_css=theme_css,
            totals=totals,
        )
    )
