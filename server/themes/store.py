"""Partner themes in the service: preview, publish, read back, and the files
they name (CSS in the database, logos in file storage).

The theme API and the theme studio both call these functions, so a theme
published from the studio is exactly what `PUT /partners/me/theme` stores.
A partner's themes live under its slug, its public id (`str(partner.id)`):
`/themes/<slug>/<digest>.css`, `/themes/<slug>/logo-<digest>.<ext>`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.caller import MAX_ROW_ID
from server.db.tenants import Partner
from server.db.themes import PartnerTheme
from server.file_storage import FileStorage
from server.problems import Refusal, fields_to_correct
from themes import (
    DEFAULT_THEME,
    BuiltTheme,
    LogoRef,
    Theme,
    ThemeCss,
    ThemeFieldError,
    ThemeInvalid,
    ThemeRequest,
    ValidLogo,
    build_theme,
    default_css,
    parse_theme_request,
)
from themes.css import DEFAULT_PARTNER_SLUG
from themes.logo import EXTENSIONS
from themes.messages import theme_message
from themes.model import LogoMediaType

MAX_WEBSITE_LENGTH: Final = 2000
_LOGO_FILE = re.compile(r"logo-([0-9a-f]{16})\.(png|jpg|webp|svg)")
_MEDIA_TYPES = {extension: media for media, extension in EXTENSIONS.items()}
_CONTROL = re.compile("[\x00-\x20\x7f-\x9f]")


def iso_time(value: dt.datetime) -> str:
    """As the rest of the API writes times: '2026-03-02T09:30:00Z'."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def partner_slug(partner_id: int) -> str:
    return str(partner_id)


def partner_id_from_slug(slug: str) -> int | None:
    if not slug.isascii() or not slug.isdigit() or slug.startswith("0") or len(slug) > 10:
        return None
    value = int(slug)
    return value if 0 < value <= MAX_ROW_ID else None


def logo_storage_key(partner_id: int, media_type: LogoMediaType, sha256: str) -> str:
    return f"themes/{partner_id}/logo-{sha256[:16]}.{EXTENSIONS[media_type]}"


@dataclass(frozen=True, slots=True)
class ThemeVersion:
    version: int
    published_at: dt.datetime
    built: BuiltTheme


@dataclass(frozen=True, slots=True)
class PreparedTheme:
    """A request checked end to end: what previewing shows and publishing stores."""

    request: ThemeRequest
    built: BuiltTheme
    website: str | None  # the partner's site after this request
    website_given: bool  # the body carried `website` (else the stored one stays)

    def answer(self, partner_id: int, version: ThemeVersion | None = None) -> dict[str, Any]:
        summary = self.built.summary(partner_slug(partner_id))
        summary["website"] = self.website
        summary["version"] = version.version if version else None
        summary["published_at"] = iso_time(version.published_at) if version else None
        return summary


def theme_problem(errors: Sequence[ThemeFieldError]) -> Refusal:
    """422 listing every field's refusal, said in the caller's language when answered."""
    return Refusal(
        422,
        "validation_failed",
        "The theme is not valid",
        f"{fields_to_correct(len(errors))}.",
        f"{fields_to_correct(len(errors), 'fr')}.",
        errors=[(error.field, error.en, error.fr) for error in errors],
    )


def _website_error(key: str, **values: object) -> ThemeFieldError:
    return ThemeFieldError("website", *theme_message(key, **values))


