"""Who is calling: the partner behind an API key, and the tenant filters
every query goes through."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from server.api_keys import find_active_key_and_partner
from server.db.tenants import Company, Partner
from server.problems import Problem, not_found, refused_request

T = TypeVar("T")


MAX_ROW_ID = 2**31 - 1  # INTEGER columns: a larger id cannot exist (and asyncpg would refuse it)


def is_row_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID


@dataclass(frozen=True, slots=True)
class Caller:
    verified_partner: Partner  # as the key was verified: detached, shared by requests
    key_company_id: int | None  # a key restricted to one company
    client_ip: str | None
    write_session: AsyncSession | None = None  # see `partner`
    _attached: list[Partner] = field(default_factory=list, compare=False, repr=False)

    @property
    def partner(self) -> Partner:
        """The caller's partner; in a write transaction (`attached_to`), its row
        attached to the session when first asked for, so that the handler can change
        it (its theme, its settings). Most writes never ask: attaching it for each
        was ~3% of a create's CPU."""
        if self.write_session is None:
            return self.verified_partner
        if not self._attached:
            # load=False: no query, no autoflush, nothing awaited.
            merged = self.write_session.sync_session.merge(self.verified_partner, load=False)
            self._attached.append(merged)
        return self._attached[0]

    @property
    def partner_id(self) -> int:
        return self.verified_partner.id

    def scoped(self, model: type[T]) -> Select[T]:
        """`SELECT model` restricted to what this caller may see."""
        query = select(model).where(model.partner_id == self.partner_id)  # type: ignore[attr-defined]
        if self.key_company_id is not None:
            column = model.id if model is Company else model.company_id  # type: ignore[attr-defined]
            query = query.where(column == self.key_company_id)
        return query

    async def get(
        self, session: AsyncSession, model: type[T], object_id: Any, what: str, lock: bool = False
    ) -> T:
        """The object if this caller may see it, else 404; `lock` takes a row
        lock (FOR UPDATE) on PostgreSQL, where concurrent writers must queue."""
        if not is_row_id(object_id):
            raise not_found(what)
        query = _lookup(model, self.key_company_id is not None, lock)
        row: T | None = await session.scalar(query, self._lookup_params(object_id))
        if row is None:
            raise not_found(what)
        return row

    async def company(self, session: AsyncSession, company_id: Any, lock: bool = False) -> Company:
        return await self.get(session, Company, company_id, "company", lock)

    def tenant_params(self) -> dict[str, int]:
        """The bound parameters of a statement restricted to what this caller may see:
        `partner_id` and, for a key restricted to one company, `key_company_id`."""
        params = {"partner_id": self.partner_id}
        if self.key_company_id is not None:
            params["key_company_id"] = self.key_company_id
        return params

    def _lookup_params(self, object_id: int) -> dict[str, int]:
        """The parameters of a `_lookup` statement, for this caller."""
        return {**self.tenant_params(), "object_id": object_id}

    async def attached_to(self, session: AsyncSession) -> Caller:
        """This caller in a write transaction of `session`: its `partner`, once asked
        for, is attached to it (no query)."""
        return Caller(self.verified_partner, self.key_company_id, self.client_ip, session)

    def require_unscoped_key(self) -> None:
        if self.key_company_id is not None:
            raise refused_request(403, "key_scope", "Key restricted to one company")


# Built once per kind of lookup: building a statement and its cache key is a large
# part of running it.
_LOOKUPS: dict[tuple[type[Any], bool, bool], Select[Any]] = {}


def _lookup(model: type[Any], restricted: bool, lock: bool) -> Select[Any]:
    """`Caller.get`'s statement: parameters `partner_id`, `object_id` and, when
    `restricted` (a key restricted to one company), `key_company_id`."""
    key = (model, restricted, lock)
    query = _LOOKUPS.get(key)
    if query is None:
        table = model.__table__
        query = select(model).where(table.c.partner_id == bindparam("partner_id"))
        if restricted:
            column = table.c.id if model is Company else table.c.company_id
            query = query.where(column == bindparam("key_company_id"))
        query = query.where(table.c.id == bindparam("object_id"))
        if lock:
            query = query.with_for_update()
        _LOOKUPS[key] = query
    return query


def unauthorized() -> Problem:
    return refused_request(
        401,
        "unauthorized",
        "Missing or invalid API key",
        headers={"WWW-Authenticate": 'Bearer realm="blanche"'},
    )


def bearer_secret(request: Request) -> str:
    """The API key the request presents, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        raise unauthorized()
    return secret.strip()


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def authenticate(request: Request, session: AsyncSession) -> Caller:
    found = await find_active_key_and_partner(session, bearer_secret(request))
    if found is None:
        raise unauthorized()
    key, partner = found
    return Caller(partner, key.company_id, client_ip(request))
