"""A `DocumentView` as the JSON that `templates/document.typ` reads from sys.inputs.

The Typst page and the HTML preview print the same words because both are made
from the same view: this module only re-encodes it (strings stay strings; the
template shows them as text, never as markup). The theme's three document colours
come from the partner's theme CSS (server.themes.pdf writes it: `--brand-*: #hex`
custom properties); anything else in that CSS is ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from typing import Any

from invoicing.document_view import DocumentView

# The labels document.typ shows (the rest of the view's labels are used by the builder).
TEMPLATE_LABELS = (
    "acceptance",
    "acceptance_hint",
    "allowances_charges",
    "buyer",
    "col_amount",
    "col_description",
    "col_discount",
    "col_quantity",
    "col_unit",
    "col_unit_price",
    "col_vat",
    "col_vat_amount",
    "col_vat_base",
    "col_vat_mention",
    "col_vat_rate",
    "colon",
    "delivery_address",
    "notes",
    "payment",
    "quote_notice",
    "seller",
    "subject",
    "supporting_documents",
    "vat_breakdown",
)

# document.css's defaults for the properties a theme sets.
DEFAULT_COLOURS = {"primary": "#1f2933", "secondary": "#52606d", "accent": "#e4e7eb"}

_BRAND_COLOUR = re.compile(
    r"--brand-(primary|secondary|accent)\s*:\s*(#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3}))\s*(?=[;}])",
    re.ASCII,
)


def theme_colours(theme_css: str) -> dict[str, str]:
    """The document colours a theme's CSS sets (the last declaration of each wins,
    as in CSS), the stylesheet's defaults for the others."""
    colours = dict(DEFAULT_COLOURS)
    for name, value in _BRAND_COLOUR.findall(theme_css):
        colours[name] = value
    return colours


@dataclass(frozen=True, slots=True)
class TypstLogo:
    """Where document.typ finds the logo: an SVG's text, or a raster file's path
    under the compiler's root with its size in pixels (a browser shows a pixel as
    0.75 pt whatever DPI the file states; Typst would take the file's DPI)."""

    svg: str | None = None
    path: str | None = None
    pixels: tuple[int, int] = (0, 0)

    def as_json(self) -> dict[str, object]:
        if self.svg is not None:
            return {"svg": self.svg}
        return {"path": self.path or "", "pixels": self.pixels}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _record(item: Any) -> dict[str, Any]:
    """A view record (a party, a line, a VAT row...) as the template reads it: its
    fields under their own names, so the JSON follows the view."""
    names = _FIELD_NAMES.get(type(item))
    if names is None:
        names = _FIELD_NAMES[type(item)] = tuple(field.name for field in fields(item))
    return {name: getattr(item, name) for name in names}


def view_json(view: DocumentView, colours: dict[str, str], logo: TypstLogo | None) -> str:
    """The view's printed fields, with the template's labels, the theme's colours and
    the logo's source."""
    data = {
        "lang": view.lang,
        "kind": view.kind,
        "label": {key: view.label[key] for key in TEMPLATE_LABELS},
        "theme": colours,
        "logo": logo.as_json() if logo else None,
        "meta_title": view.meta_title,
        "meta_author": view.meta_author,
        "title": view.title,
        "number_line": view.number_line,
        "show_discount": view.show_discount,
        "seller": _record(view.seller),
        "buyer": _record(view.buyer),
        "delivery": view.delivery,
        "dates": view.dates,
        "references": view.references,
        "subject": view.subject,
        "related": view.related,
        "lines": [_record(line) for line in view.lines],
        "allowances_charges": [_record(item) for item in view.allowances_charges],
        "vat_rows": [_record(row) for row in view.vat_rows],
        "totals": [_record(row) for row in view.totals],
        "mentions": view.mentions,
        "payment": _record(view.payment),
        "notes": view.notes,
        "supporting_documents": view.supporting_documents,
        "footer": view.footer,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
