"""A `DocumentView` -> PDF/A-3b pages, by Typst (`templates/document.typ`).

One warm `typst.Compiler` per thread (the Rust object is not shared across
threads), built once with the fonts it may use and nothing else: no system font
discovery, Typst's own embedded fonts left out. Its root is a private directory
holding only the raster logos it is given (by SHA-256), so the template can read
no other file; SVG logos travel inside the data. The document reaches the template
as JSON in `sys.inputs`: it is data, never Typst source.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import typst

from invoicing.document_view import DocumentView
from invoicing.formatting import TEMPLATES
from invoicing.typst_view import TypstLogo, theme_colours, view_json

# Debian's folders of the families document.css names (Makefile: APT_RUN), and the
# colour emoji (named last in the template: every other font is tried first, so a
# digit never comes out as an emoji).
FONT_DIRECTORIES = tuple(
    f"/usr/share/fonts/truetype/{name}" for name in ("liberation", "dejavu", "wqy", "noto")
)
RASTER_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
SVG_MIME = "image/svg+xml"
PDF_STANDARD: Final = "a-3b"


@cache
def _template() -> bytes:
    return (TEMPLATES / "document.typ").read_bytes()


@dataclass(frozen=True, slots=True)
class _Root:
    path: Path
    pid: int


_root_lock = threading.Lock()
_roots: list[_Root] = []


def _root() -> Path:
    """This process's compiler root (a forked child makes its own: the parent removes
    its directory when it exits)."""
    with _root_lock:
        if _roots and _roots[-1].pid == os.getpid():
            return _roots[-1].path
        root = _Root(Path(tempfile.mkdtemp(prefix="blanche-typst-")), os.getpid())
        (root.path / "logos").mkdir()
        _roots.append(root)
        return root.path


@atexit.register
def _remove_root() -> None:
    for root in _roots:
        if root.pid == os.getpid():
            shutil.rmtree(root.path, ignore_errors=True)


def typst_logo(logo: bytes | None, mime: str | None) -> TypstLogo | None:
    """The logo as the template reads it: an SVG's text, or a raster image written
    once under the root by its digest. None without a logo or with another type."""
    if not logo:
        return None
    if mime == SVG_MIME:
        try:
            return TypstLogo(svg=logo.decode("utf-8"))
        except UnicodeDecodeError:
            return None
    extension = RASTER_EXTENSIONS.get(mime or "")
    if extension is None:
        return None
    name = f"logos/{hashlib.sha256(logo).hexdigest()}.{extension}"
    path = _root() / name
    if not path.exists():
        # Written aside then renamed: a concurrent rendering never reads half a file.
        partial = path.with_name(f"{path.name}.{threading.get_ident()}.partial")
        partial.write_bytes(logo)
        partial.replace(path)
    return TypstLogo(path=f"/{name}")


class TypstRenderer:
    def __init__(self) -> None:
        fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[path for path in FONT_DIRECTORIES if Path(path).is_dir()],
        )
        self.root = _root()
        self.compiler = typst.Compiler(root=str(self.root), font_paths=fonts)

    def pdf(self, view: DocumentView, theme_css: str, logo: TypstLogo | None) -> bytes:
        """The view's pages as PDF/A-3b (no attachment, metadata not final: see
        invoicing.pdf_finishing)."""
        data = view_json(view, theme_colours(theme_css), logo)
        pdf = self.compiler.compile(
            input=_template(),
            format="pdf",
            sys_inputs={"view": data},
            pdf_standards=PDF_STANDARD,
            timestamp=dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        assert isinstance(pdf, bytes)
        return pdf


_local = threading.local()


def renderer() -> TypstRenderer:
    """This thread's renderer, built on first use."""
    current: TypstRenderer | None = getattr(_local, "renderer", None)
    if current is None or current.root != _root():
        current = TypstRenderer()
        _local.renderer = current
    return current


def render_view_pdf(
    view: DocumentView, *, theme_css: str = "", logo: bytes | None = None, mime: str | None = None
) -> bytes:
    return renderer().pdf(view, theme_css, typst_logo(logo, mime))
