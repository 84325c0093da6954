"""Partner themes: the model, palette derivation with contrast guarantees,
CSS custom properties at content-hashed URLs, and logo validation."""

from __future__ import annotations

from themes.build import (
    THEME_REQUEST_MAX_BYTES,
    BuiltTheme,
    ThemeFieldError,
    ThemeInvalid,
    ThemeRequest,
    build_theme,
    parse_theme_request,
)
from themes.css import (
    CSS_MEDIA_TYPE,
    IMMUTABLE_CACHE_CONTROL,
    ThemeCss,
    default_css,
    etag_matches,
    parse_css_file_name,
    render_css,
)
from themes.logo import LogoError, ValidLogo, logo_from_data_url, logo_path, validate_logo
from themes.model import DEFAULT_THEME, FontChoice, LogoRef, Theme
from themes.palette import Adjustment, Palette, derive_palette

__all__ = [
    "CSS_MEDIA_TYPE",
    "DEFAULT_THEME",
    "IMMUTABLE_CACHE_CONTROL",
    "THEME_REQUEST_MAX_BYTES",
    "Adjustment",
    "BuiltTheme",
    "FontChoice",
    "LogoError",
    "LogoRef",
    "Palette",
    "Theme",
    "ThemeCss",
    "ThemeFieldError",
    "ThemeInvalid",
    "ThemeRequest",
    "ValidLogo",
    "build_theme",
    "default_css",
    "derive_palette",
    "etag_matches",
    "logo_from_data_url",
    "logo_path",
    "parse_css_file_name",
    "parse_theme_request",
    "render_css",
    "validate_logo",
]
