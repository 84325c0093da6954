"""From a theme request body to everything publishing or previewing needs.

What the theme endpoints call (the server owns storage and HTTP):

    request = parse_theme_request(body)        # ThemeInvalid -> 422 with field errors
    if request.new_logo: store request.new_logo.content under its sha256
    elif request.theme.logo: check that logo is stored for this partner
    built = build_theme(request.theme)         # palette, adjustments, CSS, digest
    built.summary(partner_slug)                # the JSON answer (publish and preview)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError

from invoicing.field_errors import field_path
from invoicing.input_messages import input_messages
from themes.css import ThemeCss, render_css
from themes.logo import MAX_LOGO_BYTES, LogoError, ValidLogo, logo_from_data_url, logo_path
from themes.messages import theme_message
from themes.model import LogoRef, Theme
from themes.palette import Palette, derive_palette

THEME_REQUEST_MAX_BYTES: Final = MAX_LOGO_BYTES * 4 // 3 + 64 * 1024
"""A JSON body with a 1 MB logo as base64 data URL, plus the rest."""


@dataclass(frozen=True, slots=True)
class ThemeFieldError:
    """One field's refusal, said in French and in English."""

    field: str
    fr: str
    en: str


class ThemeInvalid(ValueError):
    def __init__(self, errors: list[ThemeFieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.en}" for e in errors))
        self.errors = tuple(errors)


@dataclass(frozen=True, slots=True)
class ThemeRequest:
    theme: Theme  # with `logo` set to the new upload's reference when there is one
    new_logo: ValidLogo | None  # bytes to store before saving the theme


def parse_theme_request(body: Mapping[str, Any]) -> ThemeRequest:
    """`body` is the parsed JSON: {primary, secondary, accent, module_name,
    font?, logo?}. `logo` is null/absent (no logo), a base64 data: URL (a new
    upload), or the `logo` object a previous answer returned (keep that one).
    Raises ThemeInvalid listing every field error at once."""
    errors: list[ThemeFieldError] = []
    fields = dict(body)
    logo_value = fields.pop("logo", None)
    new_logo: ValidLogo | None = None
    logo_ref: LogoRef | None = None
    if isinstance(logo_value, str):
        try:
            new_logo = logo_from_data_url(logo_value)
            logo_ref = new_logo.ref()
        except LogoError as error:
            errors.append(ThemeFieldError(error.field, error.message_fr, error.message_en))
    elif isinstance(logo_value, Mapping):
        try:
            logo_ref = LogoRef.model_validate(logo_value)
        except ValidationError as error:
            errors += _field_errors(error, prefix="logo")
    elif logo_value is not None:
        errors.append(ThemeFieldError("logo", *theme_message("logo_shape")))
    try:
        theme = Theme.model_validate(fields)
    except ValidationError as error:
        errors += _field_errors(error)
    if errors:
        raise ThemeInvalid(errors)
    return ThemeRequest(theme.model_copy(update={"logo": logo_ref}), new_logo)


def _field_errors(error: ValidationError, prefix: str = "") -> list[ThemeFieldError]:
    """Pydantic's refusals in the shared words (invoicing/input_messages.py), never
    its own English nor the input."""
    found = []
    for item in error.errors(include_url=False):
        path = field_path([part for part in (prefix, *item["loc"]) if part != ""])
        found.append(ThemeFieldError(path, *input_messages(item)))
    return found


@dataclass(frozen=True, slots=True)
class BuiltTheme:
    theme: Theme
    palette: Palette
    css: ThemeCss

    def summary(self, partner: str) -> dict[str, Any]:
        """The JSON answer of publish and preview: the CSS URL, every token,
        what was adjusted and the measured contrast of every rule."""
        return {
            "theme": self.theme.model_dump(mode="json"),
            "css_url": self.css.path(partner),
            "css_sha256": self.css.sha256,
            "logo_url": logo_path(partner, self.theme.logo) if self.theme.logo else None,
            "tokens": dict(self.palette.tokens),
            "adjustments": [a.as_dict() for a in self.palette.adjustments],
            "contrast": self.palette.contrast_report(),
        }


def build_theme(theme: Theme) -> BuiltTheme:
    palette = derive_palette(theme.primary, theme.secondary, theme.accent)
    return BuiltTheme(theme, palette, render_css(theme, palette))
