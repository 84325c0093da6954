"""A partner theme: three colours, a module name, an optional font and logo.

This is what is stored and published. The logo itself (bytes) lives in file
storage under its SHA-256; the theme holds a `LogoRef` to it, produced by
`themes.logo.validate_logo`.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from themes.colors import normalize_hex

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def _hex_color(value: str) -> str:
    return normalize_hex(value)


def _one_line(value: str) -> str:
    value = value.strip()
    if not value:
        # The type pydantic gives an empty text, for the shared words (invoicing/input_messages.py).
        raise PydanticCustomError(
            "string_too_short", "String should have at least 1 character", {"min_length": 1}
        )
    match = _CONTROL.search(value)
    if match:
        raise ValueError(
            f"contains the control character U+{ord(match.group()):04X} at position "
            f"{match.start()}; remove it"
        )
    return value


HexColor = Annotated[str, StringConstraints(max_length=7), AfterValidator(_hex_color)]
"""'#1a73e8' (also '1A73E8' or '#abc' on input); always '#rrggbb' once validated."""

ModuleName = Annotated[str, StringConstraints(max_length=60), AfterValidator(_one_line)]


class FontChoice(StrEnum):
    """Fonts every browser has or falls back from gracefully: nothing is fetched
    from a font CDN (privacy, CSP) and nothing is typed into CSS by a partner."""

    SYSTEM = "system"
    HUMANIST = "humanist"
    GEOMETRIC = "geometric"
    SERIF = "serif"
    ROUNDED = "rounded"


FONT_STACKS: dict[FontChoice, str] = {
    FontChoice.SYSTEM: (
        'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif'
    ),
    FontChoice.HUMANIST: (
        'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif'
    ),
    FontChoice.GEOMETRIC: (
        'Avenir, Montserrat, Corbel, "URW Gothic", "Liberation Sans", source-sans-pro, sans-serif'
    ),
    FontChoice.SERIF: (
        'Charter, "Bitstream Charter", "Sitka Text", Cambria, "Liberation Serif", serif'
    ),
    FontChoice.ROUNDED: (
        'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari,'
        ' "Arial Rounded MT Bold", Calibri, "Liberation Sans", sans-serif'
    ),
}

LogoMediaType = Literal["image/png", "image/jpeg", "image/webp", "image/svg+xml"]


class LogoRef(BaseModel):
    """A validated logo kept in file storage under its SHA-256."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    media_type: LogoMediaType
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    size: int = Field(gt=0, description="bytes, after sanitizing for SVG")


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    primary: HexColor = Field(description="buttons, links, focus ring, surface tint")
    secondary: HexColor = Field(description="secondary buttons and labels")
    accent: HexColor = Field(description="accent buttons and highlights")
    module_name: ModuleName = Field(
        description='the product name shown to users, e.g. "EDT Compta"'
    )
    font: FontChoice | None = None
    logo: LogoRef | None = None

    @property
    def font_stack(self) -> str:
        return FONT_STACKS[self.font or FontChoice.SYSTEM]


DEFAULT_THEME = Theme(
    primary="#3454d1",
    secondary="#4a5568",
    accent="#7c3aed",
    module_name="Blanche",
)
"""For partners who have not published a theme: a calm blue, slate and violet
(chosen so that no colour needs an adjustment)."""