def check_website(value: object) -> str | None:
    """An absolute http(s) URL without credentials, or None; raises ThemeInvalid."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ThemeInvalid([_website_error("website_type")])
    text = value.strip()
    refused = None
    if len(text) > MAX_WEBSITE_LENGTH:
        refused = _website_error("website_too_long", limit=MAX_WEBSITE_LENGTH)
    elif _CONTROL.search(text):
        refused = _website_error("website_spaces")
    else:
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 (raises ValueError on a bad port)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in {"https", "http"} or not parts.hostname:
            refused = _website_error("website_url")
        elif parts.username or parts.password:
            refused = _website_error("website_credentials")
    if refused:
        raise ThemeInvalid([refused])
    return text


def prepare_theme(storage: FileStorage, partner: Partner, body: Mapping[str, Any]) -> PreparedTheme:
    """Validate a theme request body (the JSON object of PUT and preview).
    Raises Problem 422 with every field error at once."""
    fields = dict(body)
    website_given = "website" in fields
    website_value = fields.pop("website", None)
    errors: list[ThemeFieldError] = []
    website = partner.website
    if website_given:
        try:
            website = check_website(website_value)
        except ThemeInvalid as invalid:
            errors += invalid.errors
    try:
        request = parse_theme_request(fields)
    except ThemeInvalid as invalid:
        raise theme_problem(errors + list(invalid.errors)) from None
    if errors:
        raise theme_problem(errors)
    logo = request.theme.logo
    if request.new_logo is None and logo is not None and not has_logo(storage, partner.id, logo):
        raise theme_problem([ThemeFieldError("logo", *theme_message("logo_unknown"))])
    return PreparedTheme(request, build_theme(request.theme), website, website_given)


def has_logo(storage: FileStorage, partner_id: int, logo: LogoRef) -> bool:
    stored = storage.get(logo_storage_key(partner_id, logo.media_type, logo.sha256))
    return stored is not None and hashlib.sha256(stored).hexdigest() == logo.sha256


def store_logo(storage: FileStorage, partner_id: int, logo: ValidLogo) -> None:
    key = logo_storage_key(partner_id, logo.media_type, logo.sha256)
    stored = storage.get(key)
    if stored is not None and hashlib.sha256(stored).hexdigest() != logo.sha256:
        # Two logos sharing the first 64 bits of their digest: never overwrite.
        raise theme_problem([ThemeFieldError("logo", *theme_message("logo_collision"))])
    if stored is None:
        storage.put(key, logo.content)


async def publish_theme(
    session: AsyncSession,
    storage: FileStorage,
    partner: Partner,
    body: Mapping[str, Any],
    now: dt.datetime,
) -> dict[str, Any]:
    """Store a new version and point the partner's theme at it; the answer is
    the theme summary with its version."""
    prepared = prepare_theme(storage, partner, body)
    # Versions are numbered per partner: queue concurrent publishers on the partner row.
    await session.scalar(select(Partner.id).where(Partner.id == partner.id).with_for_update())
    if prepared.request.new_logo is not None:
        store_logo(storage, partner.id, prepared.request.new_logo)
    last = await session.scalar(
        select(func.max(PartnerTheme.version)).where(PartnerTheme.partner_id == partner.id)
    )
    css = prepared.built.css
    row = PartnerTheme(
        partner_id=partner.id,
        version=(last or 0) + 1,
        theme=prepared.built.theme.model_dump(mode="json"),
        css_text=css.text,
        css_sha256=css.sha256,
        published_at=now,
    )
    session.add(row)
    partner.theme_ref = css.path(partner_slug(partner.id))
    partner.module_name = prepared.built.theme.module_name
    if prepared.website_given:
        partner.website = prepared.website
    await session.flush()
    return prepared.answer(partner.id, _version(row))


def _version(row: PartnerTheme) -> ThemeVersion:
    theme = Theme.model_validate(row.theme)
    built = build_theme(theme)
    if built.css.sha256 != row.css_sha256:
        # The palette derivation changed since publishing: what was published
        # (and is served at the stored URL) is the stored CSS.
        built = BuiltTheme(built.theme, built.palette, ThemeCss.from_text(row.css_text))
    return ThemeVersion(row.version, row.published_at, built)


async def current_theme(session: AsyncSession, partner: Partner) -> ThemeVersion | None:
    row = await session.scalar(
        select(PartnerTheme)
        .where(PartnerTheme.partner_id == partner.id)
        .order_by(PartnerTheme.version.desc())
        .limit(1)
    )
    return None if row is None else _version(row)


def current_answer(partner: Partner, current: ThemeVersion | None) -> dict[str, Any]:
    """GET /partners/me/theme: the published theme, or the default one
    (served at `/themes/default/...`) with `version` null."""
    if current is None:
        # The default colours (the module name does not change the CSS), under the
        # partner's own module name: nothing a partner shows names Blanche.
        theme = DEFAULT_THEME.model_copy(update={"module_name": partner.module_name})
        summary = build_theme(theme).summary(DEFAULT_PARTNER_SLUG)
        summary.update(website=partner.website, version=None, published_at=None)
        return summary
    summary = current.built.summary(partner_slug(partner.id))
    summary.update(
        website=partner.website,
        version=current.version,
        published_at=iso_time(current.published_at),
    )
    return summary


async def theme_history(session: AsyncSession, partner: Partner) -> list[ThemeVersion]:
    rows = await session.scalars(
        select(PartnerTheme)
        .where(PartnerTheme.partner_id == partner.id)
        .order_by(PartnerTheme.version.desc())
    )
    return [_version(row) for row in rows]


async def find_css(session: AsyncSession, slug: str, digest: str) -> ThemeCss | None:
    """The CSS named `/themes/<slug>/<digest>.css`, whatever its version."""
    if slug == DEFAULT_PARTNER_SLUG:
        css = default_css()
        return css if css.sha256.startswith(digest) else None
    partner_id = partner_id_from_slug(slug)
    if partner_id is None:
        return None
    rows = await session.scalars(
        select(PartnerTheme.css_text).where(
            PartnerTheme.partner_id == partner_id,
            PartnerTheme.css_sha256.startswith(digest, autoescape=True),
        )
    )
    for text in rows:
        return ThemeCss.from_text(text)
    return None


def find_logo(storage: FileStorage, slug: str, file_name: str) -> tuple[bytes, str] | None:
    """The stored logo named `/themes/<slug>/logo-<digest>.<ext>` and its type."""
    match = _LOGO_FILE.fullmatch(file_name)
    partner_id = partner_id_from_slug(slug)
    if match is None or partner_id is None:
        return None
    media_type = _MEDIA_TYPES[match.group(2)]
    content = storage.get(f"themes/{partner_id}/{file_name}")
    return None if content is None else (content, media_type)
