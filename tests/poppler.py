"""What a PDF shows, read by poppler-utils (pdftotext, pdfimages, pdftoppm): the
tools a person uses to look at a rendered page, run on real files."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_SPACES = re.compile(r"\s+")


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The text of every page, as pdftotext extracts it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        options = ["-layout"] if layout else []
        done = subprocess.run(
            ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return done.stdout.decode()


def normalized_words(text: str) -> list[str]:
    """Words in reading order, whatever the line breaks and spaces (no-break too)."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).split()


@dataclass(frozen=True, slots=True)
class PdfImage:
    page: int
    kind: str  # "image", "smask" (an alpha channel)...
    width: int
    height: int


def pdf_images(pdf: bytes) -> list[PdfImage]:
    """The images drawn in the PDF (`pdfimages -list`)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            ["pdfimages", "-list", str(path)], capture_output=True, check=True, timeout=60
        )
    images = []
    for row in done.stdout.decode().splitlines()[2:]:  # two header lines
        cells = row.split()
        images.append(PdfImage(int(cells[0]), cells[2], int(cells[3]), int(cells[4])))
    return images


def pdf_pages_png(pdf: bytes, folder: Path, *, dpi: int = 100, prefix: str = "page") -> list[Path]:
    """Each page as a PNG at `dpi` (pdftoppm), to be looked at."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{prefix}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / prefix)],
        check=True,
        timeout=120,
    )
    return sorted(folder.glob(f"{prefix}-*.png"))
