"""The indexed router answers every request as Starlette's router does."""

from __future__ import annotations

import asyncio
import itertools
import re

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, Mount, Route, Router

from server.api.indexed_router import IndexedRouter
from server.api.routes import api_routes

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW")


def _named(name: str) -> Route:
    path, _, methods = name.partition(" ")

    async def answer(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{name} {sorted(request.path_params.items())}")

    return Route(path, answer, methods=methods.split(",") if methods else None)


def _table() -> list[BaseRoute]:
    """Overlaps in the order Starlette resolves them: first full match wins."""
    return [
        _named("/items GET"),
        _named("/items POST"),
        _named("/items/{id:int} GET"),
        _named("/{kind}/special PUT"),
        _named("/items/special GET,PUT"),
        _named("/items/{name} GET"),
        _named("/items/{id:int}/parts/{part} DELETE"),
        _named("/files/{rest:path} GET"),
        _named("/{anything}/x POST"),
        _named("/any-method"),
        Mount("/sub", routes=[_named("/a GET"), _named("/{b}/c PATCH")]),
        _named("/trailing/ GET"),
        _named("/items/{id:int} PUT"),
    ]


PATHS = (
    "/",
    "/items",
    "/items/",
    "/items/3",
    "/items/special",
    "/items/foo",
    "/items/3/parts/9",
    "/items/3/parts",
    "/items/3/extra",
    "/files/a/b/c",
    "/files",
    "/zz/x",
    "/items/x",
    "/any-method",
    "/sub/a",
    "/sub/q/c",
    "/sub/b",
    "/trailing",
    "/trailing/",
    "/nowhere",
    "/nowhere/at/all",
)


async def _answers(app: Starlette) -> list[tuple[int, str, str | None]]:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = []
        for method, path in itertools.product(METHODS, PATHS):
            response = await client.request(method, f"/api{path}", follow_redirects=False)
            answers.append((response.status_code, response.text, response.headers.get("location")))
        return answers


def test_every_request_gets_starlettes_answer() -> None:
    starlettes = Starlette(routes=[Mount("/api", routes=_table())])
    indexed = Starlette(routes=[Mount("/api", app=IndexedRouter(_table()))])
    expected = asyncio.run(_answers(starlettes))
    assert asyncio.run(_answers(indexed)) == expected
    statuses = {status for status, _, _ in expected}
    assert statuses >= {200, 307, 404, 405}  # the table covers Starlette's every outcome


def _first_full_match(routes: list[BaseRoute], scope: dict[str, object]) -> BaseRoute | None:
    for route in routes:
        if route.matches(scope)[0] is Match.FULL:
            return route
    return None


def test_the_api_table_resolves_each_of_its_operations_as_starlette_does() -> None:
    routes = api_routes()
    router = IndexedRouter(routes)
    paths = {re.sub(r"\{[^}]+\}", "7", route.path) for route in routes if isinstance(route, Route)}
    checked = 0
    for method, path in itertools.product(METHODS, sorted(paths)):
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        expected = _first_full_match(Router(routes=routes).routes, scope)
        assert _first_full_match(list(router.candidates(method, path)), scope) is expected
        checked += expected is not None
    assert checked >= len(routes) - 5  # each operation found (GET's routes also answer HEAD)
