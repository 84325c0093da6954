"""The partner's theme: publish, preview, read, history (`/partners/me/theme`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field
from starlette.responses import Response

from server.api.common import Input, Output
from server.api.operation import Operation
from server.endpoint import ApiCall
from server.http_json import json_response
from server.themes.store import (
    current_answer,
    current_theme,
    iso_time,
    partner_slug,
    prepare_theme,
    publish_theme,
    theme_history,
)
from themes import THEME_REQUEST_MAX_BYTES, FontChoice, LogoRef, Theme


class ThemeIn(Input):
    """The body of publish and preview (checked by `themes.parse_theme_request`)."""

    primary: str = Field(description="'#rrggbb' (also 'rrggbb' or '#rgb')")
    secondary: str
    accent: str
    module_name: str = Field(description='The product name users see, e.g. "EDT Compta"')
    font: FontChoice | None = None
    logo: str | LogoRef | None = Field(
        None,
        description="null: no logo; a base64 data: URL (PNG, JPEG, WebP up to 1 MB, or SVG, "
        "sanitized): a new logo; the `logo` object of a previous answer: keep that logo",
    )
    website: str | None = Field(
        None,
        description="The partner's site, linked from email footers; omit to keep the "
        "current one, null to remove it",
    )


class AdjustmentOut(Output):
    token: str
    from_: str = Field(alias="from")
    to: str
    reason: str


class ContrastOut(Output):
    foreground: str
    background: str
    minimum: float
    ratio: float
    purpose: str


class ThemeOut(Output):
    theme: Theme
    css_url: str = Field(description="Same-origin path of the CSS: immutable, cache it")
    css_sha256: str
    logo_url: str | None
    tokens: dict[str, str] = Field(description="Every `--bl-<token>` colour of the CSS")
    adjustments: list[AdjustmentOut] = Field(
        description="Colours moved to reach WCAG 2.2 AA contrast, with the reason"
    )
    contrast: list[ContrastOut] = Field(description="Each contrast rule and its measured ratio")
    website: str | None
    version: int | None = Field(description="null: not published (preview, or the default)")
    published_at: dt.datetime | None


class ThemeHistoryOut(Output):
    items: list[ThemeOut]


async def _theme_body(call: ApiCall) -> dict[str, Any]:
    # A logo travels inside the JSON as a data: URL: the operations' body limit is
    # THEME_REQUEST_MAX_BYTES rather than the usual one.
    return await call.json()


async def put_theme(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()  # the theme is the partner's, not one company's
    body = await _theme_body(call)
    answer = await publish_theme(
        call.session, call.services.storage, call.caller.partner, body, call.services.clock()
    )
    return json_response(answer)


async def preview_theme(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()
    body = await _theme_body(call)
    prepared = prepare_theme(call.services.storage, call.caller.partner, body)
    return json_response(prepared.answer(call.caller.partner_id))


async def get_theme(call: ApiCall) -> Response:
    partner = call.caller.partner
    return json_response(current_answer(partner, await current_theme(call.session, partner)))


async def get_theme_history(call: ApiCall) -> Response:
    partner = call.caller.partner
    items = []
    for version in await theme_history(call.session, partner):
        summary = version.built.summary(partner_slug(partner.id))
        summary.update(
            website=None, version=version.version, published_at=iso_time(version.published_at)
        )
        items.append(summary)
    return json_response({"items": items})


OPERATIONS = (
    Operation(
        "GET",
        "/partners/me/theme",
        get_theme,
        "The published theme (or the default one, with version null)",
        response=ThemeOut,
    ),
    Operation(
        "PUT",
        "/partners/me/theme",
        put_theme,
        "Publish a theme: a new version, used by the editor, emails and PDFs from now on",
        ThemeIn,
        ThemeOut,
        max_body_bytes=THEME_REQUEST_MAX_BYTES,
    ),
    Operation(
        "POST",
        "/partners/me/theme/preview",
        preview_theme,
        "Check a theme and see its CSS, tokens and contrast report without publishing",
        ThemeIn,
        ThemeOut,
        max_body_bytes=THEME_REQUEST_MAX_BYTES,
    ),
    Operation(
        "GET",
        "/partners/me/theme/history",
        get_theme_history,
        "Every published version, newest first",
        response=ThemeHistoryOut,
    ),
)
