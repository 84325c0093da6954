"""Users: people of one company, under one partner brand."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import func, select
from starlette.responses import Response

from invoicing.text import Text
from server.api.common import Email, ExternalRef, Input, Output, respond
from server.api.operation import Operation
from server.db.tenants import User
from server.endpoint import ApiCall
from server.problems import Refusal


class UserIn(Input):
    name: Annotated[Text, StringConstraints(min_length=1)]
    email: Email | None = None
    external_ref: ExternalRef | None = None


class UserPatch(Input):
    name: Annotated[Text, StringConstraints(min_length=1)] | None = None
    email: Email | None = None
    external_ref: ExternalRef | None = None


class UserOut(Output):
    id: int
    company_id: int
    name: str
    email: str | None
    external_ref: str | None
    created_at: dt.datetime


class UserList(Output):
    items: list[UserOut]


async def create_user(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id(), lock=True)
    body = await call.model(UserIn)
    partner_limit = call.caller.partner.users_per_company
    limit = call.services.settings.users_per_company if partner_limit is None else partner_limit
    count = await call.session.scalar(
        select(func.count()).select_from(User).where(User.company_id == company.id)
    )
    if (count or 0) >= limit:
        raise Refusal(
            409,
            "user_limit_reached",
            "User limit reached",
            f"This company has {count} users; at most {limit} are allowed per company.",
            f"Cette entreprise a {count} utilisateurs : {limit} au plus par entreprise.",
            extra={"limit": limit},
        )
    user = User(partner_id=call.caller.partner_id, company_id=company.id, **body.model_dump())
    call.session.add(user)
    await call.session.flush()
    return respond(UserOut, user, 201)


async def list_users(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    rows = await call.session.scalars(
        call.caller.scoped(User).where(User.company_id == company.id).order_by(User.id)
    )
    return respond(UserList, {"items": list(rows)})


async def get_user(call: ApiCall) -> Response:
    return respond(UserOut, await call.caller.get(call.session, User, call.path_id(), "user"))


async def update_user(call: ApiCall) -> Response:
    user = await call.caller.get(call.session, User, call.path_id(), "user")
    body = await call.model(UserPatch)
    for key, value in body.model_dump(exclude_unset=True).items():
        if key == "name" and value is None:
            continue
        setattr(user, key, value)
    await call.session.flush()
    return respond(UserOut, user)


OPERATIONS = (
    Operation(
        "POST",
        "/companies/{id:int}/users",
        create_user,
        "Create a user (limited per company)",
        UserIn,
        UserOut,
        201,
    ),
    Operation(
        "GET", "/companies/{id:int}/users", list_users, "List a company's users", response=UserList
    ),
    Operation("GET", "/users/{id:int}", get_user, "Get a user", response=UserOut),
    Operation("PATCH", "/users/{id:int}", update_user, "Update a user", UserPatch, UserOut),
)
