"""The composition root: `create_app(settings)` builds the Starlette application."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount

from server.api.routes import api_routes
from server.db.engine import create_engine, session_factory
from server.db.migrate import upgrade_database
from server.editor_tokens import EditorTokens
from server.file_storage import DirectoryStorage
from server.problems import (
    Problem,
    http_exception_handler,
    problem_handler,
    unexpected_error_handler,
)
from server.services import Clock, Services
from server.settings import Settings


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Starlette:
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock or _utc_now,
        storage=DirectoryStorage(settings.files_dir),
        editor_tokens=EditorTokens(settings.signing_keys),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if migrate:
            await upgrade_database(engine)
        try:
            yield
        finally:
            await engine.dispose()

    app = Starlette(
        routes=[Mount("/api/v1", routes=api_routes())],
        exception_handlers={
            HTTPException: http_exception_handler,
            Problem: problem_handler,
            Exception: unexpected_error_handler,
        },
        lifespan=lifespan,
    )
    app.state.services = services
    return app
