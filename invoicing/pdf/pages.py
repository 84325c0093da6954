"""A `DocumentView` -> PDF/A-3b pages, by Typst (`templates/document.typ`).

One warm `typst.Compiler` per thread (the Rust object is not shared across
threads), built once with the fonts it may use and nothing else: no system font
discovery, Typst's own embedded fonts left out (a private folder links the files
invoicing.pdf.fonts names). Its root is a private directory holding only the
raster logos it is given (by SHA-256), so the template can read no other file;
SVG logos travel inside the data. The document reaches the template as JSON in
`sys.inputs`: it is data, never Typst source.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import io
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import typst
from PIL import Image

from invoicing.document_view import DocumentView
from invoicing.formatting import TEMPLATES
from invoicing.pdf.fonts import font_files, printable
from invoicing.pdf.page_data import TypstLogo, theme_colours, view_json

logger = logging.getLogger(__name__)

RASTER_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
SVG_MIME = "image/svg+xml"
PDF_STANDARD: Final = "a-3b"
WORKSPACE_PREFIX = "blanche-typst-"


@cache
def _template() -> bytes:
    return (TEMPLATES / "document.typ").read_bytes()


@dataclass(frozen=True, slots=True)
class _Workspace:
    """This process's private folder: `root` (the compiler's root, with `logos/`)
    and `fonts` (links to the font files)."""

    path: Path
    pid: int

    @property
    def root(self) -> Path:
        return self.path / "root"

    @property
    def fonts(self) -> Path:
        return self.path / "fonts"


_workspace_lock = threading.Lock()
_workspaces: list[_Workspace] = []


def _workspace() -> _Workspace:
    """This process's workspace (a forked child makes its own: the parent removes
    its folder when it exits)."""
    with _workspace_lock:
        if _workspaces and _workspaces[-1].pid == os.getpid():
            return _workspaces[-1]
        _remove_orphans()
        pid = os.getpid()
        workspace = _Workspace(Path(tempfile.mkdtemp(prefix=f"{WORKSPACE_PREFIX}{pid}-")), pid)
        (workspace.root / "logos").mkdir(parents=True)
        workspace.fonts.mkdir()
        for index, path in enumerate(font_files()):
            (workspace.fonts / f"{index}-{path.name}").symlink_to(path)
        _workspaces.append(workspace)
        return workspace


def _remove_orphans() -> None:
    """The workspaces of processes gone without running their exit handlers (a pool
    worker killed at its deadline, a service stopped by a signal)."""
    for path in Path(tempfile.gettempdir()).glob(f"{WORKSPACE_PREFIX}*-*"):
        pid = path.name.removeprefix(WORKSPACE_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@atexit.register
def _remove_workspace() -> None:
    for workspace in _workspaces:
        if workspace.pid == os.getpid():
            shutil.rmtree(workspace.path, ignore_errors=True)


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
    try:
        with Image.open(io.BytesIO(logo)) as image:  # reads the header only
            pixels = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    name = f"logos/{hashlib.sha256(logo).hexdigest()}.{extension}"
    path = _workspace().root / name
    if not path.exists():
        # Written aside then renamed: a concurrent rendering never reads half a file.
        partial = path.with_name(f"{path.name}.{threading.get_ident()}.partial")
        partial.write_bytes(logo)
        partial.replace(path)
    return TypstLogo(path=f"/{name}", pixels=pixels)


class TypstRenderer:
    def __init__(self) -> None:
        self.workspace = _workspace()
        fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[str(self.workspace.fonts)],
        )
        self.compiler = typst.Compiler(root=str(self.workspace.root), font_paths=fonts)

    def pdf(self, view: DocumentView, theme_css: str, logo: TypstLogo | None) -> bytes:
        """The view's pages as PDF/A-3b (no attachment, metadata not final: see
        invoicing.pdf.finishing). A logo Typst cannot draw (an SVG linking a file,
        a damaged image) is left out, as a browser leaves out a broken image."""
        colours = theme_colours(theme_css)
        try:
            return self._compile(view_json(view, colours, logo))
        except typst.TypstError:
            if logo is None:
                raise
            logger.warning("the logo cannot be drawn: the PDF is rendered without it")
            return self._compile(view_json(view, colours, None))

    def _compile(self, data: str) -> bytes:
        pdf = self.compiler.compile(
            input=_template(),
            format="pdf",
            sys_inputs={"view": printable(data)},
            pdf_standards=PDF_STANDARD,
            timestamp=dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        assert isinstance(pdf, bytes)
        return pdf


_local = threading.local()


def renderer() -> TypstRenderer:
    """This thread's renderer, built on first use."""
    current: TypstRenderer | None = getattr(_local, "renderer", None)
    if current is None or current.workspace != _workspace():
        current = TypstRenderer()
        _local.renderer = current
    return current


def render_view_pdf(
    view: DocumentView, *, theme_css: str = "", logo: bytes | None = None, mime: str | None = None
) -> bytes:
    return renderer().pdf(view, theme_css, typst_logo(logo, mime))
