"""Issue 5's figures: palette derivation and theme CSS generation time, and the
size of the embed SDK the partner's page loads (target <= 4 KB gzipped)."""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.context import Context
from bench.editor import SizeRow
from bench.report import Row
from themes import Theme, build_theme, derive_palette
from themes.css import render_css

EMBED = Path(__file__).resolve().parents[1] / "embed"
SDK_TARGET_BYTES = 4 * 1024

# A hard case: three mid-lightness colours that all need adjusting.
_THEME = Theme(primary="#ffcc00", secondary="#7f7f7f", accent="#00a3e0", module_name="EDT Compta")


def rows(ctx: Context) -> list[Row]:
    palette = derive_palette(_THEME.primary, _THEME.secondary, _THEME.accent)
    derive = ctx.time(
        "themes.palette",
        lambda: derive_palette(_THEME.primary, _THEME.secondary, _THEME.accent),
        warmup=3,
        runs=(20, 200),
        budget_s=3.0,
    )
    css = ctx.time(
        "themes.css",
        lambda: render_css(_THEME, palette),
        warmup=10,
        runs=(100, 2000),
        budget_s=1.0,
    )
    built = build_theme(_THEME)
    adjusted = len(built.palette.adjustments)
    sizes = {
        name: len(gzip.compress((EMBED / name).read_bytes(), 9))
        for name in ("embed.js", "embed.global.js")
    }
    return [
        Row(
            "themes: palette derivation (3 colours)",
            None,
            derive,
            f"{len(built.palette.tokens)} tokens, {adjusted} adjusted for contrast",
        ),
        Row(
            "themes: CSS custom properties from a palette",
            None,
            css,
            f"{len(built.css.text):,} bytes",
        ),
        SizeRow(
            "embed: embed.js gzipped",
            None,
            None,
            f"plain-script build embed.global.js {sizes['embed.global.js'] / 1024:.1f} KB",
            size_bytes=sizes["embed.js"],
            target_bytes=SDK_TARGET_BYTES,
        ),
    ]
