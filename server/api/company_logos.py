"""The seller's own logo: `PUT /companies/{id}/logo` with the image as the body
(`image/png`, `image/jpeg`, `image/webp`, or SVG sanitized as theme logos are; 1 MB at
most; rasters decoded and written again with Pillow), `GET` to see it, `DELETE` to
remove it. It belongs on the seller's documents; the partner's brand stays on the
editor around them and on emails (its theme)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from server.api.common import Deleted, Output, respond
from server.api.operation import Operation
from server.db.base import utcnow
from server.db.company_logos import CompanyLogo
from server.endpoint import ApiCall
from server.problems import Refusal, field_refusal
from themes.logo import MAX_LOGO_BYTES, SVG_RESPONSE_HEADERS, LogoError, ValidLogo, validate_logo


class CompanyLogoOut(Output):
    company_id: int
    media_type: str
    sha256: str
    width: int
    height: int
    size: int


async def _validated(body: bytes) -> ValidLogo | LogoError:
    """Before the transaction opens: the decoding and re-encoding are the heavy part."""
    try:
        return validate_logo(body)
    except LogoError as error:
        return error


async def put_logo(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    result = call.prepared
    if isinstance(result, LogoError):
        raise field_refusal("logo_refused", "logo", result.message_en, result.message_fr)
    assert isinstance(result, ValidLogo)
    declared = call.request.headers.get("content-type")
    if declared:
        try:
            validate_logo(result.content, declared)  # the declared type must agree
        except LogoError as error:
            raise field_refusal(
                "logo_refused", "logo", error.message_en, error.message_fr
            ) from None
    row = await call.session.get(CompanyLogo, company.id)
    if row is None:
        row = CompanyLogo(company_id=company.id, partner_id=company.partner_id)
        call.session.add(row)
    row.media_type, row.content, row.sha256 = result.media_type, result.content, result.sha256
    row.width, row.height, row.updated_at = result.width, result.height, utcnow()
    await call.session.flush()
    return respond(CompanyLogoOut, _out(row))


def _out(row: CompanyLogo) -> dict[str, Any]:
    return {
        "company_id": row.company_id,
        "media_type": row.media_type,
        "sha256": row.sha256,
        "width": row.width,
        "height": row.height,
        "size": len(row.content),
    }


async def _logo(call: ApiCall) -> CompanyLogo:
    company = await call.caller.company(call.session, call.path_id())
    row = (
        await call.session.execute(select(CompanyLogo).where(CompanyLogo.company_id == company.id))
    ).scalar_one_or_none()
    if row is None:
        english, french = "This company has no logo.", "Cette entreprise n'a pas de logo."
        raise Refusal(404, "no_logo", "No logo", english, french)
    return row


async def get_logo(call: ApiCall) -> Response:
    row = await _logo(call)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
    if row.media_type == "image/svg+xml":
        headers.update(SVG_RESPONSE_HEADERS)
    return Response(row.content, media_type=row.media_type, headers=headers)


async def delete_logo(call: ApiCall) -> Response:
    row = await _logo(call)
    await call.session.delete(row)
    return respond(Deleted, {"id": row.company_id})


OPERATIONS = (
    Operation(
        "PUT",
        "/companies/{id:int}/logo",
        put_logo,
        "Set the seller's logo (body: a PNG, JPEG, WebP or SVG image, 1 MB at most)",
        response=CompanyLogoOut,
        max_body_bytes=MAX_LOGO_BYTES,
        prepare=_validated,
    ),
    Operation(
        "GET",
        "/companies/{id:int}/logo",
        get_logo,
        "The seller's logo (the image)",
        media_type="image/*",
    ),
    Operation("DELETE", "/companies/{id:int}/logo", delete_logo, "Remove the seller's logo"),
)
