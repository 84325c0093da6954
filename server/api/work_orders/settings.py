"""The partner's work-order settings: where the description goes, which work
orders are skipped, and the default line."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from invoicing.text import Text
from server.api.common import Input, Output, respond
from server.api.operation import Operation
from server.db.base import utcnow
from server.db.integrations import WorkOrderSettings
from server.endpoint import ApiCall

SkipWord = Annotated[Text, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class WorkOrderSettingsIn(Input):
    description_as: Literal["line", "note"] = Field(
        "line", description="The work description becomes the first line (at no charge) or a note"
    )
    skip_words: list[SkipWord] = Field(
        default_factory=list,
        max_length=100,
        description='Work orders mentioning one of these words are not invoiced (e.g. "Garantie")',
    )
    default_product_name: Text | None = Field(
        None, description="A product of that exact name is added to every draft (call-out fee)"
    )


class WorkOrderSettingsOut(Output):
    description_as: Literal["line", "note"]
    skip_words: list[str]
    default_product_name: str | None
    updated_at: dt.datetime | None


async def load_settings(session: AsyncSession, partner_id: int) -> WorkOrderSettings:
    """The partner's settings, or the defaults (not stored) when it has none."""
    stored = await session.get(WorkOrderSettings, partner_id)
    if stored is not None:
        return stored
    return WorkOrderSettings(
        partner_id=partner_id, description_as="line", skip_words=[], default_product_name=None
    )


async def get_work_order_settings(call: ApiCall) -> Response:
    settings = await load_settings(call.session, call.caller.partner_id)
    return respond(WorkOrderSettingsOut, settings)


async def put_work_order_settings(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()
    body = await call.model(WorkOrderSettingsIn)
    stored = await call.session.get(WorkOrderSettings, call.caller.partner_id, with_for_update=True)
    if stored is None:
        stored = WorkOrderSettings(partner_id=call.caller.partner_id)
        call.session.add(stored)
    stored.description_as = body.description_as
    stored.skip_words = list(dict.fromkeys(body.skip_words))
    stored.default_product_name = body.default_product_name
    stored.updated_at = utcnow()
    await call.session.flush()
    return respond(WorkOrderSettingsOut, stored)


OPERATIONS = (
    Operation(
        "GET",
        "/partner/work-order-settings",
        get_work_order_settings,
        "How work orders become drafts",
        response=WorkOrderSettingsOut,
    ),
    Operation(
        "PUT",
        "/partner/work-order-settings",
        put_work_order_settings,
        "Set how work orders become drafts",
        WorkOrderSettingsIn,
        WorkOrderSettingsOut,
    ),
)
