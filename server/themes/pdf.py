"""A partner theme for the document template (PDF and live preview).

`invoicing/templates/document.css` is themed by three properties. The document
prints white text on `--brand-primary` and `--brand-primary` text on white, so
it takes the palette's brand heading colour (contrast-checked for text on the
light surfaces); headings in `--brand-secondary` take the secondary text
colour; the buyer block's band takes the light selected tint.
"""

from __future__ import annotations

from themes import BuiltTheme

PDF_TOKENS = {
    "--brand-primary": "heading-brand",
    "--brand-secondary": "secondary-text",
    "--brand-accent": "selected-bg",
}


def pdf_theme_css(built: BuiltTheme) -> str:
    tokens = built.palette.tokens
    lines = [f"  {name}: {tokens[token]};" for name, token in PDF_TOKENS.items()]
    return ":root {\n" + "\n".join(lines) + "\n}\n"
