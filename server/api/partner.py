"""The calling partner and its environment at a glance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from starlette.responses import Response

from server.api.common import Output, respond
from server.api.operation import Operation
from server.db.documents import DocumentRow
from server.db.tenants import Company, User
from server.endpoint import ApiCall


class PartnerOut(Output):
    id: int
    name: str
    module_name: str
    origins: list[str]
    default_editor_options: dict[str, Any]
    key_company_id: int | None
    companies: int
    users: int
    documents: int


async def get_partner(call: ApiCall) -> Response:
    caller = call.caller

    async def count(model: type[Any]) -> int:
        query = caller.scoped(model).with_only_columns(func.count())
        return int(await call.session.scalar(query) or 0)

    partner = caller.partner
    return respond(
        PartnerOut,
        {
            "id": partner.id,
            "name": partner.name,
            "module_name": partner.module_name,
            "origins": partner.origins,
            "default_editor_options": partner.default_editor_options,
            "key_company_id": caller.key_company_id,
            "companies": await count(Company),
            "users": await count(User),
            "documents": await count(DocumentRow),
        },
    )


OPERATIONS = (
    Operation(
        "GET", "/partner", get_partner, "The calling partner, with counts", response=PartnerOut
    ),
)
