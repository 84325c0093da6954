"""Sign-in links to the theme studio, minted by the partner's backend."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field
from starlette.responses import Response

from server.api.common import Input, Output, respond
from server.api.operation import Operation
from server.emails.documents import EmailAddress
from server.emails.smtp import ensure_configured
from server.emails.studio import send_login_link
from server.endpoint import ApiCall
from server.extra_settings import extra_settings
from server.themes.studio_links import LINK_SECONDS, StudioLinks


class StudioLinkIn(Input):
    email: EmailAddress | None = Field(
        None,
        description="Also send the link to this address (branded email); on sign-in, a "
        "notice is sent there too",
    )
    locale: Literal["fr", "en"] = "fr"


class StudioLinkOut(Output):
    url: str = Field(description="Open once within 15 minutes; it signs in to the studio")
    expires_at: dt.datetime
    emailed_to: str | None


async def create_studio_link(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()  # the studio publishes the partner's theme
    body = await call.model(StudioLinkIn)
    extra = extra_settings(call.request.app)
    if body.email:
        ensure_configured(extra.smtp)
    services = call.services
    partner = call.caller.partner
    links = StudioLinks(services.settings.signing_keys)
    now = services.clock()
    token, grant = links.mint_link(partner.id, now, body.email)
    url = links.login_url(extra.studio.public_url, token)
    if body.email:
        await send_login_link(
            call.session,
            services.storage,
            extra.smtp,
            partner,
            to=body.email,
            url=url,
            minutes=LINK_SECONDS // 60,
            locale=body.locale,
            now=now,
        )
    return respond(
        StudioLinkOut, {"url": url, "expires_at": grant.expires_at, "emailed_to": body.email}, 201
    )


OPERATIONS = (
    Operation(
        "POST",
        "/partners/me/studio-link",
        create_studio_link,
        "A one-time sign-in link to the theme studio, valid 15 minutes",
        StudioLinkIn,
        StudioLinkOut,
        201,
    ),
)
